"""Read facility files (CSV, XLSX, GeoJSON) into checked, unsaved facilities.

CSV and XLSX go through the shared import framework (`equiserve.imports`):
the columns are the model's own fields, named by field name or by their
Chinese or English label, code cells by code or label. GeoJSON features
become rows named `features[i]`. The service saves nothing unless there is no
problem at all.
"""

import json

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equiserve.facilities.models import SCHOOL_KINDS, Facility, Kind
from equiserve.geography.models import NaturalVillage, Town, Village
from equiserve.geography.selectors import town_codes_by_name
from equiserve.imports import cells
from equiserve.imports.cells import CellError, cell_text
from equiserve.imports.columns import Row, Table, field_column
from equiserve.imports.reading import file_format, read_sheets
from equiserve.imports.report import ImportReport

# Columns of the import and export files, in order: the model's own fields.
COLUMNS = [
    field.name
    for field in Facility._meta.concrete_fields
    if field.name not in ("id", "created_at", "updated_at")
]
REQUIRED = ("code", "kind", "name_zh", "lon", "lat")
PLACES = ("town", "village", "natural_village")
FORMATS = ("csv", "xlsx", "geojson")
OUT_OF_REACH = gettext_lazy(
    "you may not write this facility: only your department's kinds, or your town's"
)
# The city has a few thousand facilities; a larger file is a mistake.
MAX_ROWS = 50_000


def _reader(model_field: models.Field):
    """Return the cell reader of a facility field, blank cells by its default."""
    if isinstance(model_field, models.BooleanField):
        return cells.flag
    if model_field.choices:
        readings = cells.field_readings(model_field)
        read = lambda value: cells.choice_in(readings, value)  # noqa: E731
    elif isinstance(model_field, models.DateField):
        read = cells.parse_date
    elif isinstance(model_field, models.DecimalField):
        read = cells.decimal
    elif isinstance(
        model_field, models.PositiveIntegerField | models.PositiveSmallIntegerField
    ):
        read = cells.whole_number
    elif isinstance(model_field, models.FloatField):
        read = cells.real_number
    else:
        read = cells.text

    def read_cell(value):
        if cell_text(value) == "":
            if model_field.null:
                return None
            if isinstance(model_field, models.CharField) and model_field.blank:
                return ""
            if model_field.has_default():
                return model_field.get_default()
            raise CellError(_("required"))
        return read(value)

    return read_cell


FACILITIES = Table(
    columns=tuple(
        field_column(
            Facility,
            name,
            *([] if name in PLACES else [_reader(Facility._meta.get_field(name))]),
            required=name in REQUIRED,
        )
        for name in COLUMNS
    )
)


def read_rows(content: bytes, filename: str, report: ImportReport) -> list[Row] | None:
    """Return the file's rows by column name, or None after problems."""
    kind = file_format(filename, report, FORMATS)
    if kind is None:
        return None
    if kind == "geojson":
        return _geojson_rows(content, report)
    sheets = read_sheets(content, kind, report, max_rows=MAX_ROWS)
    if sheets is None:
        return None
    return FACILITIES.rows(sheets[0], report)


def _geojson_rows(content: bytes, report: ImportReport) -> list[Row] | None:
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.error(_("not valid JSON: %(reason)s") % {"reason": exc})
        return None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        report.error(_("the file is not a GeoJSON FeatureCollection"))
        return None
    rows = []
    for index, feature in enumerate(document.get("features") or []):
        label = f"features[{index}]"
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = (
            feature.get("properties") if isinstance(feature, dict) else None
        ) or {}
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            report.error(_("a facility must be a Point"), row=label, column="geometry")
            continue
        coordinates = geometry.get("coordinates") or []
        if len(coordinates) < 2:
            report.error(
                _("a Point needs two coordinates"), row=label, column="geometry"
            )
            continue
        unknown = [key for key in properties if key not in COLUMNS]
        if unknown:
            report.error(
                _("unknown propert(ies): %(names)s") % {"names": ", ".join(unknown)},
                row=label,
            )
            continue
        cells_ = {**properties, "lon": coordinates[0], "lat": coordinates[1]}
        rows.append(Row(label, cells_))
    if not rows and not report.errors:
        report.error(_("the FeatureCollection has no features"))
    return None if report.errors else rows


class Places:
    """Towns, villages and natural villages by code, to check references."""

    def __init__(self):
        self.towns = set(Town.objects.values_list("code", flat=True))
        # A town cell may name the town (小榄镇, Xiaolan) as well as give its code.
        self.town_names = town_codes_by_name()
        self.villages = dict(Village.objects.values_list("code", "town_id"))
        self.natural = dict(NaturalVillage.objects.values_list("code", "village_id"))


def build_facilities(
    rows: list[Row], report: ImportReport, *, may_write
) -> list[Facility]:
    """Return a checked Facility per row (existing codes are updated), or add errors.

    `may_write(kind, town_code)` says whether the importer may write a facility
    of that kind there; it is asked of a facility before and after the row
    changes it (issue 10, finding 4), so none is taken out of another's reach.
    """
    places = Places()
    existing = {facility.code: facility for facility in Facility.objects.all()}
    seen: dict[str, str] = {}
    built = []
    for row in rows:
        label, raw = row.number, row.cells

        def problem(message, column="", label=label, raw=raw):
            report.error(message, row=label, column=column, value=raw.get(column))

        before = len(report.errors)
        code = row.text("code")
        if code in seen:
            problem(
                _("code %(code)s already used in %(row)s")
                % {"code": code, "row": _row_label(seen[code])},
                column="code",
            )
        seen.setdefault(code, label)
        facility = existing.get(code) or Facility()
        if facility.pk and not may_write(facility.kind, facility.town_id):
            problem(str(OUT_OF_REACH))
            continue
        values = {}
        for column, value in raw.items():
            if column not in COLUMNS or column in PLACES:
                continue
            errors = len(report.errors)
            value = FACILITIES.read(report, row, column)
            if len(report.errors) == errors:
                values[column] = value
        for column in REQUIRED:
            if column not in raw and facility.pk is None:
                problem(_("required"), column=column)
        town, village, natural = (row.text(key) for key in PLACES)
        town = places.town_names.get(town.lower(), town)
        if natural:
            if natural not in places.natural:
                problem(
                    _("unknown natural village %(code)s") % {"code": natural},
                    column="natural_village",
                )
            elif village and places.natural[natural] != village:
                problem(
                    _("natural village %(code)s is not in village %(village)s")
                    % {"code": natural, "village": village},
                    column="natural_village",
                )
            else:
                village = places.natural[natural]
        if village:
            if village not in places.villages:
                problem(
                    _("unknown village %(code)s") % {"code": village}, column="village"
                )
            elif town and places.villages[village] != town:
                problem(
                    _("village %(code)s is not in town %(town)s")
                    % {"code": village, "town": town},
                    column="village",
                )
            else:
                town = places.villages[village]
        if not town:
            problem(_("required (or give a village)"), column="town")
        elif town not in places.towns:
            problem(_("unknown town %(code)s") % {"code": town}, column="town")
        if len(report.errors) > before:
            continue
        for column, value in values.items():
            setattr(facility, column, value)
        facility.town_id = town
        facility.village_id = village or None
        facility.natural_village_id = natural or None
        if not may_write(facility.kind, facility.town_id):
            # The same words as above: a row never tells whose a facility is.
            problem(str(OUT_OF_REACH))
            continue
        if facility.kind in SCHOOL_KINDS and not facility.managed_by:
            problem(
                _("a school needs its managing authority (city or town)"),
                column="managed_by",
            )
            continue
        if (
            facility.kind == Kind.DISABILITY_SERVICE
            and not facility.disability_component
        ):
            problem(
                _("a disability service needs its component"),
                column="disability_component",
            )
            continue
        if facility.lon is not None and not -180 <= facility.lon <= 180:
            problem(_("longitude must be between -180 and 180"), column="lon")
            continue
        if facility.lat is not None and not -90 <= facility.lat <= 90:
            problem(_("latitude must be between -90 and 90"), column="lat")
            continue
        try:
            # Constraints are checked above without a query per row; codes
            # are unique within the file and matched to existing ones.
            facility.full_clean(
                exclude=["town", "village", "natural_village"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    problem(message, column="" if column == "__all__" else column)
            continue
        built.append(facility)
    return built


def _row_label(row) -> str:
    return _("row %(row)d") % {"row": row} if isinstance(row, int) else row
