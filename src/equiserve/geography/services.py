"""Write the geography: load the reference towns and villages, import real areas."""

import json
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.geography.coordinates import gcj02_to_wgs84_array
from equiserve.geography.models import NaturalVillage, Town, Village
from equiserve.geography.reference import towns_frame
from equiserve.geography.synthetic import (
    natural_villages_frame,
    town_areas,
    villages_frame,
)
from equiserve.imports.report import ImportReport

TOWN_FIELDS = [
    "code_12",
    "name_zh",
    "short_name_zh",
    "pinyin",
    "name_en",
    "kind",
    "center_lon",
    "center_lat",
    "center_lon_gcj02",
    "center_lat_gcj02",
    "area_geometry",
    "area_status",
    "area_source",
]
VILLAGE_FIELDS = [
    "town",
    "name_zh",
    "name_en",
    "kind",
    "lon",
    "lat",
    "population_weight",
    "synthetic",
]
NATURAL_VILLAGE_FIELDS = ["village", "name_zh", "name_en", "lon", "lat", "synthetic"]

APPROXIMATE_AREA_SOURCE = (
    "equiserve: Voronoi cells of the town centres within their convex hull "
    "buffered by 5 km (approximate)"
)


def _geojson(geometry) -> dict:
    """Return a geometry as plain GeoJSON (lists, not tuples), ready for JSONField."""
    return json.loads(json.dumps(mapping(geometry)))


@transaction.atomic
def geography_load_reference() -> dict:
    """Create or update the 24 towns, their villages and natural villages.

    Idempotent. A town whose area was imported keeps it: only approximate
    areas are (re)written. Rows no longer in the reference are left alone
    (people may point at them). Returns counts of what was loaded.
    """
    existing = set(Town.objects.values_list("code", flat=True))
    imported = {
        row["code"]: row
        for row in Town.objects.filter(area_status=Town.AreaStatus.IMPORTED).values(
            "code", "area_geometry", "area_source"
        )
    }
    areas = town_areas()
    towns = []
    for row in towns_frame().iter_rows(named=True):
        code = row["code_9"]
        kept = imported.get(code)
        town = Town(
            code=code,
            code_12=row["code_12"],
            name_zh=row["name_zh"],
            short_name_zh=row["short_name_zh"],
            pinyin=row["pinyin"],
            name_en=row["name_en"],
            kind=row["kind"],
            center_lon=row["center_lon_wgs84"],
            center_lat=row["center_lat_wgs84"],
            center_lon_gcj02=row["center_lon_gcj02"],
            center_lat_gcj02=row["center_lat_gcj02"],
            area_geometry=kept["area_geometry"] if kept else _geojson(areas[code]),
            area_status=(
                Town.AreaStatus.IMPORTED if kept else Town.AreaStatus.APPROXIMATE
            ),
            area_source=kept["area_source"] if kept else APPROXIMATE_AREA_SOURCE,
        )
        town.full_clean(validate_unique=False, validate_constraints=False)
        towns.append(town)
    Town.objects.bulk_create(
        towns, update_conflicts=True, unique_fields=["code"], update_fields=TOWN_FIELDS
    )

    villages = [
        Village(
            code=row["code"],
            town_id=row["town"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            kind=row["kind"],
            lon=row["lon"],
            lat=row["lat"],
            population_weight=row["population_weight"],
            synthetic=row["synthetic"],
        )
        for row in villages_frame().iter_rows(named=True)
    ]
    for village in villages:
        village.full_clean(
            exclude=["town"], validate_unique=False, validate_constraints=False
        )
    Village.objects.bulk_create(
        villages,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=VILLAGE_FIELDS,
    )

    natural_villages = [
        NaturalVillage(
            code=row["code"],
            village_id=row["village"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            lon=row["lon"],
            lat=row["lat"],
            synthetic=row["synthetic"],
        )
        for row in natural_villages_frame().iter_rows(named=True)
    ]
    for natural_village in natural_villages:
        natural_village.full_clean(
            exclude=["village"], validate_unique=False, validate_constraints=False
        )
    NaturalVillage.objects.bulk_create(
        natural_villages,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=NATURAL_VILLAGE_FIELDS,
    )
    return {
        "towns": len(towns),
        "towns_created": sum(1 for town in towns if town.code not in existing),
        "imported_areas_kept": len(imported),
        "villages": len(villages),
        "natural_villages": len(natural_villages),
    }


# Properties a feature may carry to say which town it is, in the order tried.
CODE_PROPERTIES = ("code", "code_9", "code_12", "adcode")
NAME_PROPERTIES = ("name_zh", "short_name_zh", "name")
DATUMS = ("WGS-84", "GCJ-02")


def _feature(index: int | None) -> str | None:
    return None if index is None else f"features[{index}]"


def _done(report: ImportReport, matched: dict[str, int]) -> None:
    """Record the towns whose areas were imported, each with its feature."""
    names = dict(towns_frame().select("code_9", "short_name_zh").iter_rows())
    report.done(
        gettext_lazy("%(file)s: imported the areas of %(count)d town(s)."),
        {"count": len(matched)},
        details=[
            f"features[{index}]: {code} {names[code]}"
            for code, index in sorted(matched.items(), key=lambda kv: kv[1])
        ],
        matched=matched,
    )


def _town_index() -> tuple[dict[str, str], dict[str, str]]:
    """Return lookups from codes and from Chinese names to the 9-digit town code."""
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in towns_frame().iter_rows(named=True):
        codes[row["code_9"]] = row["code_9"]
        codes[row["code_12"]] = row["code_9"]
        for name in (row["name_zh"], row["short_name_zh"], row["name_2023"]):
            if name:
                names[name] = row["code_9"]
    return codes, names


def _match_town(properties, codes, names) -> tuple[str | None, str | None]:
    """Return (town code, None) for a feature's properties, or (None, error)."""
    if not isinstance(properties, dict):
        properties = {}
    found: dict[str, str] = {}
    for key in CODE_PROPERTIES + NAME_PROPERTIES:
        value = properties.get(key)
        if value is None or value == "":
            continue
        value = str(value).strip()
        town = codes.get(value) if key in CODE_PROPERTIES else names.get(value)
        if town is None:
            return None, _("unknown town: %(key)s = %(value)s") % {
                "key": key,
                "value": value,
            }
        found[key] = town
    if not found:
        return None, _("no property names the town (expected one of: %(keys)s)") % {
            "keys": ", ".join(CODE_PROPERTIES + NAME_PROPERTIES)
        }
    if len(set(found.values())) > 1:
        described = ", ".join(f"{key} → {town}" for key, town in found.items())
        return None, _("properties name different towns: %(towns)s") % {
            "towns": described
        }
    return next(iter(found.values())), None


def _read_geometry(feature_geometry, datum: str):
    """Return (shapely geometry, None), or (None, error message)."""
    if not isinstance(feature_geometry, dict):
        return None, _("the feature has no geometry")
    kind = feature_geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return None, _(
            "geometry type %(type)s is not allowed (Polygon or MultiPolygon)"
        ) % {"type": kind}
    try:
        geometry = shape(feature_geometry)
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        GEOSException,
    ) as exc:
        return None, _("the geometry cannot be read: %(reason)s") % {"reason": exc}
    if geometry.is_empty:
        return None, _("the geometry is empty")
    min_x, min_y, max_x, max_y = geometry.bounds
    if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
        return None, _("coordinates are not longitude/latitude degrees")
    if datum == "GCJ-02":
        geometry = shapely.transform(
            geometry,
            lambda xy: np.column_stack(gcj02_to_wgs84_array(xy[:, 0], xy[:, 1])),
        )
    if not geometry.is_valid:
        return None, _("the polygon is not valid: %(reason)s") % {
            "reason": shapely.is_valid_reason(geometry)
        }
    return geometry, None


def _crs_name(crs) -> str | None:
    """Return the name of a (pre-2016 GeoJSON) `crs` member, or None if absent."""
    if crs is None:
        return None
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        return str(crs["properties"].get("name", ""))
    return str(crs)


def _read_features(path: Path, report: ImportReport) -> list | None:
    """Return the file's features, or None after recording why they cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(_("the file cannot be read: %(reason)s") % {"reason": exc})
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        report.error(
            _("not valid JSON (line %(line)d, column %(column)d): %(reason)s")
            % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg},
        )
        return None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        report.error(_("the file is not a GeoJSON FeatureCollection"))
        return None
    crs_name = _crs_name(document.get("crs"))
    if crs_name is not None:
        if not crs_name.upper().endswith(("CRS84", "4326")):
            report.error(
                _(
                    "coordinate reference system %(crs)s is not WGS-84 longitude/latitude"
                )
                % {"crs": crs_name},
            )
            return None
    features = document.get("features")
    if not isinstance(features, list) or not features:
        report.error(_("the FeatureCollection has no features"))
        return None
    return features


def _check_features(features, datum, report, matched, geometries, codes, names):
    """Match each feature to a town and read its polygon, recording every problem."""
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report.error(_("not a GeoJSON Feature"), row=_feature(index))
            continue
        town, problem = _match_town(feature.get("properties"), codes, names)
        if problem:
            report.error(problem, row=_feature(index))
        geometry, geometry_problem = _read_geometry(feature.get("geometry"), datum)
        if geometry_problem:
            report.error(geometry_problem, row=_feature(index))
        if town is None:
            continue
        if town in matched:
            report.error(
                _("town %(town)s already has an area, from features[%(first)d]")
                % {"town": town, "first": matched[town]},
                row=_feature(index),
            )
            continue
        matched[town] = index
        geometries[town] = geometry
    missing = sorted(set(matched) - set(Town.objects.values_list("code", flat=True)))
    for code in missing:
        report.error(
            _("town %(town)s is not in the database; run the reference load first")
            % {"town": code},
            row=_feature(matched[code]),
        )


@transaction.atomic
def town_areas_import(path: Path, *, datum: str = "WGS-84", actor=None) -> ImportReport:
    """Replace towns' approximate areas with the polygons of a GeoJSON file.

    Each feature is matched to a town by `code`, `code_9`, `code_12`, `adcode`
    or its Chinese name, and checked (polygon type, validity, known town, no
    town twice). All or nothing: if any feature fails, nothing changes and the
    report lists every error with its feature index. `datum="GCJ-02"` converts
    coordinates taken from Chinese web maps to WGS-84 first. Each town changed
    gets one audit entry (`actor` None: the command line).
    """
    if datum not in DATUMS:
        raise ValueError(f"datum must be one of {DATUMS}, not {datum!r}")
    path = Path(path)
    report = ImportReport(source=path.name)
    features = _read_features(path, report)
    if features is None:
        return report
    codes, names = _town_index()
    geometries: dict[str, object] = {}
    matched: dict[str, int] = {}
    with report.checking():
        _check_features(features, datum, report, matched, geometries, codes, names)
    if not report.ok:
        return report
    source = f"{path.name} ({timezone.localdate().isoformat()})"[:255]
    towns = list(Town.objects.filter(code__in=geometries))
    for town in towns:
        previous = {"area_status": town.area_status, "area_source": town.area_source}
        town.area_geometry = _geojson(geometries[town.code])
        town.area_status = Town.AreaStatus.IMPORTED
        town.area_source = source
        town.full_clean(validate_unique=False, validate_constraints=False)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            object_type="geography.town",
            object_id=town.code,
            town_code=town.code,
            summary=f"town area imported from {source}",
            changes={
                key: [str(value), str(getattr(town, key))]
                for key, value in previous.items()
            },
        )
    Town.objects.bulk_update(towns, ["area_geometry", "area_status", "area_source"])
    _done(report, matched)
    return report
