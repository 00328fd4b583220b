"""Fixtures shared by every app's tests."""

import pytest


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
