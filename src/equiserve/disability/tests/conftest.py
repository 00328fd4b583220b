import pytest


@pytest.fixture(autouse=True)
def _english_messages(client):
    """Messages follow the user's language; these tests read the English ones."""
    from django.utils import translation

    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
