"""An officer logs in, opens a case, reads the engine's explanation and approves it.

Drives the Chromium of Debian's `chromium` package through Playwright's sync
API (never a downloaded browser). Without it the test is skipped, except in CI
(`CI` set), where it fails.
"""

import datetime as dt

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip, watch_csp
from equiserve.cases import services
from equiserve.cases.models import Case

# Generous waits: CI machines are slow and shared; a real failure still fails.
EXPECT_TIMEOUT_MS = 20_000


@pytest.mark.browser
# The live server runs in another thread: the test database must be committed
# to, not wrapped in a transaction the server cannot see.
@pytest.mark.django_db(transaction=True)
def test_an_officer_reads_the_explanation_and_approves_the_case(
    live_server, demo_accounts
):
    from playwright.sync_api import expect, sync_playwright

    from equiserve.cases.tests.factories import eligible_applicant

    chromium = chromium_or_skip()
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="civil-affairs")
    case = services.case_register(
        programme="funeral",
        applicant=eligible_applicant("funeral"),
        applied_on=dt.date(2015, 6, 22),
        documents=["death_certificate", "family_id_card"],
        actor=officer,
    )
    services.case_assess(case=case, version=case.version, actor=officer)
    reference = case.reference

    # Django's ORM refuses to run while Playwright's event loop runs in this
    # thread: everything the test reads from the database is read after it.
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context()
        context.add_cookies(
            [{"name": "django_language", "value": "en", "url": live_server.url}]
        )
        page = context.new_page()
        csp_console = watch_csp(page)
        page.goto(f"{live_server.url}/accounts/login/?next=/cases/")
        page.fill("input[name=username]", "civil-affairs")
        page.fill("input[name=password]", "demo-civil-affairs")
        page.click("form.login-form button[type=submit]")
        page.click(f"text={reference}")
        explanation = page.locator(".explanation-text").first
        expect(explanation).to_contain_text(
            "Eligible for free basic funeral services (clause 3.5)"
        )
        expect(page.locator(".case-status")).to_have_text("Assessed")
        page.check("form.decide input[name=decision][value=approve]")
        page.fill("form.decide textarea[name=reason]", "Death certificate checked.")
        page.click("form.decide button[type=submit]")
        # An approval is confirmed first (issue 14, deliverable 4).
        expect(page.locator(".confirm-step")).to_contain_text("This cannot be undone.")
        page.click("form.confirm button[type=submit]")
        expect(page.locator(".notice")).to_have_text("Decision saved: Approved.")
        expect(page.locator(".case-status")).to_have_text("Approved")
        # The pages ran under the Content Security Policy (issue 10, finding 2).
        assert csp_console == []
        browser.close()

    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.version) == ("approved", 3)
    assert case.decisions.get().reason == "Death certificate checked."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_officers_deciding_at_once_sees_the_conflict(
    live_server, demo_accounts
):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect, sync_playwright

    from equiserve.cases.tests.factories import (
        eligible_applicant,
        second_civil_affairs_officer,
    )

    chromium = chromium_or_skip()
    second_civil_affairs_officer()
    officer = get_user_model().objects.get(username="civil-affairs")
    case = services.case_register(
        programme="funeral",
        applicant=eligible_applicant("funeral"),
        applied_on=dt.date(2015, 6, 22),
        documents=["death_certificate", "family_id_card"],
        actor=officer,
    )
    services.case_assess(case=case, version=case.version, actor=officer)
    url = f"{live_server.url}/cases/{case.pk}/"

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        pages, csp_console = {}, []
        for username in ("civil-affairs", "civil-affairs-2"):
            context = browser.new_context()
            context.add_cookies(
                [{"name": "django_language", "value": "en", "url": live_server.url}]
            )
            page = context.new_page()
            watch_csp(page, csp_console)
            page.goto(f"{live_server.url}/accounts/login/?next=/cases/{case.pk}/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", f"demo-{username}")
            page.click("form.login-form button[type=submit]")
            page.wait_for_url(url)
            pages[username] = page
        # Both officers have the case open at version 2; the first approves.
        first, second = pages["civil-affairs"], pages["civil-affairs-2"]
        first.check("form.decide input[name=decision][value=approve]")
        first.fill("form.decide textarea[name=reason]", "Papers complete.")
        first.click("form.decide button[type=submit]")
        first.click("form.confirm button[type=submit]")
        expect(first.locator(".case-status")).to_have_text("Approved")
        # The second rejects on the page they still see: the answer is a 409,
        # which htmx shows with the case as it now is.
        second.check("form.decide input[name=decision][value=reject]")
        second.fill("form.decide textarea[name=reason]", "Papers missing.")
        second.click("form.decide button[type=submit]")
        expect(second.locator(".error")).to_contain_text(
            "This case was changed by civil-affairs"
        )
        expect(second.locator(".case-status")).to_have_text("Approved")
        assert csp_console == []
        browser.close()

    case.refresh_from_db()
    assert (case.status, case.version) == ("approved", 3)
    assert list(case.decisions.values_list("reason", flat=True)) == ["Papers complete."]
