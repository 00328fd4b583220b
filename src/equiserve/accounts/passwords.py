"""Refuse passwords made of what an attacker tries first (issue 10, finding 12).

Beside Django's validators (length, common passwords, all digits, likeness to
the user's name): a password may not contain the user name, a calendar date
(19520316, 2014-01-01, 2014/1/1) or the city's name (zhongshan, 中山).
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CITY_NAMES = ("zhongshan", "中山")
# Year, month and day, with or without one separator: 19520316, 2014-01-01,
# 2014/1/1, 2014.01.01, 2014年1月1日.
DATE = re.compile(
    r"(?<!\d)(1[89]\d\d|20\d\d)([-/._ 年]?)(\d{1,2})([-/._ 月]?)(\d{1,2})日?(?!\d)"
)


def contains_date(password: str) -> bool:
    """Return whether `password` contains a real calendar date, year first."""
    for match in DATE.finditer(password):
        year, first_separator, month, second_separator, day = match.groups()
        if bool(first_separator) != bool(second_separator):
            continue
        if not first_separator and (len(month), len(day)) != (2, 2):
            continue
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        return True
    return False


class PersonalPasswordValidator:
    """Refuse a password holding the user name, a date or the city's name."""

    def validate(self, password: str, user=None) -> None:
        folded = password.casefold()
        username = (getattr(user, "username", "") or "").casefold()
        if len(username) >= 3 and username in folded:
            raise ValidationError(
                _("The password may not contain the user name."),
                code="password_contains_username",
            )
        if contains_date(password):
            raise ValidationError(
                _("The password may not contain a date such as a birthday."),
                code="password_contains_date",
            )
        if any(name in folded for name in CITY_NAMES):
            raise ValidationError(
                _("The password may not contain the city's name."),
                code="password_contains_city",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password may not contain your user name, a date or the city's name."
        )
