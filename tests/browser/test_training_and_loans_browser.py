"""Training bought by results and a guaranteed loan's schedule in the browser (issue 15).

The bureau adds a course for a designated provider, enrols a resident, records
completion with the vocational certificate, and sees the provider's payment in the
ledger: 1,000.00 yuan for the completer certified on 2015-07-01, the day the
illustrative payment rises from 800. A town labour station records a guaranteed
loan and sees each instalment's interest subsidy to the fen. Drives Debian's
Chromium through Playwright (skipped without it, except in CI).
"""

import datetime as dt
from decimal import Decimal

import pytest

from browser.conftest import chromium_or_skip, csp_violations, logged_in_page

EXPECT_TIMEOUT_MS = 20_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bureau_adds_a_course_enrols_certifies_and_pays_the_provider(
    live_server, demo_accounts
):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect, sync_playwright

    from equiserve.employment import services
    from equiserve.employment.models import Enrolment, TrainingPayment
    from equiserve.geography.models import Town
    from equiserve.testkit import XIAOLAN, make_person

    chromium_or_skip()
    bureau = get_user_model().objects.get(username="hr-social-security")
    provider = services.training_provider_approve(
        name="小榄职业培训学校",
        town=Town.objects.get(code=XIAOLAN),
        approved_on=dt.date(2014, 1, 1),
        actor=bureau,
    )
    person = make_person(XIAOLAN, name="王学员")

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser, page, csp_console = logged_in_page(
            playwright, live_server, "hr-social-security", "/employment/training/"
        )

        course = page.locator("form.course")
        course.locator("select[name=provider]").select_option(str(provider.pk))
        course.locator("input[name=title]").fill("电子装配工（中级）")
        course.locator("select[name=occupation]").select_option("6-08")
        course.locator("input[name=starts_on]").fill("2015-04-01")
        course.locator("input[name=ends_on]").fill("2015-06-15")
        course.locator("input[name=places]").fill("30")
        course.locator("button[type=submit]").click()
        expect(page.locator("table.courses")).to_contain_text("电子装配工（中级）")

        enrol = page.locator("form.enrol")
        enrol.locator("input[name=id_number]").fill(person.id_number)
        enrol.locator("input[name=enrolled_on]").fill("2015-04-01")
        enrol.locator("button[type=submit]").click()
        expect(page.locator("table.enrolments")).to_contain_text("王学员")

        certify = page.locator("table.enrolments form.certify")
        certify.locator("input[name=completed_on]").fill("2015-06-15")
        certify.locator("input[name=certificate_number]").fill("ZS2015070001")
        certify.locator("input[name=certified_on]").fill("2015-07-01")
        certify.locator("button[type=submit]").click()
        expect(page.locator("table.enrolments")).to_contain_text(
            "ZS2015070001 (2015-07-01)"
        )

        pay = page.locator("table.courses form.pay")
        pay.locator("input[name=paid_on]").fill("2015-08-01")
        pay.locator("button[type=submit]").click()
        totals = page.locator("table.ledger-totals")
        expect(totals).to_contain_text("小榄职业培训学校")
        expect(totals).to_contain_text("¥1,000.00")
        expect(page.locator("table.enrolments")).to_contain_text(
            "¥1,000.00 (2015-08-01)"
        )
        assert csp_console == []
        assert csp_violations(page) == []
        browser.close()

    enrolment = Enrolment.objects.get(person=person)
    assert (enrolment.certificate_number, enrolment.certified_on) == (
        "ZS2015070001",
        dt.date(2015, 7, 1),
    )
    payment = TrainingPayment.objects.get(enrolment=enrolment)
    assert (payment.provider, payment.amount, payment.paid_on) == (
        provider,
        Decimal("1000.00"),
        dt.date(2015, 8, 1),
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_town_station_records_a_guaranteed_loan_and_sees_its_schedule(
    live_server, demo_accounts
):
    # The plan's 3.7 case: 10,000 at 6 % over three months, an annuity of 3,366.72.
    from playwright.sync_api import expect, sync_playwright

    from equiserve.employment.models import GuaranteedLoan
    from equiserve.testkit import XIAOLAN, make_person

    chromium_or_skip()
    person = make_person(XIAOLAN, name="赵创业")
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser, page, csp_console = logged_in_page(
            playwright, live_server, "town-xiaolan", "/employment/startups/loans/new/"
        )
        form = page.locator("form.loan")
        form.locator("input[name=id_number]").fill(person.id_number)
        form.locator("input[name=business]").fill("网店")
        form.locator("input[name=principal]").fill("10000")
        form.locator("input[name=annual_rate]").fill("0.06")
        form.locator("input[name=months]").fill("3")
        form.locator("select[name=method]").select_option("annuity")
        form.locator("input[name=granted_on]").fill("2015-01-31")
        form.locator("button[type=submit]").click()
        expect(page.locator("h1")).to_have_text("赵创业: 网店")
        rows = page.locator("table.instalments tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.nth(0)).to_contain_text("2015-02-28")
        expect(rows.nth(0)).to_contain_text("¥3,316.72")
        expect(rows.nth(1)).to_contain_text("¥33.42")
        expect(rows.nth(2)).to_contain_text("2015-04-30")
        expect(rows.nth(2)).to_contain_text("¥3,349.98")
        expect(rows.nth(2)).to_contain_text("¥16.75")
        expect(page.locator("dd.subsidy-total")).to_have_text("¥100.17")
        assert csp_console == []
        assert csp_violations(page) == []
        browser.close()

    loan = GuaranteedLoan.objects.get(person=person)
    assert [
        (str(i.principal), str(i.interest), str(i.subsidy))
        for i in loan.instalments.order_by("number")
    ] == [
        ("3316.72", "50.00", "50.00"),
        ("3333.30", "33.42", "33.42"),
        ("3349.98", "16.75", "16.75"),
    ]
