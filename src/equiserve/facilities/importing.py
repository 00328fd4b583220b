"""Read facility files (CSV, XLSX, GeoJSON) into checked, unsaved facilities.

Every row is checked and every problem is reported with its row (CSV and XLSX
rows are numbered as a spreadsheet shows them, header = row 1; GeoJSON as
`features[i]`). The service saves nothing unless there is no problem at all.
"""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equiserve.facilities.models import SCHOOL_KINDS, Facility, Kind
from equiserve.geography.models import NaturalVillage, Town, Village
from equiserve.uploads import columns_error, header_width, rows_error, xlsx_lines

# Columns of the import and export files, in order: the model's own fields.
COLUMNS = [
    field.name
    for field in Facility._meta.concrete_fields
    if field.name not in ("id", "created_at", "updated_at")
]
REQUIRED = ("code", "kind", "name_zh", "lon", "lat")
FORMATS = ("csv", "xlsx", "geojson")
TRUE = {"1", "true", "yes", "y", "t", "是", "有", "√"}
FALSE = {"", "0", "false", "no", "n", "f", "否", "无", "×"}
OUT_OF_REACH = gettext_lazy(
    "you may not write this facility: only your department's kinds, or your town's"
)


@dataclass(frozen=True)
class RowIssue:
    """One problem in an import file: where, which column, what."""

    row: str
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.row}, {self.column}" if self.column else self.row
        return f"{where}: {self.message}"


@dataclass
class FacilityImportReport:
    """What an import did: the facilities created and updated, or every problem."""

    source: str
    errors: list[RowIssue] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: str, column: str, message: str) -> None:
        self.errors.append(RowIssue(row, column, message))

    def lines(self) -> list[str]:
        """Return the report as readable lines, in the active language."""
        if self.errors:
            head = _("%(file)s: %(count)d error(s); nothing was imported.") % {
                "file": self.source,
                "count": len(self.errors),
            }
            return [head, *(str(issue) for issue in self.errors)]
        return [
            _("%(file)s: %(created)d facilities created, %(updated)d updated.")
            % {
                "file": self.source,
                "created": len(self.created),
                "updated": len(self.updated),
            }
        ]


def detect_format(name: str) -> str:
    """Return the import format from a file name's suffix."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix == "json":
        return "geojson"
    if suffix not in FORMATS:
        raise ValueError(
            _("unknown file type %(suffix)s (expected .csv, .xlsx or .geojson)")
            % {"suffix": suffix or "?"}
        )
    return suffix


# The city has a few thousand facilities; a larger file is a mistake.
MAX_ROWS = 50_000


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, file_format: str, report: FacilityImportReport):
    """Return [(row label, {column: value})] from a file, or None after an error."""
    if file_format == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.error(_("file"), "", _("the CSV file is not UTF-8 text"))
            return None
        reader = csv.DictReader(io.StringIO(text))
        # Before any row and any header check (issue 10, finding 11).
        too_wide = columns_error(header_width(reader.fieldnames or []))
        if too_wide:
            report.error("header", "", too_wide)
            return None
        rows = [
            (f"row {number}", row)
            for number, row in enumerate(reader, start=2)
            if any(_cell_text(value) for value in row.values())
        ]
        return _check_header(reader.fieldnames or [], rows, report)
    if file_format == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a file that is not XLSX
            report.error(_("file"), "", _("the file is not an XLSX workbook"))
            return None
        sheet = book.worksheets[0]
        lines = xlsx_lines(sheet, MAX_ROWS)
        if not lines:
            report.error(_("file"), "", _("the workbook's first sheet is empty"))
            return None
        too_large = columns_error(header_width(lines[0])) or rows_error(
            len(lines) - 1, MAX_ROWS
        )
        if too_large:
            report.error("header", "", too_large)
            return None
        header = [_cell_text(cell) for cell in lines[0]]
        rows = [
            (f"row {number}", dict(zip(header, line, strict=False)))
            for number, line in enumerate(lines[1:], start=2)
            if any(cell not in (None, "") for cell in line)
        ]
        return _check_header([name for name in header if name], rows, report)
    return _geojson_rows(content, report)


def _check_header(header, rows, report):
    if too_many := rows_error(len(rows), MAX_ROWS):
        report.error(_("file"), "", too_many)
        return None
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        report.error(
            "header",
            "",
            _("unknown column(s): %(names)s") % {"names": ", ".join(unknown)},
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        report.error(
            "header",
            "",
            _("missing column(s): %(names)s") % {"names": ", ".join(missing)},
        )
    return None if report.errors else rows


def _geojson_rows(content: bytes, report):
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.error(_("file"), "", _("not valid JSON: %(reason)s") % {"reason": exc})
        return None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        report.error(_("file"), "", _("the file is not a GeoJSON FeatureCollection"))
        return None
    rows = []
    for index, feature in enumerate(document.get("features") or []):
        label = f"features[{index}]"
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = (
            feature.get("properties") if isinstance(feature, dict) else None
        ) or {}
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            report.error(label, "geometry", _("a facility must be a Point"))
            continue
        coordinates = geometry.get("coordinates") or []
        if len(coordinates) < 2:
            report.error(label, "geometry", _("a Point needs two coordinates"))
            continue
        unknown = [key for key in properties if key not in COLUMNS]
        if unknown:
            report.error(
                label,
                "",
                _("unknown propert(ies): %(names)s") % {"names": ", ".join(unknown)},
            )
            continue
        rows.append(
            (label, {**properties, "lon": coordinates[0], "lat": coordinates[1]})
        )
    if not rows and not report.errors:
        report.error(_("file"), "", _("the FeatureCollection has no features"))
    return None if report.errors else rows


class _Bad(ValueError):
    pass


def _parse(model_field: models.Field, value):
    """Return a cell converted for `model_field`; raise _Bad with a message."""
    text = _cell_text(value)
    if isinstance(model_field, models.BooleanField):
        if isinstance(value, bool):
            return value
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise _Bad(_("expected yes or no, got %(value)s") % {"value": text})
    if text == "":
        if model_field.null:
            return None
        if isinstance(model_field, models.CharField) and model_field.blank:
            return ""
        if model_field.has_default():
            return model_field.get_default()
        raise _Bad(_("required"))
    if isinstance(model_field, models.DateField):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise _Bad(
                _("expected a date YYYY-MM-DD, got %(value)s") % {"value": text}
            ) from exc
    if isinstance(model_field, models.DecimalField):
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise _Bad(_("expected a number, got %(value)s") % {"value": text}) from exc
        if not number.is_finite() or number < 0:
            raise _Bad(_("expected a number ≥ 0, got %(value)s") % {"value": text})
        return number
    if isinstance(
        model_field, models.PositiveIntegerField | models.PositiveSmallIntegerField
    ):
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise _Bad(
                _("expected a whole number, got %(value)s") % {"value": text}
            ) from exc
        if number != number.to_integral_value() or number < 0:
            raise _Bad(
                _("expected a whole number ≥ 0, got %(value)s") % {"value": text}
            )
        return int(number)
    if isinstance(model_field, models.FloatField):
        try:
            return float(text)
        except ValueError as exc:
            raise _Bad(_("expected a number, got %(value)s") % {"value": text}) from exc
    if model_field.choices and text not in {
        choice for choice, _label in model_field.choices
    }:
        raise _Bad(
            _("%(value)s is not one of: %(choices)s")
            % {
                "value": text,
                "choices": ", ".join(choice for choice, _label in model_field.choices),
            }
        )
    return text


class Places:
    """Towns, villages and natural villages by code, to check references."""

    def __init__(self):
        self.towns = set(Town.objects.values_list("code", flat=True))
        self.villages = dict(Village.objects.values_list("code", "town_id"))
        self.natural = dict(NaturalVillage.objects.values_list("code", "village_id"))


def build_facilities(
    rows, report: FacilityImportReport, *, may_write
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
    for label, raw in rows:
        before = len(report.errors)
        code = _cell_text(raw.get("code"))
        if code in seen:
            report.error(
                label,
                "code",
                _("code %(code)s already used in %(row)s")
                % {"code": code, "row": seen[code]},
            )
        seen.setdefault(code, label)
        if None in raw:
            report.error(label, "", _("more cells than the header has columns"))
        facility = existing.get(code) or Facility()
        if facility.pk and not may_write(facility.kind, facility.town_id):
            report.error(label, "", str(OUT_OF_REACH))
            continue
        values = {}
        for column, value in raw.items():
            if column not in COLUMNS or column in (
                "town",
                "village",
                "natural_village",
            ):
                continue
            model_field = Facility._meta.get_field(column)
            try:
                values[column] = _parse(model_field, value)
            except _Bad as exc:
                report.error(label, column, str(exc))
        for column in REQUIRED:
            if column not in raw and facility.pk is None:
                report.error(label, column, _("required"))
        town, village, natural = (
            _cell_text(raw.get(key)) for key in ("town", "village", "natural_village")
        )
        if natural:
            if natural not in places.natural:
                report.error(
                    label,
                    "natural_village",
                    _("unknown natural village %(code)s") % {"code": natural},
                )
            elif village and places.natural[natural] != village:
                report.error(
                    label,
                    "natural_village",
                    _("natural village %(code)s is not in village %(village)s")
                    % {"code": natural, "village": village},
                )
            else:
                village = places.natural[natural]
        if village:
            if village not in places.villages:
                report.error(
                    label, "village", _("unknown village %(code)s") % {"code": village}
                )
            elif town and places.villages[village] != town:
                report.error(
                    label,
                    "village",
                    _("village %(code)s is not in town %(town)s")
                    % {"code": village, "town": town},
                )
            else:
                town = places.villages[village]
        if not town:
            report.error(label, "town", _("required (or give a village)"))
        elif town not in places.towns:
            report.error(label, "town", _("unknown town %(code)s") % {"code": town})
        if len(report.errors) > before:
            continue
        for column, value in values.items():
            setattr(facility, column, value)
        facility.town_id = town
        facility.village_id = village or None
        facility.natural_village_id = natural or None
        if not may_write(facility.kind, facility.town_id):
            # The same words as above: a row never tells whose a facility is.
            report.error(label, "", str(OUT_OF_REACH))
            continue
        if facility.kind in SCHOOL_KINDS and not facility.managed_by:
            report.error(
                label,
                "managed_by",
                _("a school needs its managing authority (city or town)"),
            )
            continue
        if (
            facility.kind == Kind.DISABILITY_SERVICE
            and not facility.disability_component
        ):
            report.error(
                label,
                "disability_component",
                _("a disability service needs its component"),
            )
            continue
        if facility.lon is not None and not -180 <= facility.lon <= 180:
            report.error(label, "lon", _("longitude must be between -180 and 180"))
            continue
        if facility.lat is not None and not -90 <= facility.lat <= 90:
            report.error(label, "lat", _("latitude must be between -90 and 90"))
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
                    report.error(label, "" if column == "__all__" else column, message)
            continue
        built.append(facility)
    return built
