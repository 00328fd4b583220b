"""Fixtures shared by every app's tests, and the PostgreSQL pass's selection."""

from pathlib import Path

import pytest

# Packages with no Django import (import-linter keeps them so): their tests open
# no database, and give the same result whatever DATABASE_URL says.
PLAIN_PACKAGES = {
    "policy",
    "simulation",
    "synth",
    "equality",
    "allocation",
    "accessibility",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-dependent-only",
        action="store_true",
        help="Run only the tests whose outcome can depend on DATABASE_URL: not "
        "the plain packages' nor those marked sqlite_file (CI's second pass).",
    )


def _independent_of_the_database(item) -> bool:
    if item.get_closest_marker("sqlite_file"):
        return True
    parts = Path(str(item.path)).parts
    return any(
        parts[i : i + 3] == ("equiserve", package, "tests")
        for i in range(len(parts) - 2)
        for package in PLAIN_PACKAGES
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-dependent-only"):
        return
    kept, independent = [], []
    for item in items:
        (independent if _independent_of_the_database(item) else kept).append(item)
    config.hook.pytest_deselected(items=independent)
    items[:] = kept


@pytest.fixture
def geography(db):
    """The 24 towns with their synthetic villages, as `make run` loads them."""
    from equiserve.geography.services import geography_load_reference

    return geography_load_reference()


@pytest.fixture
def demo_accounts(geography, settings):
    """The published demo accounts, in demo mode."""
    from equiserve.accounts.services import demo_accounts_create

    settings.DEMO_MODE = True
    return {account.username: account for account in demo_accounts_create()}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords cheaply; production keeps Django's PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Keep each test's audit checkpoints apart from var/ and from other tests."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture
def login():
    """Return a client logged in as a demo account; English pages unless asked."""
    from django.test import Client

    def client_for(username: str | None, language: str = "en") -> Client:
        client = Client()
        client.cookies["django_language"] = language
        if username:
            assert client.login(username=username, password=f"demo-{username}")
        return client

    return client_for


@pytest.fixture
def token(client):
    """Return a function giving a bearer token for a demo account."""

    def token_for(username: str) -> str:
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": f"demo-{username}"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return response.json()["token"]

    return token_for
