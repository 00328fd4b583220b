"""In production mode (DEBUG off, demo mode off) pages and API answers carry the
security headers (issue 10, finding 12), API errors are the API's JSON (finding 8)
and demo accounts' tokens and passwords are refused (finding 6). The API's other
answers and tokens are tested beside the API.
"""

import pytest

from equiserve.accounts.models import Profile, Role

pytestmark = pytest.mark.django_db
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("officer", password="pw-123456!")
    Profile.objects.create(user=user, role=Role.OFFICE)
    return user


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


def assert_security_headers(response, *, no_store: bool) -> None:
    policy = directives(response)
    for name, value in POLICY.items():
        assert policy[name] == value, (name, policy)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    cache = response.get("Cache-Control", "")
    assert ("no-store" in cache) is no_store, cache


def test_a_public_page_has_the_headers_and_may_be_cached(client, production):
    response = client.get("/")
    assert response.status_code == 200
    assert_security_headers(response, no_store=False)


def test_a_signed_in_page_has_the_headers_and_is_never_stored(
    client, production, officer
):
    client.force_login(officer)
    response = client.get("/cases/")
    assert response.status_code == 200
    assert_security_headers(response, no_store=True)
    response = client.get("/")
    assert_security_headers(response, no_store=True)


def test_api_answers_have_the_headers_and_are_never_stored(client, production):
    refused = client.get("/api/v1/cases")
    assert refused.status_code == 401
    assert_security_headers(refused, no_store=True)
    public = client.get("/api/v1/housing/rounds")
    assert public.status_code == 200
    assert_security_headers(public, no_store=True)


def test_the_api_documentation_has_no_inline_script(client, production):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert_security_headers(response, no_store=True)
    html = response.content.decode()
    # Swagger UI is served from the project; its settings are JSON data, not code.
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "<script>" not in html.replace(" ", "")


def test_api_errors_are_json_in_the_api_format_with_debug_off(
    client, production, monkeypatch
):
    """Issue 10, finding 8: 404, 422 and 500 are the API's JSON, never a page."""
    from equiserve.rules import api as rules_api

    english = {"HTTP_COOKIE": "django_language=en"}
    missing = client.get("/api/v1/housing/rounds/no-such-round", **english)
    unknown = client.get("/api/v1/no-such-address", **english)
    invalid = client.post(
        "/api/v1/auth/token", {}, content_type="application/json", **english
    )

    def broken(*args, **kwargs):
        raise RuntimeError("a forced failure")

    monkeypatch.setattr(rules_api, "evaluate_request", broken)
    client.raise_request_exception = False
    failed = client.post(
        "/api/v1/evaluate", {}, content_type="application/json", **english
    )
    answers = [(r.status_code, r["Content-Type"], r.json()) for r in (missing, unknown)]
    assert answers == [
        (404, "application/json", {"detail": "Not found.", "errors": []}),
        (404, "application/json", {"detail": "Not found.", "errors": []}),
    ]
    assert (invalid.status_code, invalid.json()["detail"]) == (
        422,
        "The request is not valid; every error is listed.",
    )
    assert [(e["path"], e["code"]) for e in invalid.json()["errors"]] == [
        ("body.username", "missing"),
        ("body.password", "missing"),
    ]
    assert failed.status_code == 500
    assert failed["Content-Type"] == "application/json"
    assert failed.json() == {
        "detail": "The server could not answer; the error is logged.",
        "errors": [],
    }


def test_demo_tokens_and_passwords_are_refused_in_production(
    client, demo_accounts, settings, token
):
    """Issue 10, finding 6 and acceptance: a token issued in demo mode stops, as JSON.

    The demo accounts' passwords are published; a server restarted without demo
    mode must refuse both the tokens they got and new ones, pages and API alike.
    """
    english = {"HTTP_COOKIE": "django_language=en"}
    issued = {username: token(username) for username in ("office", "town-xiaolan")}
    for key in issued.values():
        served = client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert served.status_code == 200

    settings.DEBUG = False
    settings.DEMO_MODE = False  # as after a restart without EQUISERVE_DEMO
    for key in issued.values():
        refused = client.get(
            "/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {key}", **english
        )
        assert refused.status_code == 401
        assert refused["Content-Type"] == "application/json"
        assert refused.json() == {
            "detail": "Sign in first: send a valid bearer token "
            "(POST /api/v1/auth/token).",
            "errors": [],
        }
        assert_security_headers(refused, no_store=True)
    new = client.post(
        "/api/v1/auth/token",
        {"username": "office", "password": "demo-office"},
        content_type="application/json",
        **english,
    )
    assert (new.status_code, new.json()) == (
        401,
        {"detail": "Wrong user name or password.", "errors": []},
    )
    assert client.login(username="office", password="demo-office") is False
