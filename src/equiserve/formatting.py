"""How numbers and periods read on every page and export (issue 14, deliverable 5).

One place for money ("¥12,000.00") and half-year periods ("2016年下半年" /
"2016 H2"), used by Python code and, through the `money` and `half_year` template
filters (`{% load equiserve %}`), by templates.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

_HALF_YEAR = re.compile(r"^(\d{4})\s*-?\s*H([12])$")


def money(value) -> str:
    """Return an amount in yuan as "¥12,000.00"; "—" for none, as given if not a number."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def half_year(period) -> str:
    """Return a half-year period such as "2016H2" in words: "2016年下半年" / "2016 H2"."""
    match = _HALF_YEAR.match(str(period or "").strip())
    if not match:
        return str(period or "")
    year, half = match.groups()
    if half == "1":
        return _("%(year)s H1") % {"year": year}
    return _("%(year)s H2") % {"year": year}


# Thousands separators people type: "12,000", "12，000", "12 000" (issue 14, deliverable 3).
_GROUPED = re.compile(
    r"^[-+]?\d{1,3}(?:([,，\u00a0\u202f ])\d{3})(?:\1\d{3})*(?:\.\d+)?$"
)


def ungrouped(text) -> str:
    """Return a typed number without its thousands separators ("12,000" → "12000").

    Only well-formed groups are read ("1,2" stays as typed, to be refused), and a
    leading "¥" is dropped.
    """
    text = str(text).strip().removeprefix("¥").removeprefix("￥").strip()
    if _GROUPED.match(text):
        return re.sub(r"[,，\u00a0\u202f ]", "", text)
    return text


def _language() -> str:
    return "zh" if (get_language() or "zh-hans").startswith("zh") else "en"


_CODE_IN_TEXT = re.compile(r"(?<![\w\-./])[a-z][a-z_\-]*[a-z](?![\w\-/]|\.\w)")


def with_labels(text: str) -> str:
    """Return `text` with the codes of programmes written as their labels."""
    if not text:
        return text
    from equiserve.rules import plan_gateway

    programmes = plan_gateway.plan().programmes
    lang = _language()
    return _CODE_IN_TEXT.sub(
        lambda match: (
            programmes[match.group(0)].label_in(lang)
            if match.group(0) in programmes
            else match.group(0)
        ),
        text,
    )


def town_name(code: str) -> str:
    """Return a town's name in the active language, "—" for none, the code if unknown."""
    if not code:
        return "—"
    names = _TOWNS if code in _TOWNS else _load_towns()
    if code not in names:
        return code
    return names[code][0 if _language() == "zh" else 1]


# The 24 towns are reference data: read once, again when a code is not known.
_TOWNS: dict[str, tuple[str, str]] = {}


def _load_towns() -> dict[str, tuple[str, str]]:
    from equiserve.geography.models import Town

    _TOWNS.clear()
    for town in Town.objects.only("short_name_zh", "name_en"):
        _TOWNS[town.code] = (town.short_name_zh, town.name_en)
    return _TOWNS


# A count with its unit: English singular or plural, Chinese measure words (issue 14,
# deliverable 5: "1 courts", "4 items"). The units of the plan's standards.
_UNITS = {
    "courts": lambda n: ngettext("%(count)s court", "%(count)s courts", n),
    "instructors": lambda n: ngettext(
        "%(count)s instructor", "%(count)s instructors", n
    ),
    "items": lambda n: ngettext("%(count)s item", "%(count)s items", n),
    "stations": lambda n: ngettext("%(count)s station", "%(count)s stations", n),
    "tables": lambda n: ngettext("%(count)s table", "%(count)s tables", n),
    "years": lambda n: ngettext("%(count)s year", "%(count)s years", n),
    # The units of the programmes' items, as their English labels name them.
    "times": lambda n: ngettext("%(count)s time", "%(count)s times", n),
    "days": lambda n: ngettext("%(count)s day", "%(count)s days", n),
    "months": lambda n: ngettext("%(count)s month", "%(count)s months", n),
    "quarters": lambda n: ngettext("%(count)s quarter", "%(count)s quarters", n),
    "terms": lambda n: ngettext("%(count)s term", "%(count)s terms", n),
    "school years": lambda n: ngettext(
        "%(count)s school year", "%(count)s school years", n
    ),
}


def quantity(count, unit: str) -> str:
    """Return `count` with its unit in words: "1 court", "4 items", "4 项", "30 m²"."""
    if count is None or count == "":
        return "—"
    text = _UNITS.get(unit)
    try:
        number = Decimal(str(count).replace(",", ""))
    except InvalidOperation:
        return f"{count} {unit}".strip()
    shown = (
        f"{number:,f}" if number != number.to_integral_value() else f"{int(number):,}"
    )
    if text is None:
        return f"{shown} {unit}".strip()
    return text(int(number) if number == number.to_integral_value() else 2) % {
        "count": shown
    }


# A unit on its own, as a column or a heading names it (issue 14: exports carry
# labels): the plan's unit codes in words; "%", "m²" and the like read as they are.
_UNIT_WORDS = {
    "courts": lambda: pgettext("unit", "courts"),
    "instructors": lambda: pgettext("unit", "instructors"),
    "items": lambda: pgettext("unit", "items"),
    "stations": lambda: pgettext("unit", "stations"),
    "tables": lambda: pgettext("unit", "tables"),
    "years": lambda: pgettext("unit", "years"),
    "days": lambda: pgettext("unit", "days"),
    "persons": lambda: pgettext("unit", "persons"),
    "share": lambda: pgettext("unit", "share"),
    "CNY": lambda: "¥",
}


def unit_label(unit) -> str:
    """Return a unit in words ("项" / "items"); units that are symbols as given."""
    word = _UNIT_WORDS.get(str(unit or ""))
    return word() if word else str(unit or "")
