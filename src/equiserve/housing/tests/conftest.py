import pytest
from django.test import Client


@pytest.fixture
def login():
    """Return a client logged in as a demo account (English pages); None = anonymous."""

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


@pytest.fixture(autouse=True)
def _english_messages(client):
    """Messages follow the user's language; these tests read the English ones."""
    from django.utils import translation

    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
