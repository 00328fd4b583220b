"""Points are half-points, stored and shown exactly (issue 12, point 5)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from equiserve.testkit import XIAOLAN, make_person


def test_a_person_keeps_107_5_points_and_refuses_107_3(geography):
    person = make_person(XIAOLAN, hukou="elsewhere", points=Decimal("107.5"))
    person.refresh_from_db()
    assert person.points == Decimal("107.5")
    person.points = Decimal("107.3")
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    with translation.override("en"):
        assert refused.value.message_dict == {
            "points": ["points go in steps of 0.5 from 0 (e.g. 107.5), not 107.3"]
        }


def test_the_api_gives_half_points_as_a_number_and_says_so(
    demo_accounts, client, token
):
    person = make_person(XIAOLAN, hukou="elsewhere", points=Decimal("107.5"))
    headers = {"Authorization": f"Bearer {token('town-xiaolan')}"}
    detail = client.get(f"/api/v1/persons/{person.public_id}", headers=headers)
    assert detail.status_code == 200
    assert detail.json()["points"] == 107.5
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    points = schema["PersonDetailOut"]["properties"]["points"]
    assert {"type": "number", "multipleOf": 0.5} in points["anyOf"]
