"""What the housing services share: record types, errors, the round.json text."""

import json

from equiserve.housing.models import Offer

APPLICATION = "housing.application"
ESTATE = "housing.estate"
UNIT = "housing.unit"
ROUND = "housing.round"
OFFER = "housing.offer"
PLAN_QUOTA = "plan"


class HousingError(Exception):
    """A request the rules refuse; the message is for the user."""


class OfferConflict(HousingError):
    """Say that the offer was answered (or changed) since the officer loaded it."""

    def __init__(self, message: str, offer: Offer):
        super().__init__(message)
        self.offer = offer


def round_json_text(data: dict) -> str:
    """Return round.json as published: UTF-8 JSON, two-space indent, one field a line."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
