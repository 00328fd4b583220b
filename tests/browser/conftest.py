"""What the browser tests share: Debian's Chromium, and Content Security Policy
violations collected from a page (issue 10, findings 2 and 12)."""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Records every violation the page reports, including ones in scripts that
# swallow their own errors; read back with `csp_violations(page)`.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI +
    " " + (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


def chromium_or_skip() -> str:
    """Return Debian's chromium; skip without it, except in CI, where it fails."""
    path = shutil.which("chromium")
    if path is None:
        message = (
            "Debian's chromium is not installed; scripts/install-system-deps.sh "
            "installs it"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def chromium_path() -> str:
    return chromium_or_skip()


def watch_csp(page, seen: list[str] | None = None) -> list[str]:
    """Collect the page's CSP violations from its console, for every page it loads."""
    seen = [] if seen is None else seen
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return seen


def csp_violations(page) -> list[str]:
    """Return the violations the current document recorded."""
    return page.evaluate("window.__cspViolations || []")


def sign_in(browser, live_server, username: str, next_path: str | None = None):
    """Return (page, CSP console) of `username` signed in, English labels (the
    language cookie), the demo account's password; on `next_path` if given."""
    context = browser.new_context()
    context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_server.url}]
    )
    page = context.new_page()
    console = watch_csp(page)
    query = f"?next={next_path}" if next_path else ""
    page.goto(f"{live_server.url}/accounts/login/{query}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}")
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page, console


def logged_in_page(playwright, live_server, username: str, next_path: str):
    """Return (browser, page, CSP console) of `username` signed in, on `next_path`."""
    browser = playwright.chromium.launch(
        executable_path=chromium_or_skip(), args=CHROMIUM_ARGS, headless=True
    )
    page, console = sign_in(browser, live_server, username, next_path)
    return browser, page, console


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    """On SQLite, a test database in a file (WAL) instead of shared-cache memory.

    The live server answers a page's requests (the page, its map and its trend)
    on several threads at once; in shared-cache memory a read beside another
    thread's write fails at once with "database table is locked", where the file
    database the city runs on lets the reader go on.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("browser-database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
