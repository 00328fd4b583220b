"""How numbers and periods read on every page and export (issue 14, deliverable 5).

One place for money ("¥12,000.00") and half-year periods ("2016年下半年" /
"2016 H2"), used by Python code and, through the `money` and `half_year` template
filters (`{% load equiserve %}`), by templates.
"""

import re
from decimal import Decimal, InvalidOperation

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
