"""Read the cells of an import file: text, numbers, dates, yes/no, codes, ID numbers.

Each reader takes a cell (text from CSV, a typed value from XLSX) and returns
the value or raises CellError worded for the user in the active language.
"""

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from equiserve.choices import choices_for, code_readings

TRUE = {"1", "true", "yes", "y", "是", "√"}
FALSE = {"", "0", "false", "no", "n", "否", "×"}
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})(\d{2})(\d{2})$")


class CellError(ValueError):
    """A cell's problem, already worded for the user."""


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value) -> dt.date | None:
    """Return a date from a cell (2015-02-03, 2015/2/3, 20150203 or a date cell)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise CellError(
            _("expected a date YYYY-MM-DD, got %(value)s") % {"value": text}
        )
    year, month, day = (int(part) for part in match.groups() if part is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("%(value)s is not a real date") % {"value": text}) from None


def _converted(text: str, convert, message: str):
    """Return `convert(text)`, or raise CellError(message) naming the text."""
    try:
        return convert(text)
    except (InvalidOperation, ValueError):
        raise CellError(message % {"value": text}) from None


def whole_number(value) -> int | None:
    """Return a whole number ≥ 0 (1, 1.0), or None if blank."""
    text = cell_text(value)
    if not text:
        return None
    number = _converted(text, Decimal, _("expected a whole number, got %(value)s"))
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise CellError(
            _("expected a whole number ≥ 0, got %(value)s") % {"value": text}
        )
    return int(number)


def decimal(value) -> Decimal | None:
    """Return a number ≥ 0 from a cell (thousands commas allowed), or None if blank."""
    text = cell_text(value).replace(",", "")
    if not text:
        return None
    number = _converted(text, Decimal, _("expected a number, got %(value)s"))
    if not number.is_finite() or number < 0:
        raise CellError(_("expected a number ≥ 0, got %(value)s") % {"value": text})
    return number


def money(value) -> Decimal | None:
    """Return an amount ≥ 0 in yuan, to the fen."""
    number = decimal(value)
    return None if number is None else number.quantize(Decimal("0.01"))


def flag(value) -> bool:
    """Return yes (1, true, 是, √) or no (blank, 0, false, 否, ×)."""
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(_("expected yes or no, got %(value)s") % {"value": text})


@cache
def _choices(name: str) -> dict[str, str]:
    # A cell may hold the code or its zh or en label (`elsewhere`, 非本市户籍（异地务工人员）).
    return code_readings(name)


def choice(name: str, value) -> str:
    """Return the code of a vocabulary cell (code or zh/en label, any case), or ''."""
    return choice_in(_choices(name), value, labels=dict(choices_for(name)))


class Readings(dict):
    """Readings of a field's codes (see `field_readings`), with each code's label."""

    def __init__(self, readings: dict[str, str], labels: dict):
        super().__init__(readings)
        self.labels = labels


def field_readings(model_field) -> dict[str, str]:
    """Map a model field's codes and their zh and en labels, lower-cased, to the code.

    For choices the plan's vocabulary does not hold (facility kinds); the
    vocabulary's own go through `choice`.
    """
    readings: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, label in model_field.choices:
                readings[str(label).strip().lower()] = code
    for code, _label in model_field.choices:
        readings[str(code).strip().lower()] = code
    return Readings(readings, dict(model_field.choices))


def choice_in(mapping: dict[str, str], value, labels: dict | None = None) -> str:
    """Return the code `value` reads as in `mapping` (see `field_readings`), or ''.

    A refusal lists the choices by their labels in the user's language, which
    the file may hold as well as the codes (issue 14: labels, not codes).
    """
    text = cell_text(value)
    if not text:
        return ""
    chosen = mapping.get(text.lower())
    if chosen is None:
        labels = labels if labels is not None else getattr(mapping, "labels", {})
        codes = list(dict.fromkeys(mapping.values()))
        shown = [str(labels[code]) for code in codes if code in labels] or sorted(codes)
        raise CellError(
            _("%(value)s is not one of: %(choices)s")
            % {"value": text, "choices": _list_separator().join(shown)}
        )
    return chosen


def _list_separator() -> str:
    return "、" if (translation.get_language() or "zh").startswith("zh") else ", "


def check_id_number(value) -> str:
    """Return a resident ID number checked by `stdnum.cn.ric`, or raise CellError.

    The checks go from the form to the meaning: 18 characters, digits, check
    character (ISO 7064 MOD 11-2), a birth date that exists and is not in the
    future, and a region code that existed in the year of birth.
    """
    if isinstance(value, int | float):
        raise CellError(
            _("write ID numbers as text: a number cell loses their last digits")
        )
    number = ric.compact(cell_text(value))
    if not number:
        raise CellError(_("required"))
    if len(number) != 18:
        raise CellError(
            _("an ID number has 18 characters, this one %(count)d")
            % {"count": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise CellError(_("an ID number is 17 digits and a digit or X"))
    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        raise CellError(
            _("wrong check character %(given)s (expected %(expected)s)")
            % {"given": number[-1], "expected": expected}
        )
    try:
        born = ric.get_birth_date(number)
    except StdnumError:
        raise CellError(
            _("the birth date %(value)s in the ID number is not a real date")
            % {"value": number[6:14]}
        ) from None
    if born > _today():
        raise CellError(
            _("the birth date %(value)s in the ID number is in the future")
            % {"value": born.isoformat()}
        )
    if not region_existed(number[:6], born.year):
        raise CellError(
            _("region code %(code)s did not exist in %(year)d")
            % {"code": number[:6], "year": born.year}
        )
    return number


@lru_cache(maxsize=65536)
def region_existed(code: str, year: int) -> bool:
    """Return whether the 6-digit region code was in use in `year` (stdnum's table).

    Cached: a registry file holds a few hundred regions and birth years, and the
    table lookup is the slowest of the checks.
    """
    try:
        ric.get_birth_place(f"{code}{year:04d}0101000X")
    except StdnumError:
        return False
    return True


def _today() -> dt.date:
    return timezone.localdate()


def raise_required():
    raise CellError(_("required"))


def required_text(value) -> str:
    text = cell_text(value)
    if not text:
        raise CellError(_("required"))
    return text


def real_number(value) -> float | None:
    """Return any finite number (a longitude, a latitude), or None if blank."""
    text = cell_text(value)
    if not text:
        return None
    message = _("expected a number, got %(value)s")
    number = _converted(text, float, message)
    if not math.isfinite(number):
        raise CellError(message % {"value": text})
    return number


def text(value) -> str:
    """Return a cell's text, '' if blank."""
    return cell_text(value)


def flag_or_unknown(value) -> bool | None:
    """Return yes or no, or None for a blank cell: not recorded, not "no"."""
    return flag(value) if cell_text(value) else None
