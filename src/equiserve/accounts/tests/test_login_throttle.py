"""Logins are throttled and audited, web and API alike (issue 10, finding 10)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from equiserve.accounts.models import ApiToken
from equiserve.audit.models import AuditEntry

LOCKED_EN = (
    "Too many failed logins for this user name or from this address. "
    "Try again in 15 minutes."
)
LOCKED_ZH = "此用户名或此地址登录失败次数过多，请 15 分钟后再试。"


@pytest.fixture
def officer(db):
    reset()  # no failure counts left from elsewhere
    return get_user_model().objects.create_user("officer-a", password="a-long-secret")


def _client(address="10.0.0.1", language="en") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = language
    return client


def _web_login(client, username="officer-a", password="a-long-secret"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _api_login(client, username="officer-a", password="a-long-secret"):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_the_right_password_works_after_a_few_mistakes(officer):
    client = _client()
    for _ in range(4):
        assert _web_login(client, password="wrong").status_code == 200
    assert _web_login(client).status_code == 302


def test_five_wrong_passwords_lock_the_web_login_even_for_the_right_one(officer):
    client = _client()
    for _ in range(4):
        _web_login(client, password="wrong")
    fifth = _web_login(client, password="wrong")
    assert fifth.status_code == 429
    assert LOCKED_EN in fifth.content.decode()
    right = _web_login(client)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_chinese_by_default(officer):
    client = _client(language="zh-hans")
    for _ in range(5):
        response = _web_login(client, password="wrong")
    assert LOCKED_ZH in response.content.decode()


def test_the_api_token_endpoint_locks_out_with_a_json_error(officer):
    client = _client()
    for _ in range(4):
        assert _api_login(client, password="wrong").status_code == 401
    for password in ("wrong", "a-long-secret"):
        response = _api_login(client, password=password)
        assert (response.status_code, response.json()["detail"]) == (429, LOCKED_EN)
    assert ApiToken.objects.count() == 0


def test_web_and_api_failures_count_together(officer):
    client = _client()
    for _ in range(3):
        _web_login(client, password="wrong")
    for _ in range(2):
        _api_login(client, password="wrong")
    assert _api_login(client).status_code == 429
    assert _web_login(client).status_code == 429


def test_an_account_is_locked_from_every_address(officer):
    for number in range(5):
        _api_login(_client(f"10.0.1.{number}"), password="wrong")
    assert _api_login(_client("10.0.2.1")).status_code == 429


def test_an_address_trying_many_names_is_locked_for_all_of_them(officer):
    attacker = _client("10.0.3.1")
    for number in range(5):
        _web_login(attacker, username=f"guess-{number}", password="wrong")
    assert _web_login(attacker).status_code == 429
    assert _web_login(_client("10.0.3.2")).status_code == 302


def test_the_lockout_ends_after_the_cool_off(officer):
    client = _client()
    for _ in range(5):
        _api_login(client, password="wrong")
    assert _api_login(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _api_login(client).status_code == 200


def test_web_login_failure_and_logout_are_audited_without_the_password(officer):
    client = _client()
    _web_login(client, password="wrong-secret")
    _web_login(client)
    client.post("/accounts/logout/")
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [(e.action, e.actor_username, e.remote_addr) for e in entries] == [
        ("login_failed", "", "10.0.0.1"),
        ("login", "officer-a", "10.0.0.1"),
        ("logout", "officer-a", "10.0.0.1"),
    ]
    failed = entries[0]
    assert failed.summary == "login refused for 'officer-a' (web)"
    assert failed.changes == {"username": "officer-a", "locked_out": False}
    assert not AuditEntry.objects.filter(summary__contains="wrong-secret").exists()
    assert "wrong-secret" not in str([e.changes for e in entries])


def test_an_id_number_typed_as_user_name_is_audited_masked(officer):
    _api_login(_client(), username="440102199001011234", password="wrong")
    failed = AuditEntry.objects.get(action="login_failed")
    assert failed.changes["username"] == "440102********1234"
    assert "19900101" not in failed.summary
    assert failed.summary == "login refused for '440102********1234' (api)"


def test_a_locked_out_attempt_is_audited_as_such(officer):
    client = _client()
    for _ in range(5):
        _api_login(client, password="wrong")
    _api_login(client)
    last = AuditEntry.objects.order_by("-seq").first()
    assert last.action == "login_failed"
    assert last.changes == {"username": "officer-a", "locked_out": True}
