"""The screener's follow-up questions in a browser, with and without JavaScript,
in Chinese and English; the API's documentation page; a phone-wide header
(issue 14, deliverables 8 and 10).

Drives Debian's Chromium through Playwright (see conftest.py); skipped without
it, except in CI.
"""

from contextlib import contextmanager

import pytest

from browser.conftest import CHROMIUM_ARGS, csp_violations, watch_csp

EXPECT_TIMEOUT_MS = 20_000
CHILD_TOPIC = "input[name=topics][value=child]"
HARDSHIP_TOPIC = "input[name=topics][value=hardship]"
RESULTS = {
    "zh": ("施行的方案规则", "这个字段是必填项"),
    "en": ("What the plan's rules say on", "This field is required"),
}


def _fill_the_basics(page):
    page.fill("input[name=date]", "2015-07-01")
    page.fill("input[name=birth_date]", "1985-03-10")
    page.check("input[name=sex][value=F]")
    page.select_option("select[name=hukou]", "elsewhere")
    page.select_option("select[name=town]", "442000106")


@contextmanager
def _chromium(chromium_path):
    """Yield Debian's Chromium, headless, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def _context(browser, live_server, language, *, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies(
        [
            {
                "name": "django_language",
                "value": "zh-hans" if language == "zh" else "en",
                "url": live_server.url,
            }
        ]
    )
    return context


@pytest.mark.browser
@pytest.mark.parametrize("language", ["zh", "en"])
def test_follow_ups_appear_as_boxes_are_ticked_and_hidden_ones_are_not_required(
    live_server, chromium_path, language
):
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    heading, required = RESULTS[language]
    with _chromium(chromium_path) as browser:
        page = _context(browser, live_server, language, javascript=True).new_page()
        console = watch_csp(page)
        page.goto(f"{live_server.url}/screener/")
        child = page.locator("#follow-up-child")
        hardship = page.locator("#follow-up-hardship")
        migrant = page.locator("#follow-up-migrant")
        expect(child).to_be_hidden()
        expect(hardship).to_be_hidden()
        expect(migrant).to_be_hidden()
        # The question is the legend, above its options.
        legend = page.locator("fieldset.choices legend").last.bounding_box()
        option = page.locator(CHILD_TOPIC).bounding_box()
        assert legend["y"] < option["y"]

        _fill_the_basics(page)
        expect(migrant).to_be_visible()
        page.check(CHILD_TOPIC)
        expect(child).to_be_visible()
        page.check(HARDSHIP_TOPIC)
        expect(hardship).to_be_visible()
        page.uncheck(HARDSHIP_TOPIC)  # opened, then closed again: not asked
        expect(hardship).to_be_hidden()

        page.fill("input[name=resident_since]", "2010-05-01")
        page.fill("input[name=points]", "180")
        page.fill("input[name=child_birth_date]", "2007-09-01")
        page.select_option("select[name=child_school_stage]", "primary")
        page.click("button.primary")
        expect(page.locator("#results h2")).to_contain_text(heading)
        assert required not in page.content()
        expect(
            page.locator('#subject-child [data-programme="student_insurance"]').first
        ).to_be_visible()
        # The answers stay: the child's questions are shown again, the hardship's not.
        expect(child).to_be_visible()
        expect(hardship).to_be_hidden()
        assert csp_violations(page) == [] and console == []


@pytest.mark.browser
@pytest.mark.parametrize("language", ["zh", "en"])
def test_without_javascript_every_follow_up_shows_and_only_ticked_ones_count(
    live_server, chromium_path, language
):
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    heading, required = RESULTS[language]
    with _chromium(chromium_path) as browser:
        page = _context(browser, live_server, language, javascript=False).new_page()
        page.goto(f"{live_server.url}/screener/")
        for group in ("child", "veteran", "death", "t1d", "hardship", "housing"):
            expect(page.locator(f"#follow-up-{group}")).to_be_visible()
        expect(page.locator("#follow-up-child .if-hint")).to_be_visible()

        _fill_the_basics(page)
        page.fill("input[name=resident_since]", "2010-05-01")
        page.fill("input[name=points]", "180")
        # Nothing ticked: the follow-ups left empty are not required.
        page.click("button.primary")
        expect(page.locator("#results h2")).to_contain_text(heading)
        assert required not in page.content()

        # Ticked but not answered: its questions, and only they, are asked for.
        page.check(HARDSHIP_TOPIC)
        page.click("button.primary")
        errors = page.locator(".has-error")
        expect(errors).to_have_count(2)
        expect(page.locator("#follow-up-hardship .has-error")).to_have_count(2)


@pytest.mark.browser
@pytest.mark.django_db
def test_the_api_documentation_renders_without_an_error(live_server, chromium_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with _chromium(chromium_path) as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/api/v1/docs")
        expect(page.locator(".opblock").first).to_be_visible()
        assert page.locator(".errors-wrapper").count() == 0
        text = page.inner_text("body")
        assert "Failed to load API definition" not in text
        assert "Resolver error" not in text


@pytest.mark.browser
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_header_keeps_whole_words_on_a_phone(live_server, chromium_path, language):
    with _chromium(chromium_path) as browser:
        context = _context(browser, live_server, language, javascript=True)
        page = context.new_page()
        page.set_viewport_size({"width": 375, "height": 740})
        page.goto(f"{live_server.url}/screener/")
        # No line of a menu entry or of the brand is narrower than two characters.
        for selector in (".brand", ".main-nav a", ".session a, .session button"):
            for box in page.locator(selector).evaluate_all(
                "els => els.map(e => [e.getBoundingClientRect().width,"
                " parseFloat(getComputedStyle(e).fontSize)])"
            ):
                width, font = box
                assert width >= 2 * font, (selector, width, font)
        # Nothing is wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
