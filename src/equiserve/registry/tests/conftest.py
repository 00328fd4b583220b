import pytest
from django.test import Client

from equiserve.registry.tests.factories import (
    GUZHEN,
    XIAOLAN,
    make_household,
    make_person,
)


@pytest.fixture
def people(demo_accounts):
    """One household with two persons in Xiaolan, one with one person in Guzhen."""
    xiaolan_home = make_household(XIAOLAN, key="h-xl")
    guzhen_home = make_household(GUZHEN, key="h-gz")
    return {
        "xiaolan": make_person(XIAOLAN, key="p-xl", household=xiaolan_home),
        "xiaolan_child": make_person(XIAOLAN, key="p-xl-2", household=xiaolan_home),
        "guzhen": make_person(GUZHEN, key="p-gz", household=guzhen_home),
        "xiaolan_home": xiaolan_home,
        "guzhen_home": guzhen_home,
    }


@pytest.fixture
def login():
    """Return a client logged in as a demo account (English pages)."""

    def client_for(username: str | None) -> Client:
        client = Client()
        client.cookies["django_language"] = "en"
        if username:
            assert client.login(username=username, password=f"demo-{username}")
        return client

    return client_for


@pytest.fixture
def token(client):
    """Return a bearer token for a demo account."""

    def token_for(username: str) -> str:
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": f"demo-{username}"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return response.json()["token"]

    return token_for
