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
import io
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

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
from equiserve.facilities.population import RESIDENT, persons_on, population_on
from equiserve.facilities.standards import Standards
from equiserve.frames import query_frame
from equiserve.geography.models import NaturalVillage, Town, Village

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


def persons_frame(date: dt.date) -> pl.DataFrame:
    """Return the registry's persons alive on `date`, each with an origin and age band."""
    persons = query_frame(
        persons_on(date).order_by("key"),
        {
            "key": "key",
            "town": "town_id",
            "village": "village_id",
            "hukou": "hukou",
            "birth_date": "birth_date",
        },
        {
            "key": pl.String,
            "town": pl.String,
            "village": pl.String,
            "hukou": pl.String,
            "birth_date": pl.Date,
        },
    )
    origins = origins_frame()
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


def fitness_circle_report(
    *, date: dt.date, standards: Standards, towns: list[str] | None = None
) -> CircleReport:
    """Compute the fitness circle on `date`; tables cover `towns` (all if None)."""
    minutes = float(standards["fitness_circle.minutes"])
    mode = str(standards["fitness_circle.mode"])
    if mode not in SPEEDS:
        raise ValueError(f"fitness_circle.mode must be one of {sorted(SPEEDS)}")
    speed = float(standards[SPEEDS[mode]])
    cutoff = catchment_metres(minutes, speed)
    detour = float(standards["fitness_circle.detour_factor"])
    network, network_name = current_network()

    origins = origins_frame()
    facilities = circle_facilities(date, standards["fitness_circle.facility_kinds"])
    reach = travel_distance(
        origins["lon"].to_numpy(),
        origins["lat"].to_numpy(),
        facilities["lon"].to_numpy(),
        facilities["lat"].to_numpy(),
        cutoff_m=cutoff,
        network=network,
        detour_factor=detour,
    )
    origins = origins.with_columns(
        pl.Series("distance_m", reach.distance_m),
        pl.Series("covered", reach.within),
    )
    persons = persons_frame(date).join(
        origins.select("origin", "covered"), on="origin", how="left"
    )
    population = population_on(date, RESIDENT, standards)
    factor = population.factor

    # 2SFCA: demand = estimated people at each origin, supply = m² of ground.
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
        cutoff_m=cutoff,
        network=network,
        detour_factor=detour,
    )
    score = two_step_fca(people, facilities["area"].to_numpy(), *pairs, max_cost=cutoff)
    demand = demand.with_columns(pl.Series("fca", score), pl.Series("people", people))

    if towns is not None:
        persons = persons.filter(pl.col("town").is_in(towns))
        demand = demand.filter(pl.col("town").is_in(towns))
    tables = {
        name: _with_people(coverage_table(persons, by), factor).to_dicts()
        for name, by in GROUPS.items()
    }
    total = _with_people(coverage_table(persons, []), factor).to_dicts()[0]
    return CircleReport(
        date=date,
        minutes=minutes,
        mode=mode,
        speed_m_per_min=speed,
        cutoff_m=cutoff,
        method=reach.method,
        detour_factor=reach.detour_factor,
        network=network_name,
        people_per_record=factor,
        facilities=len(facilities),
        total=total,
        tables=tables,
        villages=_village_rows(demand),
    )


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
