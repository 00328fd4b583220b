"""The facts an application states: their kinds, labels, parsing and the registry's value.

A fact has the name of the evaluate contract's field, flattened (`death_date`
for death.date), so it goes to the engine under that name. Facts are stored in
`Case.facts` as JSON: dates as ISO text, money as decimal text, counts as
integers, choices as their codes. A fact an application leaves out is read from
the registry at assessment.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from equiserve.choices import choices_for, code_readings
from equiserve.formatting import ungrouped
from equiserve.registry.models import Person, PersonHealth

DATE, COUNT, MONEY, CHOICE, BOOL = "date", "count", "money", "choice", "bool"
# A yes-or-no fact in either language; anything else is refused, and not stating it
# leaves it unknown (issue 15: 低保 is stated, never assumed).
YES = frozenset({"true", "yes", "1", "是"})
NO = frozenset({"false", "no", "0", "否"})


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str
    label: object  # lazy translation
    choices: tuple[tuple[str, object], ...] = ()

    def choice_label(self, code) -> str:
        return str(dict(self.choices).get(code, code))


def _person_label(name: str):
    return Person._meta.get_field(name).verbose_name


def _health_label(name: str):
    return PersonHealth._meta.get_field(name).verbose_name


FACTS: dict[str, Fact] = {
    fact.name: fact
    for fact in (
        Fact(
            "hardship_cause",
            CHOICE,
            _person_label("hardship_cause"),
            tuple(choices_for("hardship_cause")),
        ),
        Fact("hardship_date", DATE, _person_label("hardship_date")),
        Fact("requested_amount", MONEY, gettext_lazy("amount requested (CNY)")),
        Fact("death_date", DATE, _person_label("death_date")),
        Fact("death_storage_days", COUNT, _person_label("death_storage_days")),
        Fact(
            "death_ash_storage_years", COUNT, _person_label("death_ash_storage_years")
        ),
        Fact(
            "veteran_kind",
            CHOICE,
            _person_label("veteran_kind"),
            tuple(choices_for("veteran_kind")),
        ),
        Fact("veteran_discharged", DATE, _person_label("veteran_discharged")),
        Fact("veteran_nco_years", COUNT, _person_label("veteran_nco_years")),
        Fact("conscription_enlisted", DATE, _person_label("conscription_enlisted")),
        Fact(
            "school_stage",
            CHOICE,
            _person_label("school_stage"),
            tuple(choices_for("school_stage")),
        ),
        Fact("t1d_diagnosed", DATE, _health_label("t1d_diagnosed")),
        Fact(
            "t1d_hospital_grade",
            CHOICE,
            _health_label("t1d_hospital_grade"),
            tuple(choices_for("t1d_hospital_grade")),
        ),
        Fact("resident_since", DATE, _person_label("resident_since")),
        # Clause 3.7 (issue 15): the labour register's, through REGISTER_VALUES.
        Fact("unemployed_since", DATE, gettext_lazy("registered unemployed since")),
        Fact(
            "community_post_months",
            COUNT,
            gettext_lazy("months worked in a community post"),
        ),
        # The project records no 低保 payments: the officer states it (issue 15).
        Fact(
            "minimum_living_allowance",
            BOOL,
            gettext_lazy("household receives the minimum living allowance (dibao)"),
        ),
    )
}


def parse_fact(name: str, raw) -> object:
    """Return the fact's stored (JSON) value from text or a Python value; None if empty.

    Raises ValidationError with a message in the active language.
    """
    fact = FACTS[name]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if fact.kind == DATE:
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        try:
            return dt.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a date (write it as 2015-07-01)") % {"value": raw}
            ) from None
    if fact.kind == COUNT:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or number < 0:
            raise ValidationError(
                _("“%(value)s” is not a whole number of 0 or more") % {"value": raw}
            )
        return int(number)
    if fact.kind == BOOL:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in YES or text in NO:
            return text in YES
        raise ValidationError(_("“%(value)s” is not yes or no") % {"value": raw})
    if fact.kind == MONEY:
        try:
            amount = Decimal(ungrouped(raw))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0:
            raise ValidationError(
                _("“%(value)s” is not an amount of 0 or more") % {"value": raw}
            )
        return str(amount.quantize(Decimal("0.01")))
    text = str(raw).strip()
    # A code or its label in either language (spreadsheets use labels), as the
    # registry's importer reads them.
    code = code_readings(name).get(text.lower())
    if code is not None:
        return code
    raise ValidationError(
        _("“%(value)s” is not one of: %(choices)s")
        % {
            "value": text,
            # Labels, not codes (issue 14); the field reads either.
            "choices": (
                "、" if (get_language() or "zh").startswith("zh") else ", "
            ).join(str(label) for _code, label in fact.choices),
        }
    )


# Facts another app's register holds, not the person's record: {name: (person, day)
# -> stored value as on the day of application}. An app registers its own in
# AppConfig.ready (the employment app's, issue 15), so casework imports no other app.
REGISTER_VALUES: dict[str, Callable[[Person, dt.date | None], object]] = {}


def registry_value(
    person: Person, health: PersonHealth | None, name: str, day: dt.date | None = None
):
    """Return the registry's value of fact `name` for `person` (on `day`), stored form."""
    if name == "requested_amount":
        return None
    if name in REGISTER_VALUES:
        return REGISTER_VALUES[name](person, day)
    source = health if name in ("t1d_diagnosed", "t1d_hospital_grade") else person
    value = getattr(source, name, None) if source is not None else None
    if value in ("", None):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def display_value(name: str, value) -> str:
    """Return a fact's value for a page, choices by their label."""
    if value is None or value == "":
        return "—"
    fact = FACTS[name]
    if fact.kind == CHOICE:
        return fact.choice_label(value)
    if fact.kind == BOOL:
        return _("yes") if value else _("no")
    return str(value)
