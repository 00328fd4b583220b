"""Every main page passes an axe-core scan in Chinese with no serious or critical
violation, as the roles that use it (issue 14, accessibility acceptance).

axe-core is vendored from the `axe-core` npm package (pinned below, MPL-2.0) in
tests/browser/vendor/, a test-only folder: it is never served by the
application and never loaded from the internet. Drives Debian's `chromium`
through Playwright like the other browser tests; skipped without it, except in
CI, where it fails.
"""

import datetime as dt
from pathlib import Path

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip, watch_csp

AXE_VERSION = "4.10.3"
AXE = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
# What the acceptance asks: no violation axe rates serious or critical.
BLOCKING = {"serious", "critical"}
EXPECT_TIMEOUT_MS = 20_000


def axe_violations(page) -> list[str]:
    """Run axe-core on the loaded page; return its serious and critical findings."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]


def _log_in(context, live_server, username):
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}")
    page.click("form.login-form button[type=submit]")
    page.wait_for_load_state()
    return page


def _zh_context(browser, live_server):
    # axe injects its script into the page: the scan bypasses the page's CSP,
    # which is tested on its own (tests/browser/test_content_security_policy.py).
    context = browser.new_context(bypass_csp=True)
    context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    return context


@pytest.mark.browser
@pytest.mark.slow
# The live server runs in another thread: the test database must be committed
# to, not wrapped in a transaction the server cannot see.
@pytest.mark.django_db(transaction=True)
def test_every_main_page_has_no_serious_or_critical_axe_violation_in_chinese(
    live_server, demo_accounts
):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect, sync_playwright

    from equiserve.cases import services
    from equiserve.cases.tests.factories import eligible_applicant

    chromium = chromium_or_skip()
    officer = get_user_model().objects.get(username="civil-affairs")
    applicant = eligible_applicant("funeral")
    case = services.case_register(
        programme="funeral",
        applicant=applicant,
        applied_on=dt.date(2015, 6, 22),
        documents=["death_certificate", "family_id_card"],
        actor=officer,
    )
    services.case_assess(case=case, version=case.version, actor=officer)
    person_url = f"/registry/persons/{applicant.public_id}/"
    # Each role's start page and the window clerk's form too (issue 14).
    pages = {
        None: ["/", "/screener/", "/accounts/login/"],
        "civil-affairs": ["/start/", "/", "/registry/persons/", person_url]
        + ["/cases/", f"/cases/{case.pk}/"],
        "town-xiaolan": ["/start/", "/registry/persons/new/", "/cases/new/"]
        + ["/facilities/", "/facilities/fitness-circle/"],
        "housing": ["/start/", "/housing/rounds/"],
        "office": [
            "/start/",
            "/monitoring/",
            "/monitoring/indicators/sports.fitness_circle/",
            "/monitoring/city/2015H2/",
        ],
        "auditor": ["/start/", "/audit/"],
    }

    found: dict[str, list[str]] = {}
    # The charts' scripts run without an error on every page (issue 14, d. 7).
    script_errors: list[str] = []
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        # The scanner itself finds what it should: an image without a text.
        probe = browser.new_page()
        probe.set_content(
            '<html lang="zh-hans"><body><main><img src="x.png"></main></body></html>'
        )
        assert any(issue.startswith("image-alt") for issue in axe_violations(probe))
        probe.close()
        for username, urls in pages.items():
            context = _zh_context(browser, live_server)
            page = (
                _log_in(context, live_server, username)
                if username
                else context.new_page()
            )
            watch_csp(page)
            page.on("pageerror", lambda error: script_errors.append(str(error)))
            for url in urls:
                response = page.goto(f"{live_server.url}{url}")
                # Charts fetch their data after load: scan what they drew.
                page.wait_for_load_state("networkidle")
                if page.locator(".chart-state.chart-error").count():
                    script_errors.append(f"{url}: a chart failed to draw")
                assert response.status == 200, (username, url, response.status)
                assert page.locator("html").get_attribute("lang") == "zh-hans", url
                found[f"{username or 'public'} {url}"] = axe_violations(page)
            if username is None:
                # The screener's result page, after a resident's answers.
                page.goto(f"{live_server.url}/screener/")
                page.fill("input[name=date]", "2015-07-01")
                page.fill("input[name=birth_date]", "1985-03-10")
                page.check("input[name=sex][value=F]")
                page.select_option("select[name=hukou]", "elsewhere")
                page.select_option("select[name=town]", "442000106")
                page.click("button.primary")
                page.wait_for_load_state()
                found["public screener result"] = axe_violations(page)
            context.close()
        browser.close()

    assert script_errors == []
    failing = {where: issues for where, issues in found.items() if issues}
    assert failing == {}, "\n".join(
        f"{where}:\n  " + "\n  ".join(issues) for where, issues in failing.items()
    )
