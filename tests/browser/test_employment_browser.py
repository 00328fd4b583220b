"""A town labour station registers a job seeker, refers them, records the hire (issue 15).

Drives Debian's Chromium through Playwright (skipped without it, except in CI).
The registration ends (re-employed) with the hire, and the vacancy closes.
"""

import datetime as dt

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip, watch_csp

EXPECT_TIMEOUT_MS = 20_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_town_officer_registers_refers_and_records_the_hire(
    live_server, demo_accounts
):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect, sync_playwright

    from equiserve.employment.models import Registration, Vacancy
    from equiserve.employment.tests.factories import make_employed, make_vacancy
    from equiserve.testkit import XIAOLAN

    chromium = chromium_or_skip()
    station = get_user_model().objects.get(username="town-xiaolan")
    person = make_employed(XIAOLAN, name="李求职")
    vacancy = make_vacancy(XIAOLAN, station, employer="明阳电器", title="装配工")

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
        page.goto(f"{live_server.url}/accounts/login/?next=/employment/seekers/new/")
        page.fill("input[name=username]", "town-xiaolan")
        page.fill("input[name=password]", "demo-town-xiaolan")
        page.click("form.login-form button[type=submit]")
        page.fill("input[name=id_number]", person.id_number)
        page.fill("input[name=registered_on]", "2015-03-01")
        page.select_option("select[name=occupation]", "6-08")
        page.fill("input[name=wage_min]", "2500")
        page.click("form.seeker button[type=submit]")
        expect(page.locator("h1")).to_have_text("李求职")
        expect(page.locator(".registration-state")).to_have_text("Open")
        expect(page.locator("table.matches")).to_contain_text("明阳电器: 装配工")
        page.click("table.matches form.refer button[type=submit]")
        expect(page.locator("table.referrals")).to_contain_text("Awaiting an answer")
        page.select_option("form.outcome select[name=outcome]", "hired")
        page.click("form.outcome button[type=submit]")
        expect(page.locator("table.referrals")).to_contain_text("Hired")
        expect(page.locator(".registration-state")).to_contain_text("Re-employed")
        assert csp_console == []
        browser.close()

    registration = Registration.objects.get(person=person)
    assert registration.end_reason == "reemployed"
    assert registration.ended_on == dt.date.today()
    assert Vacancy.objects.get(pk=vacancy.pk).closed_on == dt.date.today()
