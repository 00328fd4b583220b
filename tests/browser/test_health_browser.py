"""A hospital user records a follow-up; the patient's management status changes (issue 16).

Drives Debian's Chromium through Playwright (skipped without it, except in CI).
The patient had three visits in 2016; the fourth makes them "standardized"
under the plan's parameter (four follow-ups in twelve months).
"""

import datetime as dt
import re

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip, watch_csp

EXPECT_TIMEOUT_MS = 20_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_hospital_user_records_a_follow_up_and_the_status_changes(
    live_server, demo_accounts
):
    from playwright.sync_api import expect, sync_playwright

    from equiserve.health.models import FollowUp
    from equiserve.health.tests.factories import (
        make_hospital,
        make_hospital_user,
        make_patient,
        visit,
    )

    chromium = chromium_or_skip()
    hospital = make_hospital("h-renmin", grade="3A")
    patient = make_patient(hospital=hospital, enrolled_on=dt.date(2015, 1, 10))
    for month in (3, 6, 9):
        visit(patient, dt.date(2016, month, 1), 7.4)
    make_hospital_user("hospital-renmin", hospital)

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
        page.goto(
            f"{live_server.url}/accounts/login/?next=/health/t1d/{patient.public_id}/"
        )
        page.fill("input[name=username]", "hospital-renmin")
        page.fill("input[name=password]", "demo-hospital-renmin")
        page.click("form.login-form button[type=submit]")
        expect(page.locator("#management-status")).to_contain_text("not standardized")
        page.click("text=Record a follow-up visit")
        page.fill("input[name=visited_on]", "2016-11-15")
        page.fill("input[name=hba1c]", "6.8")
        page.select_option("select[name=insulin_regimen]", "basal_bolus")
        page.click("form.follow-up button[type=submit]")
        expect(page.locator("#management-status")).to_have_text(
            re.compile(r"^\s*standardized")
        )
        expect(page.locator("#control-status")).to_have_text(
            re.compile(r"^\s*under control")
        )
        assert csp_console == []
        browser.close()

    assert FollowUp.objects.filter(enrolment=patient).count() == 4
