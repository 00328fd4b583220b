"""Sessions, HTTPS and passwords for staff (issue 10, finding 12)."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

from equiserve.accounts.models import Profile, Role


@pytest.mark.django_db
def test_a_staff_session_ends_with_the_browser_and_after_eight_hours(
    client, django_user_model
):
    user = django_user_model.objects.create_user("officer", password="pw-123456!")
    Profile.objects.create(user=user, role=Role.OFFICE)
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": "pw-123456!"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    # A browser-session cookie: no Expires, no Max-Age ...
    assert (cookie["expires"], cookie["max-age"]) == ("", "")
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    # ... and the server forgets it 8 hours after sign-in, however active.
    stored = Session.objects.get(session_key=cookie.value)
    assert stored.expire_date - timezone.now() > dt.timedelta(hours=7, minutes=59)
    assert stored.expire_date - timezone.now() <= dt.timedelta(hours=8)
    assert client.get("/cases/").status_code == 200
    stored.refresh_from_db()
    assert Session.objects.get(session_key=cookie.value).expire_date == (
        stored.expire_date
    )


def _settings_in_a_fresh_process(tmp_path, **env) -> dict:
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = (
        "import json; import equiserve.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    environment = {
        name: value for name, value in os.environ.items() if name != "EQUISERVE_HTTPS"
    }
    environment.update(EQUISERVE_VAR=str(tmp_path), **env)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_mode_sets_secure_cookies_hsts_and_redirects(tmp_path):
    assert _settings_in_a_fresh_process(tmp_path, EQUISERVE_HTTPS="1") == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    # Plain HTTP on the intranet by default (Django's defaults: all off).
    assert _settings_in_a_fresh_process(tmp_path) == {
        "SESSION_COOKIE_SECURE": None,
        "CSRF_COOKIE_SECURE": None,
        "SECURE_HSTS_SECONDS": None,
        "SECURE_SSL_REDIRECT": None,
        "SECURE_PROXY_SSL_HEADER": None,
    }


class _User:
    username = "chen.wei"
    first_name = last_name = email = ""


@pytest.mark.parametrize(
    "password, code",
    [
        ("chen.wei-Harbour!", "password_contains_username"),
        ("CHEN.WEI-harbour!", "password_contains_username"),
        ("Harbour19520316", "password_contains_date"),
        ("harbour-2014-01-01", "password_contains_date"),
        ("harbour 2014/1/1 river", "password_contains_date"),
        ("harbour2014年1月1日", "password_contains_date"),
        ("Zhongshan-harbour!", "password_contains_city"),
        ("我爱中山harbour河流", "password_contains_city"),
        ("short1!", "password_too_short"),
        ("password123", "password_too_common"),
        ("3141592653589793", "password_entirely_numeric"),
    ],
)
def test_the_password_policy_refuses(password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=_User())
    assert code in [error.code for error in refused.value.error_list]


@pytest.mark.parametrize(
    "password",
    # Digits that are not a date (month 13, day 32) and a bare year are fine.
    ["quiet-Harbour-lantern", "harbour20141301x", "lantern 2015 river", "19521332lamp"],
)
def test_the_password_policy_accepts(password):
    assert validate_password(password, user=_User()) is None
