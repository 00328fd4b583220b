"""The screener's questions. Values are checked by the evaluate contract, not here.

The form only decides which questions are asked and which of them must be
answered; dates, numbers, towns and kinds go to `equiserve.policy.contract`
as typed, so the resident gets the same error messages as every other caller.
"""

import csv
import datetime as dt

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from equiserve.choices import choices_for
from equiserve.policy.inputs import TOWNS_CSV
from equiserve.rules import plan_gateway

REGISTERED, MIGRANT = "zhongshan", "elsewhere"
TOPICS = [
    ("child", _("I have a child at school or in kindergarten")),
    ("veteran", _("I left the army (retired conscript or NCO)")),
    ("death", _("Someone in my family died recently")),
    ("t1d", _("Type-1 diabetes in the family")),
    ("hardship", _("A sudden hardship: accident, illness, disaster, fire, crime")),
    ("housing", _("I need housing")),
]
# The kinds a resident picks from are the plan's vocabulary (inputs.yaml).
NOT_GIVEN = [("", "—")]
# Left as is, a relative's registration is the resident's (see __init__).
SAME_AS_MINE = [("", _("the same as mine"))]
T1D_WHO = [("me", _("me")), ("child", _("my child"))]

# The follow-up questions of each topic, under their heading (issue 14, deliverable 8).
FOLLOW_UPS = [
    (
        "child",
        _("Your child"),
        (
            "child_birth_date",
            "child_hukou",
            "child_school_stage",
            "child_relation",
        ),
    ),
    (
        "veteran",
        _("Leaving the army"),
        ("veteran_kind", "veteran_discharged", "veteran_nco_years"),
    ),
    (
        "death",
        _("A death in the family"),
        (
            "death_date",
            "death_hukou",
            "death_low_income",
            "death_storage_days",
            "death_ash_storage_years",
        ),
    ),
    ("t1d", _("Type-1 diabetes"), ("t1d_who", "t1d_diagnosed", "t1d_hospital_grade")),
    ("hardship", _("A sudden hardship"), ("hardship_cause", "hardship_date")),
    (
        "housing",
        _("Your housing"),
        ("household_size", "floor_area_m2", "annual_income", "assets"),
    ),
]

# Questions that must be answered once their section is shown.
REQUIRED = {
    "basic": ("date", "birth_date", "sex", "hukou", "town"),
    "child": ("child_birth_date", "child_school_stage", "child_hukou"),
    "veteran": ("veteran_kind", "veteran_discharged"),
    "death": ("death_date", "death_hukou"),
    "t1d": ("t1d_diagnosed", "t1d_hospital_grade"),
    "hardship": ("hardship_cause", "hardship_date"),
    "housing": ("household_size", "floor_area_m2", "annual_income"),
}


def town_choices() -> list[tuple[str, str]]:
    """Return the 24 towns as (code, name) in the active language."""
    english = not (get_language() or "zh-hans").startswith("zh")
    with TOWNS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (row["code_9"], row["name_en"] if english else row["short_name_zh"])
        for row in rows
    ]


def plan_period() -> tuple[dt.date, dt.date]:
    """Return the first and last day of the plan (catalogue.yaml `plan.period`)."""
    start, end = plan_gateway.plan().catalogue["plan"]["period"]
    return dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end))


class DateInput(forms.TextInput):
    input_type = "date"


def _date(label, **kwargs):
    return forms.CharField(label=label, required=False, widget=DateInput, **kwargs)


def _number(label, **kwargs):
    widget = forms.TextInput(attrs={"inputmode": "decimal"})
    return forms.CharField(label=label, required=False, widget=widget, **kwargs)


def _choice(label, choices, widget=forms.Select, **kwargs):
    # A CharField with a select: an unknown value is reported by the contract.
    return forms.CharField(
        label=label, required=False, widget=widget(choices=choices), **kwargs
    )


class ScreenerForm(forms.Form):
    """A resident's answers (and a child's, a deceased relative's, a household's)."""

    date = _date(_("Check on"), help_text=_("The rules in force on this day."))
    birth_date = _date(_("Your date of birth"))
    sex = _choice(_("Sex"), choices_for("sex"), widget=forms.RadioSelect)
    hukou = _choice(
        _("Household registration (hukou)"), [*NOT_GIVEN, *choices_for("hukou")]
    )
    town = _choice(_("Town or subdistrict where you live"), [])
    low_income = forms.BooleanField(
        label=_("My family is a registered low-income family"), required=False
    )
    hukou_kind = _choice(
        _("Type of registration"),
        [("", _("not given")), *choices_for("hukou_kind")],
    )
    one_child_parent = forms.BooleanField(
        label=_("I hold the one-child parents' certificate"), required=False
    )
    resident_since = _date(
        _("Living in Zhongshan since"), help_text=_("The first day of your residence.")
    )
    points = _number(
        _("Your points in the migrants' points system"),
        help_text=_("Leave empty if you have none."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Which of these apply to you?"),
        choices=TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    child_birth_date = _date(_("The child's date of birth"))
    child_hukou = _choice(
        _("The child's household registration"), [*SAME_AS_MINE, *choices_for("hukou")]
    )
    child_school_stage = _choice(
        _("The child's school stage"), choices_for("school_stage")
    )
    child_relation = _choice(
        _("Your relation to the child"),
        [
            ("guardian", _("I am the child's parent or guardian")),
            ("other", _("someone else is the child's guardian")),
        ],
        help_text=_("Under 3.4.2 a migrant pupil joins through the guardian's points."),
    )
    veteran_kind = _choice(
        _("How you left the army"), [*NOT_GIVEN, *choices_for("veteran_kind")]
    )
    veteran_discharged = _date(_("Date of discharge"))
    veteran_nco_years = _number(
        _("Years served as NCO"), help_text=_("NCOs only; whole years.")
    )
    death_date = _date(_("Date of death"))
    death_hukou = _choice(
        _("The deceased's household registration"),
        [*SAME_AS_MINE, *choices_for("hukou")],
    )
    death_low_income = forms.BooleanField(
        label=_("The deceased was in a low-income family"), required=False
    )
    death_storage_days = _number(
        _("Days of body storage"), help_text=_("Leave empty if not known yet.")
    )
    death_ash_storage_years = _number(
        _("Years of ashes storage"), help_text=_("Leave empty if not known yet.")
    )
    t1d_who = _choice(_("Who has type-1 diabetes?"), T1D_WHO)
    t1d_diagnosed = _date(_("Date of diagnosis"))
    t1d_hospital_grade = _choice(
        _("Grade of the hospital that diagnosed it"),
        [*NOT_GIVEN, *choices_for("t1d_hospital_grade")],
    )
    hardship_cause = _choice(
        _("Cause of the hardship"), [*NOT_GIVEN, *choices_for("hardship_cause")]
    )
    hardship_date = _date(_("Date it happened"))
    household_size = _number(_("People in your household"))
    floor_area_m2 = _number(_("Floor area of your home (m²)"))
    annual_income = _number(_("Household income last year (CNY)"))
    assets = _number(
        _("Household assets (CNY)"),
        help_text=_("Leave empty if you prefer not to say."),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and (hukou := self.data.get("hukou")):
            # A child's or a deceased relative's registration starts as the resident's.
            missing = [
                n for n in ("child_hukou", "death_hukou") if not self.data.get(n)
            ]
            if missing:
                self.data = self.data.copy()
                for name in missing:
                    self.data[name] = hukou
        self.fields["town"].widget.choices = [("", "—"), *town_choices()]
        if today is not None:
            start, end = plan_period()
            self.fields["date"].initial = min(max(today, start), end).isoformat()

    def follow_ups(self) -> list[dict]:
        """Return each topic's follow-up questions with its heading and topic label."""
        labels = dict(TOPICS)
        return [
            {
                "code": code,
                "legend": legend,
                "label": labels[code],
                "fields": [self[name] for name in names],
            }
            for code, legend, names in FOLLOW_UPS
        ]

    def date_warning(self) -> str:
        """Warn when the day checked lies outside the plan's period (not an error)."""
        try:
            day = dt.date.fromisoformat(self.value("date"))
        except ValueError:
            return ""  # the contract reports a date it cannot read
        start, end = plan_period()
        if start <= day <= end:
            return ""
        return _(
            "The plan runs from %(start)s to %(end)s; on this day its rules may no "
            "longer, or not yet, apply."
        ) % {"start": start.isoformat(), "end": end.isoformat()}

    def value(self, name: str) -> str:
        """Return the answer to `name` as given (bound) or its initial value."""
        if self.is_bound:
            if isinstance(self.fields[name], forms.MultipleChoiceField):
                if hasattr(self.data, "getlist"):
                    return self.data.getlist(name)
                given = self.data.get(name) or []
                return list(given) if isinstance(given, (list, tuple)) else [given]
            return (self.data.get(name) or "").strip()
        initial = self.fields[name].initial
        return "" if initial is None else initial

    def sections(self) -> set[str]:
        """Return the sections the answers so far make relevant."""
        shown = {"basic"}
        hukou = self.value("hukou")
        if hukou == REGISTERED:
            shown.add("registered")
        elif hukou == MIGRANT:
            shown.add("migrant")
        shown.update(t for t in self.value("topics") if t in dict(TOPICS))
        return shown

    def clean(self):
        cleaned = super().clean()
        shown = self.sections()
        for section, names in REQUIRED.items():
            if section not in shown:
                continue
            for name in names:
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, forms.Field.default_error_messages["required"])
        if (
            "t1d" in shown
            and cleaned.get("t1d_who") == "child"
            and "child" not in shown
        ):
            self.add_error(
                "t1d_who",
                _(
                    "Tick “I have a child at school or in kindergarten” to answer for a child."
                ),
            )
        return cleaned
