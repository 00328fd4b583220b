from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from equiserve.accounts.models import ApiToken, Profile
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
    assert response.json()["detail"] == "Wrong user name or password."
    assert ApiToken.objects.count() == 0
    assert AuditEntry.objects.filter(action="login_failed").count() == 1


def test_wrong_password_message_is_chinese_by_default(client, officer):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "officer-a", "password": "wrong"},
        content_type="application/json",
    )
    assert response.json()["detail"] == "用户名或密码错误。"


def test_demo_account_gets_no_token_outside_demo_mode(client, demo_accounts, settings):
    settings.DEMO_MODE = False
    response = client.post(
        "/api/v1/auth/token",
        {"username": "office", "password": "demo-office"},
        content_type="application/json",
    )
    assert response.status_code == 401


# Issue 10, finding 6: tokens follow the account, expire, and can be revoked.


def _issue(client, username="officer-a", password="a-long-secret"):
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def _tokens(client, token):
    return client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_expires_after_the_lifetime_and_says_when(client, officer):
    before = timezone.now()
    issued = _issue(client)
    expires_at = datetime.fromisoformat(issued["expires_at"])
    assert issued["expires_in"] == 8 * 3600
    assert timedelta(hours=8) <= expires_at - before < timedelta(hours=8, minutes=1)
    assert _tokens(client, issued["token"]).status_code == 200
    ApiToken.objects.filter(pk=issued["token_id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _tokens(client, issued["token"]).status_code == 401


def test_a_token_from_demo_mode_stops_outside_demo_mode(
    client, demo_accounts, settings
):
    issued = _issue(client, "office", "demo-office")
    assert _tokens(client, issued["token"]).status_code == 200
    settings.DEMO_MODE = False  # as after a restart without EQUISERVE_DEMO
    assert _tokens(client, issued["token"]).status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        lambda user: user.set_password("another-long-secret"),
        lambda user: setattr(user, "is_active", False),
        lambda user: setattr(user, "is_staff", True),
    ],
    ids=["password changed", "deactivated", "made staff"],
)
def test_a_change_to_the_account_ends_its_tokens(client, officer, change):
    issued = _issue(client)
    change(officer)
    officer.save()
    assert _tokens(client, issued["token"]).status_code == 401


def test_a_change_of_role_or_town_ends_its_tokens(client, demo_accounts):
    issued = _issue(client, "town-xiaolan", "demo-town-xiaolan")
    profile = Profile.objects.get(user__username="town-xiaolan")
    profile.town_id = "442000105"
    profile.save()
    assert _tokens(client, issued["token"]).status_code == 401


def test_the_owner_lists_and_revokes_one_token(client, officer):
    first = _issue(client)
    second = _issue(client)
    other = get_user_model().objects.create_user("officer-b", password="b-long-secret")
    foreign = _issue(client, "officer-b", "b-long-secret")
    listed = _tokens(client, second["token"]).json()
    assert [(t["id"], t["current"]) for t in listed] == [
        (second["token_id"], True),
        (first["token_id"], False),
    ]
    # Someone else's token is the same 404 as a missing one, and stays alive.
    for token_id in (foreign["token_id"], 999999):
        refused = client.delete(
            f"/api/v1/auth/tokens/{token_id}",
            HTTP_AUTHORIZATION=f"Bearer {second['token']}",
        )
        assert refused.status_code == 404
    assert ApiToken.objects.get(user=other).revoked_at is None
    revoked = client.delete(
        f"/api/v1/auth/tokens/{first['token_id']}",
        HTTP_AUTHORIZATION=f"Bearer {second['token']}",
    )
    assert (revoked.status_code, revoked.json()) == (200, {"revoked": 1})
    assert _tokens(client, first["token"]).status_code == 401
    assert _tokens(client, second["token"]).status_code == 200
    entry = AuditEntry.objects.get(action="revoke")
    assert (entry.actor, entry.object_id) == (officer, str(first["token_id"]))


def test_revoking_all_ends_the_token_in_use_too(client, officer):
    first = _issue(client)
    second = _issue(client)
    response = client.delete(
        "/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {second['token']}"
    )
    assert response.json() == {"revoked": 2}
    assert _tokens(client, first["token"]).status_code == 401
    assert _tokens(client, second["token"]).status_code == 401
    assert AuditEntry.objects.filter(action="revoke").count() == 2


def test_an_administrator_revokes_tokens_in_the_admin(client, officer):
    issued = _issue(client)
    admin = get_user_model().objects.create_superuser("root", password="root-secret-1")
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [issued["token_id"]]},
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=issued["token_id"]).revoked_at is not None
    assert _tokens(client, issued["token"]).status_code == 401


def test_the_account_page_lists_and_revokes_the_users_tokens(client, officer):
    first = _issue(client)
    second = _issue(client)
    get_user_model().objects.create_user("officer-b", password="b-long-secret")
    foreign = _issue(client, "officer-b", "b-long-secret")
    assert client.get("/accounts/tokens/").status_code == 302  # not logged in
    page_client = Client()
    page_client.cookies["django_language"] = "en"
    page_client.force_login(officer)
    page = page_client.get("/accounts/tokens/").content.decode()
    assert page.count('name="token" value="') == 3  # two tokens and "all"
    assert "Each lasts 8 hours" in page
    refused = page_client.post(
        "/accounts/tokens/revoke/", {"token": foreign["token_id"]}
    )
    assert refused.status_code == 404
    assert (
        page_client.post("/accounts/tokens/revoke/", {"token": "x"}).status_code == 404
    )
    assert _tokens(client, foreign["token"]).status_code == 200
    one = page_client.post("/accounts/tokens/revoke/", {"token": first["token_id"]})
    assert one.status_code == 302
    assert _tokens(client, first["token"]).status_code == 401
    assert _tokens(client, second["token"]).status_code == 200
    rest = page_client.post("/accounts/tokens/revoke/", {"token": "all"}, follow=True)
    assert "1 token revoked." in rest.content.decode()
    assert _tokens(client, second["token"]).status_code == 401
    assert "You have no API tokens." in rest.content.decode()


def test_the_user_name_in_the_header_leads_to_the_account_page(client, officer):
    client.force_login(officer)
    page = client.get("/accounts/tokens/").content.decode()
    assert '<a class="who" href="/accounts/tokens/"' in page


def test_last_use_is_written_at_most_once_a_minute(client, officer):
    issued = _issue(client)
    assert _tokens(client, issued["token"]).status_code == 200
    token = ApiToken.objects.get(pk=issued["token_id"])
    first = token.last_used_at
    assert timezone.now() - first < timedelta(seconds=10)
    # Used again within the minute: the time stays, nothing is written.
    assert _tokens(client, issued["token"]).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    # A minute later it is written again.
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=first - timedelta(seconds=61)
    )
    assert _tokens(client, issued["token"]).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
