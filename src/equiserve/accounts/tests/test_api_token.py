import pytest
from django.contrib.auth import get_user_model

from equiserve.accounts.models import ApiToken
from equiserve.audit.models import AuditEntry


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user("officer-a", password="a-long-secret")


def test_token_for_right_credentials_and_only_its_hash_is_stored(client, officer):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "officer-a", "password": "a-long-secret"},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 40
    stored = ApiToken.objects.get(user=officer)
    assert stored.key_sha256 != token and len(stored.key_sha256) == 64
    assert AuditEntry.objects.filter(action="login", actor=officer).count() == 1


def test_wrong_password_is_refused_and_logged(client, officer):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "officer-a", "password": "wrong"},
        content_type="application/json",
        HTTP_COOKIE="django_language=en",
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong user name or password."}
    assert ApiToken.objects.count() == 0
    assert AuditEntry.objects.filter(action="login_failed").count() == 1


def test_wrong_password_message_is_chinese_by_default(client, officer):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "officer-a", "password": "wrong"},
        content_type="application/json",
    )
    assert response.json() == {"detail": "用户名或密码错误。"}


def test_demo_account_gets_no_token_outside_demo_mode(client, demo_accounts, settings):
    settings.DEMO_MODE = False
    response = client.post(
        "/api/v1/auth/token",
        {"username": "office", "password": "demo-office"},
        content_type="application/json",
    )
    assert response.status_code == 401
