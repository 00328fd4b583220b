"""The officers' pages work 375 px wide, as on a phone (issue 14, deliverable 10).

The page itself never scrolls sideways: a wide table scrolls inside its own
box, and the menu keeps whole words. Debian's chromium through Playwright, as
the other browser tests; skipped without it, except in CI.
"""

import datetime as dt

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip

PHONE = {"width": 375, "height": 740}

# What lies outside the page's width, and the menu entries squeezed narrower
# than two characters.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    // Inside a box that scrolls on its own, the page does not move.
    let parent = el.parentElement, scrolls = false;
    while (parent && parent !== document.body) {
      const style = getComputedStyle(parent);
      if (["auto", "scroll", "hidden"].includes(style.overflowX)) { scrolls = true; break; }
      parent = parent.parentElement;
    }
    if (!scrolls) wide.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
  }
  const squeezed = [...document.querySelectorAll(".main-nav a, .brand")]
    .filter(e => e.getBoundingClientRect().width < 2 * parseFloat(getComputedStyle(e).fontSize))
    .map(e => e.textContent.trim());
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5), squeezed};
}"""


def _log_in(browser, live_server, username, language):
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}")
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/start/")
    return page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_officers_pages_fit_a_phone(live_server, demo_accounts, language):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

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
    pages = {
        "civil-affairs": [
            "/start/",
            "/registry/persons/",
            f"/registry/persons/{applicant.public_id}/",
            "/cases/",
            f"/cases/{case.pk}/",
        ],
        "town-xiaolan": ["/start/", "/registry/persons/new/", "/facilities/"],
        "office": ["/start/", "/monitoring/", "/monitoring/city/2015H2/"],
        "auditor": ["/audit/"],
    }
    problems = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        for username, urls in pages.items():
            page = _log_in(browser, live_server, username, language)
            for url in urls:
                response = page.goto(f"{live_server.url}{url}")
                assert response.status == 200, (username, url, response.status)
                page.wait_for_load_state("networkidle")
                found = page.evaluate(OVERFLOW)
                if found["scrollWidth"] > PHONE["width"] or found["squeezed"]:
                    problems[f"{username} {url}"] = found
            page.context.close()
        browser.close()
    assert problems == {}
