"""The 15-minute fitness circle (3.6.1) and the 2SFCA score, from the registry.

Where people are: the registry has no coordinates, only each person's village
or community. People of an administrative village are spread over its natural
villages (自然村), in turn by person number, since that is where villagers
live and where the courts are built; people of a community are placed at the
community's point; people with no village at their town's centre. Each place
is then one origin: the answer is the same for everyone placed there.

Distances are on the latest imported road network when there is one, else
the straight line × the detour factor; the result says which. Facilities in
every town count, so a court across a town boundary serves the people near
it; tables are then cut to the towns asked for.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl
from django.db.models import Q

from equiserve.accessibility import (
    RoadNetwork as Network,
)
from equiserve.accessibility import (
    age_band,
    catchment_metres,
    catchment_pairs,
    coverage_table,
    travel_distance,
    two_step_fca,
)
from equiserve.facilities.models import Facility, RoadNetwork
from equiserve.facilities.population import (
    CIRCLE_PERSON_PATHS,
    RESIDENT,
    population_counted,
)
from equiserve.facilities.standards import Standards
from equiserve.frames import query_frame
from equiserve.geography.models import NaturalVillage, Town, Village
from equiserve.registry.models import Person

SPEEDS = {
    "walking": "fitness_circle.walking_speed",
    "cycling": "fitness_circle.cycling_speed",
}
GROUPS = {
    "town": ["town"],
    "hukou": ["hukou"],
    "age_band": ["age_band"],
    # Monitoring splits each town by registration from this one run (issue 13).
    "town_hukou": ["town", "hukou"],
}


@dataclass
class CircleReport:
    """Who is within the fitness circle on a day, by group and by village."""

    date: dt.date
    minutes: float
    mode: str
    speed_m_per_min: float
    cutoff_m: float
    method: str
    detour_factor: float | None
    network: str | None
    people_per_record: float | None
    facilities: int
    total: dict
    tables: dict[str, list[dict]] = field(default_factory=dict)
    villages: list[dict] = field(default_factory=list)


def network_arrays(network: Network) -> bytes:
    """Return a network as compressed .npz bytes, for `RoadNetwork.data`."""
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        lon=network.lon,
        lat=network.lat,
        tail=network.tail,
        head=network.head,
        length_m=network.length_m,
    )
    return buffer.getvalue()


@lru_cache(maxsize=2)
def _network(pk: int, imported_at: dt.datetime) -> Network:
    data = np.load(io.BytesIO(bytes(RoadNetwork.objects.get(pk=pk).data)))
    return Network(**{key: data[key] for key in data.files})


def current_network() -> tuple[Network | None, str | None]:
    """Return the latest imported road network and its name, or (None, None)."""
    latest = RoadNetwork.objects.only("pk", "imported_at", "name").first()
    if latest is None:
        return None, None
    return _network(latest.pk, latest.imported_at), latest.name


def origins_frame() -> pl.DataFrame:
    """Return the places people are put at: natural villages, communities, centres.

    Columns: origin, village (null for a town centre), town, lon, lat, rank
    (position of a natural village within its village), slots (how many
    natural villages the village has).
    """
    natural = pl.DataFrame(
        list(
            NaturalVillage.objects.order_by("code").values_list(
                "code", "village_id", "village__town_id", "lon", "lat"
            )
        ),
        schema=["origin", "village", "town", "lon", "lat"],
        orient="row",
    )
    villages = pl.DataFrame(
        list(
            Village.objects.order_by("code").values_list(
                "code", "town_id", "lon", "lat"
            )
        ),
        schema=["origin", "town", "lon", "lat"],
        orient="row",
    ).with_columns(pl.col("origin").alias("village"))
    centres = pl.DataFrame(
        list(
            Town.objects.order_by("code").values_list(
                "code", "center_lon", "center_lat"
            )
        ),
        schema=["town", "lon", "lat"],
        orient="row",
    ).with_columns(
        pl.col("town").alias("origin"), pl.lit(None, dtype=pl.String).alias("village")
    )
    natural = natural.with_columns(
        (pl.int_range(pl.len()).over("village")).alias("rank"),
        pl.len().over("village").alias("slots"),
    )
    plain = villages.join(natural.select("village").unique(), on="village", how="anti")
    columns = ["origin", "village", "town", "lon", "lat", "rank", "slots"]
    return pl.concat(
        [
            natural.select(columns),
            plain.with_columns(
                pl.lit(0, dtype=pl.UInt32).alias("rank"),
                pl.lit(1, dtype=pl.UInt32).alias("slots"),
            ).select(columns),
            centres.with_columns(
                pl.lit(0, dtype=pl.UInt32).alias("rank"),
                pl.lit(1, dtype=pl.UInt32).alias("slots"),
            ).select(columns),
        ],
        how="vertical_relaxed",
    )


# The registry fields read per person, with the frame's dtypes.
PERSON_COLUMNS = {
    name: (path, pl.Date if path.endswith("_date") else pl.String)
    for name, path in CIRCLE_PERSON_PATHS.items()
}


def persons_read(
    dates: list[dt.date], partitions: list[str] | None = None
) -> pl.DataFrame:
    """Return the persons alive on any of `dates`, in person-number order.

    `partitions`: only the people of these towns' villages, and those with no
    village registered in these towns (None: the whole city). Column
    `partition` says which.
    """
    persons = Person.objects.filter(birth_date__lte=max(dates)).filter(
        Q(death_date__isnull=True) | Q(death_date__gt=min(dates))
    )
    if partitions is not None:
        persons = persons.filter(
            Q(village__town_id__in=partitions)
            | Q(village__isnull=True, town_id__in=partitions)
        )
    frame = query_frame(
        persons.order_by("key"),
        {name: path for name, (path, _type) in PERSON_COLUMNS.items()},
        {name: dtype for name, (_path, dtype) in PERSON_COLUMNS.items()},
    )
    return frame.with_columns(pl.coalesce("partition", "town").alias("partition"))


def persons_placed(
    persons: pl.DataFrame, date: dt.date, origins: pl.DataFrame
) -> pl.DataFrame:
    """Return those of `persons` alive on `date`, each with an origin and age band.

    The same persons as `persons_on(date)` (born by the day, not dead by it),
    placed in turn over their village's natural villages.
    """
    persons = persons.filter(
        (pl.col("birth_date") <= date)
        & (pl.col("death_date").is_null() | (pl.col("death_date") > date))
    ).drop("death_date")
    slots = origins.group_by("village").agg(pl.col("slots").first())
    persons = (
        persons.join(slots, on="village", how="left")
        .with_columns(
            (pl.int_range(pl.len()).over("village") % pl.col("slots").fill_null(1))
            .cast(pl.UInt32)
            .alias("rank"),
            age_band("birth_date", date),
        )
        .drop("slots")
    )
    placed = persons.filter(pl.col("village").is_not_null()).join(
        origins.filter(pl.col("village").is_not_null()).select(
            "village", "rank", "origin"
        ),
        on=["village", "rank"],
        how="left",
    )
    unplaced = persons.filter(pl.col("village").is_null()).with_columns(
        pl.col("town").alias("origin")
    )
    return pl.concat([placed, unplaced.select(placed.columns)])


def circle_facilities(date: dt.date, kinds) -> pl.DataFrame:
    """Return the facilities that count for the circle, open on `date`."""
    rows = list(
        Facility.objects.filter(kind__in=list(kinds))
        .exclude(opening_date__gt=date)
        .order_by("code")
        .values_list("code", "lon", "lat", "site_area_m2")
    )
    return pl.DataFrame(
        [(code, lon, lat, float(area or 0)) for code, lon, lat, area in rows],
        schema={
            "code": pl.String,
            "lon": pl.Float64,
            "lat": pl.Float64,
            "area": pl.Float64,
        },
        orient="row",
    )


@dataclass(frozen=True)
class Reach:
    """Which origins are within the circle on a day, and how that was measured."""

    cutoff_m: float
    method: str
    detour_factor: float | None
    network: str | None
    network_data: Network | None
    facilities: pl.DataFrame
    # origins_frame() with `covered` and `distance_m`
    origins: pl.DataFrame
    # Names the placing and the coverage: tallies kept under another key are stale.
    key: str


# Reaches by what they were computed from (origins, facilities, network,
# cutoff): the same facilities on another day, or the same day again, are not
# measured twice. Content-addressed, so never stale.
_REACHES: dict[str, tuple] = {}
_REACHES_KEPT = 8


def _digest(*frames: pl.DataFrame) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for frame in frames:
        hasher.update(frame.hash_rows(seed=0).to_numpy().tobytes())
        hasher.update(str(frame.schema).encode())
    return hasher.hexdigest()


def _travel(standards: Standards) -> tuple[float, str, float]:
    """Return the circle's minutes, mode and speed (metres per minute)."""
    minutes = float(standards["fitness_circle.minutes"])
    mode = str(standards["fitness_circle.mode"])
    if mode not in SPEEDS:
        raise ValueError(f"fitness_circle.mode must be one of {sorted(SPEEDS)}")
    return minutes, mode, float(standards[SPEEDS[mode]])


def circle_reach(date: dt.date, standards: Standards) -> Reach:
    """Return which origins are within the circle on `date` under `standards`."""
    minutes, _mode, speed = _travel(standards)
    cutoff = catchment_metres(minutes, speed)
    detour = float(standards["fitness_circle.detour_factor"])
    network, network_name = current_network()
    origins = origins_frame()
    facilities = circle_facilities(date, standards["fitness_circle.facility_kinds"])
    measured_from = (
        _digest(origins, facilities),
        cutoff,
        detour,
        network_name,
        id(network),
    )
    key = hashlib.blake2b(repr(measured_from).encode(), digest_size=16).hexdigest()
    if key not in _REACHES:
        reach = travel_distance(
            origins["lon"].to_numpy(),
            origins["lat"].to_numpy(),
            facilities["lon"].to_numpy(),
            facilities["lat"].to_numpy(),
            cutoff_m=cutoff,
            network=network,
            detour_factor=detour,
        )
        while len(_REACHES) >= _REACHES_KEPT:
            _REACHES.pop(next(iter(_REACHES)))
        _REACHES[key] = (
            reach.distance_m,
            reach.within,
            reach.method,
            reach.detour_factor,
        )
    distance_m, within, method, detour_used = _REACHES[key]
    return Reach(
        cutoff_m=cutoff,
        method=method,
        detour_factor=detour_used,
        network=network_name,
        network_data=network,
        facilities=facilities,
        origins=origins.with_columns(
            pl.Series("distance_m", distance_m), pl.Series("covered", within)
        ),
        key=key,
    )


_EMPTY_TALLIES = pl.DataFrame(
    schema={
        "partition": pl.String,
        "town": pl.String,
        "hukou": pl.String,
        "age_band": pl.String,
        "covered": pl.Boolean,
        "records": pl.Int64,
    }
)


def circle_tallies(persons: pl.DataFrame, reach: Reach) -> pl.DataFrame:
    """Count placed persons by town, registration, age band and coverage.

    Every table of the report is a sum of these counts, so a town's tallies
    can be kept and added to the others' (`circle_reports`).
    """
    return (
        persons.join(reach.origins.select("origin", "covered"), on="origin", how="left")
        .group_by("partition", "town", "hukou", "age_band", "covered")
        .agg(pl.len().cast(pl.Int64).alias("records"))
        .select(_EMPTY_TALLIES.columns)
        .cast(dict(_EMPTY_TALLIES.schema))
    )


def _factor(tallies: pl.DataFrame, standards: Standards) -> float | None:
    """Return the people per registry record, from the whole city's tallies."""
    records = dict(tallies.group_by("town").agg(pl.col("records").sum()).iter_rows())
    return population_counted(records, RESIDENT, standards).factor


def _report(
    date: dt.date,
    standards: Standards,
    reach: Reach,
    tallies: pl.DataFrame,
    towns: list[str] | None,
    villages: list[dict],
) -> CircleReport:
    """Return the report from the whole city's tallies, tables cut to `towns`."""
    factor = _factor(tallies, standards)
    if towns is not None:
        tallies = tallies.filter(pl.col("town").is_in(towns))
    tables = {
        name: _with_people(
            coverage_table(tallies, by, weight="records"), factor
        ).to_dicts()
        for name, by in GROUPS.items()
    }
    total = _with_people(coverage_table(tallies, [], weight="records"), factor)
    minutes, mode, speed = _travel(standards)
    return CircleReport(
        date=date,
        minutes=minutes,
        mode=mode,
        speed_m_per_min=speed,
        cutoff_m=reach.cutoff_m,
        method=reach.method,
        detour_factor=reach.detour_factor,
        network=reach.network,
        people_per_record=factor,
        facilities=len(reach.facilities),
        total=total.to_dicts()[0],
        tables=tables,
        villages=villages,
    )


def fitness_circle_report(
    *, date: dt.date, standards: Standards, towns: list[str] | None = None
) -> CircleReport:
    """Compute the fitness circle on `date`; tables cover `towns` (all if None)."""
    reach = circle_reach(date, standards)
    origins = reach.origins
    persons = persons_placed(persons_read([date]), date, origins)
    tallies = circle_tallies(persons, reach)
    factor = _factor(tallies, standards)

    # 2SFCA: demand = estimated people at each origin, supply = m² of ground.
    facilities = reach.facilities
    demand = origins.join(
        persons.group_by("origin").agg(pl.len().alias("records")),
        on="origin",
        how="left",
    ).with_columns(pl.col("records").fill_null(0))
    people = demand["records"].to_numpy() * (factor or 1.0)
    pairs = catchment_pairs(
        demand["lon"].to_numpy(),
        demand["lat"].to_numpy(),
        facilities["lon"].to_numpy(),
        facilities["lat"].to_numpy(),
        cutoff_m=reach.cutoff_m,
        network=reach.network_data,
        detour_factor=float(standards["fitness_circle.detour_factor"]),
    )
    score = two_step_fca(
        people, facilities["area"].to_numpy(), *pairs, max_cost=reach.cutoff_m
    )
    demand = demand.with_columns(pl.Series("fca", score), pl.Series("people", people))
    if towns is not None:
        demand = demand.filter(pl.col("town").is_in(towns))
    return _report(date, standards, reach, tallies, towns, _village_rows(demand))


class KeptTallies:
    """Each town's tallies per day, kept by a long-lived process between runs.

    The monitoring worker keeps them so that a change in one town's registry
    reads that town's persons again, not the city's 4 million (issue 13). A
    town's tallies are used while the caller says the town has not changed
    since they were read: `circle_reports` is given, per town, the data
    version of its last change and the version current before its read.
    """

    def __init__(self) -> None:
        # (day, town) -> (reach key, version read at, tallies): one entry per
        # day and town, replaced when the facilities or the registry change.
        self._kept: dict[tuple, tuple[str, int, pl.DataFrame]] = {}

    def get(
        self, date: dt.date, town: str, reach: str, changed: int
    ) -> pl.DataFrame | None:
        found = self._kept.get((date, town))
        if found is None or found[0] != reach or found[1] < changed:
            return None
        return found[2]

    def put(
        self, date: dt.date, town: str, reach: str, read_at: int, tallies: pl.DataFrame
    ) -> None:
        self._kept[(date, town)] = (reach, read_at, tallies)


def circle_reports(
    standards: dict[dt.date, Standards],
    *,
    towns: list[str] | None = None,
    kept: KeptTallies | None = None,
    changed: dict[str, int] | None = None,
    read_at: int = 0,
) -> dict[dt.date, CircleReport]:
    """Return the fitness circle on each day of `standards`, without villages.

    As `fitness_circle_report` for each day (a test holds them equal), but the
    registry is read once for every day, and with `kept` only for the towns
    whose tallies are not kept: `changed` gives the data version of each
    town's last registry change, `read_at` the version current before this
    read. The whole city is counted even for some `towns`, since the people
    per record are the city's.
    """
    changed = changed or {}
    every = sorted(Town.objects.values_list("code", flat=True))
    reaches = {date: circle_reach(date, found) for date, found in standards.items()}
    tallies: dict[dt.date, dict[str, pl.DataFrame]] = {date: {} for date in reaches}
    wanted: dict[str, list[dt.date]] = {}
    for date, reach in reaches.items():
        for town in every:
            found = None
            if kept is not None:
                found = kept.get(date, town, reach.key, changed.get(town, 0))
            if found is not None:
                tallies[date][town] = found
            else:
                wanted.setdefault(town, []).append(date)
    if wanted:
        dates = sorted({date for found in wanted.values() for date in found})
        whole = len(wanted) == len(every)
        persons = persons_read(dates, None if whole else sorted(wanted))
        for date in dates:
            reach = reaches[date]
            towns_read = sorted(t for t, found in wanted.items() if date in found)
            counted = circle_tallies(
                persons_placed(
                    persons.filter(pl.col("partition").is_in(towns_read)),
                    date,
                    reach.origins,
                ),
                reach,
            )
            parts = counted.partition_by("partition", as_dict=True)
            for town in towns_read:
                part = parts.get((town,), _EMPTY_TALLIES)
                tallies[date][town] = part
                if kept is not None:
                    kept.put(date, town, reach.key, read_at, part)
    return {
        date: _report(
            date,
            standards[date],
            reach,
            pl.concat([_EMPTY_TALLIES, *tallies[date].values()]),
            towns,
            [],
        )
        for date, reach in reaches.items()
    }


def _with_people(table: pl.DataFrame, factor: float | None) -> pl.DataFrame:
    """Rename registry counts to records and add estimated people (whole numbers)."""
    table = table.rename({"people": "records", "covered": "records_covered"})
    if factor is None:
        return table.with_columns(
            pl.lit(None, dtype=pl.Int64).alias("people"),
            pl.lit(None, dtype=pl.Int64).alias("people_covered"),
        )
    return table.with_columns(
        (pl.col("records") * factor).round(0).cast(pl.Int64).alias("people"),
        (pl.col("records_covered") * factor)
        .round(0)
        .cast(pl.Int64)
        .alias("people_covered"),
    )


def _village_rows(demand: pl.DataFrame) -> list[dict]:
    """Return per village: records, covered share and people-weighted 2SFCA score."""
    placed = demand.filter(pl.col("village").is_not_null())
    weighted = pl.col("fca") * pl.col("people")
    villages = (
        placed.group_by("village")
        .agg(
            pl.col("town").first(),
            pl.col("records").sum(),
            (pl.col("records") * pl.col("covered").cast(pl.Int64))
            .sum()
            .alias("records_covered"),
            pl.col("people").sum().alias("people_sum"),
            weighted.sum().alias("fca_weighted"),
            pl.col("fca").mean().alias("fca_mean"),
        )
        .with_columns(
            pl.when(pl.col("records") > 0)
            .then(
                pl.col("records_covered")
                / pl.when(pl.col("records") > 0).then(pl.col("records"))
            )
            .alias("share"),
            pl.when(pl.col("people_sum") > 0)
            .then(
                pl.col("fca_weighted")
                / pl.when(pl.col("people_sum") > 0).then(pl.col("people_sum"))
            )
            .otherwise(pl.col("fca_mean"))
            .alias("fca_m2_per_person"),
        )
        .sort("village")
    )
    names = {
        code: (name, kind, lon, lat)
        for code, name, kind, lon, lat in Village.objects.values_list(
            "code", "name_zh", "kind", "lon", "lat"
        )
    }
    rows = []
    for row in villages.iter_rows(named=True):
        name, kind, lon, lat = names.get(row["village"], ("", "", None, None))
        rows.append(
            {
                "village": row["village"],
                "town": row["town"],
                "name": name,
                "kind": kind,
                "lon": lon,
                "lat": lat,
                "records": row["records"],
                "records_covered": row["records_covered"],
                "share": row["share"],
                "fca_m2_per_person": row["fca_m2_per_person"],
            }
        )
    return rows
