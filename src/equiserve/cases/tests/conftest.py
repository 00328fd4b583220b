import datetime as dt

import pytest
from django.test import Client

from equiserve.cases import services
from equiserve.cases.tests.factories import (
    APPLIED_ON,
    XIAOLAN,
    eligible_applicant,
    second_civil_affairs_officer,
)


@pytest.fixture
def officers(demo_accounts):
    """The demo accounts as users, and a second civil-affairs officer (checker)."""
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    users["civil-affairs-2"] = second_civil_affairs_officer()
    return users


@pytest.fixture
def api():
    """Return a function calling the API as an officer: api(user, method, path, body)."""
    tokens = {}

    def call(username: str, method: str, path: str, body=None, language="en"):
        client = Client()
        if username not in tokens:
            response = client.post(
                "/api/v1/auth/token",
                {"username": username, "password": f"demo-{username}"},
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
            tokens[username] = response.json()["token"]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[username]}"}
        path = f"{path}{'&' if '?' in path else '?'}lang={language}"
        if method == "get":
            return client.get(path, **headers)
        return client.post(path, body or {}, content_type="application/json", **headers)

    return call


@pytest.fixture
def make_case(officers):
    """Return a function registering a case for an eligible applicant."""

    def make(programme="funeral", town=XIAOLAN, *, by=None, assess=False, **fields):
        from equiserve.cases.programmes import PROGRAMMES

        chosen = PROGRAMMES[programme]
        actor = officers[by or chosen.department]
        applicant = fields.pop("applicant", None) or eligible_applicant(programme, town)
        case = services.case_register(
            programme=programme,
            applicant=applicant,
            applied_on=fields.pop("applied_on", APPLIED_ON[programme]),
            facts=fields.pop("facts", {}),
            documents=fields.pop("documents", [d.code for d in chosen.documents]),
            actor=actor,
        )
        if assess:
            services.case_assess(case=case, version=case.version, actor=actor)
        return case

    return make


@pytest.fixture
def today():
    return dt.date.today()


@pytest.fixture(autouse=True)
def _english_messages(client):
    """Messages follow the user's language; these tests read the English ones."""
    from django.utils import translation

    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
