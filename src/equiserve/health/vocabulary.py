"""The kinds of the migrants' free family-planning services (3.3.4), read from the plan.

A kind is an item of one of the plan's 3.3.4 programmes (`programmes.yaml`):
the pre-pregnancy check (`prepregnancy_check`, eligibility
`prepregnancy_check_free`: six months' residence) and the basic services
(`migrant_family_planning`, eligibility `migrant_family_planning_free`: the
four operations, the IUD and pregnancy checks, contraceptives). Who may have a
kind is that programme's eligibility, as the engine finds it; nothing here
restates it.
"""

from __future__ import annotations

from django.utils.translation import get_language

from equiserve.policy.programmes import lang_key

PROGRAMMES = ("prepregnancy_check", "migrant_family_planning")
# The coverage indicator's population: the basic services' eligibility.
COVERAGE_PROGRAMME = "migrant_family_planning"


def _programme(code: str):
    from equiserve.cases.programmes import programme

    return programme(code)


def service_kinds() -> dict[str, tuple[str, object]]:
    """Return {kind: (programme code, plan item)} in the plan's order."""
    return {
        item.code: (code, item)
        for code in PROGRAMMES
        for item in _programme(code).items
    }


def programme_of(kind: str):
    """Return the plan programme whose eligibility decides `kind` (KeyError if none)."""
    return _programme(service_kinds()[kind][0])


def service_kind_choices() -> list[tuple[str, str]]:
    """Return (kind, label) pairs in the active language (Chinese first)."""
    lang = lang_key(get_language())
    return [(kind, item.label[lang]) for kind, (_, item) in service_kinds().items()]


def kind_label(kind: str) -> str:
    found = service_kinds().get(kind)
    return found[1].label[lang_key(get_language())] if found else kind
