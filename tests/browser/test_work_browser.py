"""Each role's main task in Chromium, zh and en (issue 14, deliverables 1–4):
a town officer registers a person at the window and starts an application; a
department officer decides past the guard rail's warning; the housing
department confirms a draw. Debian's chromium through Playwright, as the other
browser tests; skipped without it, except in CI."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip, watch_csp

EXPECT_TIMEOUT_MS = 20_000
# htmx keeps its data on an element it has processed (its triggers bound).
HTMX_BOUND = "selector => document.querySelector(selector)?.['htmx-internal-data']"


def _log_in(browser, live_server, username: str, language: str):
    context = browser.new_context()
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    seen = watch_csp(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}")
    page.click("form.login-form button[type=submit]")
    # Every role lands on its start page (deliverable 1).
    page.wait_for_url(f"{live_server.url}/start/")
    return page, seen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_town_officer_registers_a_person_and_starts_an_application(
    live_server, demo_accounts, language
):
    from playwright.sync_api import expect, sync_playwright

    from equiserve.testkit import id_number

    chromium = chromium_or_skip()
    number = id_number(dt.date(1990, 3, 12), 123 if language == "en" else 125)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        page, seen = _log_in(browser, live_server, "town-xiaolan", language)
        page.click("a.button[href='/registry/persons/new/']")
        page.fill("input[name=id_number]", number)
        # The static script reads the number as it is typed (no inline script).
        expect(page.locator("#ric-reading")).to_contain_text("1990-03-12")
        page.fill("input[name=name]", "陈大文")
        page.select_option("select[name=household]", "new")
        page.click("form.person-register button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("陈大文")
        page.click("a.button[href^='/cases/new/?applicant=']")
        applicant = page.locator("input[name=applicant]")
        expect(applicant).not_to_have_value("")
        key = applicant.input_value()
        # The search as you type finds the person by name, in the town. Typed
        # once htmx has bound the field: an input before that is not sent.
        page.wait_for_function(HTMX_BOUND, arg=".person-search input[type=search]")
        page.fill(".person-search input[type=search]", "陈大")
        expect(page.locator("#person-search-results")).to_contain_text(key)
        assert seen == []
        browser.close()

    from equiserve.registry.models import Person

    person = Person.objects.get(id_number=number)
    assert (person.key, person.sex, person.relation_to_head) == (key, "M", "head")


def _in(language: str, text: str) -> str:
    """Return `text` as the pages show it in `language`."""
    from django.utils import translation

    with translation.override(language):
        return str(translation.gettext(text))


def _is_modal(page) -> bool:
    """Return whether the confirmation is open as a modal <dialog> (issue 14)."""
    return page.locator("dialog.confirm-step").evaluate("d => d.matches(':modal')")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_department_officer_decides_past_the_guard_rail_warning(
    live_server, demo_accounts, language
):
    """Then the applicant appeals, and the officer decides the appeal in one action."""
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect, sync_playwright

    from equiserve.cases import services
    from equiserve.cases.models import Case
    from equiserve.cases.programmes import PROGRAMMES
    from equiserve.cases.tests.factories import APPLIED_ON, eligible_applicant

    chromium = chromium_or_skip()
    officer = get_user_model().objects.get(username="civil-affairs")
    case = services.case_register(
        programme="hardship_relief",
        applicant=eligible_applicant("hardship_relief"),
        applied_on=APPLIED_ON["hardship_relief"],
        facts={"requested_amount": "3000"},
        documents=[d.code for d in PROGRAMMES["hardship_relief"].documents],
        actor=officer,
    )
    services.case_assess(case=case, version=case.version, actor=officer)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        page, seen = _log_in(browser, live_server, "civil-affairs", language)
        # The start page lists the case awaiting a decision, linked.
        page.click(f"a[href='/cases/{case.pk}/']")
        expect(page.locator("table.amount-comparison")).to_contain_text("¥3,000.00")
        page.check("form.decide input[name=decision][value=approve]")
        page.fill("form.decide input[name=amount]", "4,000")
        page.fill("form.decide textarea[name=reason]", "House burnt down.")
        page.click("form.decide button[type=submit]")
        expect(page.locator(".error")).to_contain_text("¥4,000.00")
        expect(page.locator(".error")).to_contain_text("¥3,000.00")
        # The input is kept; the acknowledgement is asked for.
        expect(page.locator("form.decide input[name=amount]")).to_have_value("4,000")
        page.check("form.decide input[name=acknowledge_above_request]")
        page.click("form.decide button[type=submit]")
        # The confirmation is a modal dialog that says what happens, in words.
        expect(page.locator("dialog.confirm-step")).to_contain_text("¥1,000.00")
        assert _is_modal(page)
        page.click("form.confirm button[type=submit]")
        expect(page.locator(".case-status")).to_have_text(_in(language, "Approved"))

        # The applicant appeals; one action on the case page decides the appeal.
        # (Django refuses the database inside Playwright's event loop: a thread.)
        def appeal_recorded():
            fresh = Case.objects.get(pk=case.pk)
            services.case_appeal(
                case=fresh,
                version=fresh.version,
                reason="Proof found.",
                lodged_on=APPLIED_ON["hardship_relief"],
                actor=officer,
            )

        with ThreadPoolExecutor(1) as pool:
            pool.submit(appeal_recorded).result()
        page.reload()
        appeal = page.locator("form.decide-appeal")
        appeal.locator("input[name=decision][value=reject]").check()
        appeal.locator("textarea[name=reason]").fill("The proof does not hold.")
        appeal.locator("button[type=submit]").click()
        expect(page.locator("dialog.confirm-step")).to_contain_text(
            _in(
                language,
                "If the new assessment refuses the decision, nothing is saved.",
            )
        )
        assert _is_modal(page)
        page.click("form.confirm button[type=submit]")
        expect(page.locator(".notice")).to_contain_text(
            _in(language, "Appeal decided: %(decision)s.").split("%")[0]
        )
        expect(page.locator(".case-status")).to_have_text(_in(language, "Rejected"))
        assert seen == []
        browser.close()

    case = Case.objects.get(pk=case.pk)
    assert str(case.entitlements.get(active=False).amount) == "4000.00"
    assert case.status == "rejected"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_housing_department_confirms_a_draw(live_server, demo_accounts, language):
    from playwright.sync_api import expect, sync_playwright

    from equiserve.housing import services
    from equiserve.housing.models import AllocationRound
    from equiserve.housing.tests.factories import (
        AS_OF,
        apply,
        estate,
        household,
        unit,
    )
    from equiserve.testkit import GUZHEN, XIAOLAN

    chromium = chromium_or_skip()
    e1 = estate("E1")
    unit(e1, "E1-101")
    for town in (XIAOLAN, GUZHEN):
        home, person = household(town)
        apply(home, person, [e1])
    services.round_freeze(
        round_id="r1", title="Round one", as_of=AS_OF, actor=None, migrant_quota=None
    )
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        page, seen = _log_in(browser, live_server, "housing", language)
        # Without JavaScript the same confirmation is a section of the page.
        plain = page.context.browser.new_context(java_script_enabled=False)
        plain.add_cookies(page.context.cookies())
        fallback = plain.new_page()
        fallback.goto(f"{live_server.url}/housing/rounds/r1/")
        fallback.click("form[action='/housing/rounds/r1/draw/'] button[type=submit]")
        expect(fallback.locator("dialog.confirm-step")).to_be_visible()
        expect(fallback.locator("dialog.confirm-step")).to_contain_text("1")
        plain.close()
        page.click("a[href='/housing/rounds/r1/']")
        page.click("form[action='/housing/rounds/r1/draw/'] button[type=submit]")
        step = page.locator("dialog.confirm-step")
        # What happens, in words, with counts in the right number (issue 14).
        expect(step).to_contain_text(
            "2 households" if language == "en" else "2 户", use_inner_text=True
        )
        expect(step).to_contain_text("1 unit" if language == "en" else "1 套")
        assert _is_modal(page)
        page.click("form.confirm button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("r1")
        assert seen == []
        browser.close()
    assert AllocationRound.objects.get(pk="r1").status == "drawn"
