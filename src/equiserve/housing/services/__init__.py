"""Writes for public rental housing (3.8), each with its audit entry.

`round_freeze` freezes the eligible list, publishes its SHA-256 and the seed
commitment and seals the seed; `round_draw` reveals the seed, draws with the
core and makes the offers; `offer_answer` records a household's answer, once.
"""

from equiserve.housing.services.applications import (
    application_reassess,
    application_submit,
    application_withdraw,
    applications_assess,
)
from equiserve.housing.services.common import (
    PLAN_QUOTA,
    HousingError,
    OfferConflict,
    round_json_text,
)
from equiserve.housing.services.demo import housing_demo_clear, housing_demo_load
from equiserve.housing.services.offers import offer_answer
from equiserve.housing.services.rounds import (
    plan_migrant_quota,
    round_draw,
    round_freeze,
)
from equiserve.housing.services.stock import estate_create, unit_create

__all__ = [
    "PLAN_QUOTA",
    "HousingError",
    "OfferConflict",
    "application_reassess",
    "application_submit",
    "application_withdraw",
    "applications_assess",
    "estate_create",
    "housing_demo_clear",
    "housing_demo_load",
    "offer_answer",
    "plan_migrant_quota",
    "round_draw",
    "round_freeze",
    "round_json_text",
    "unit_create",
]
