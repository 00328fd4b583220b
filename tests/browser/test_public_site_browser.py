"""A resident on a phone reads their town's status on the public site and
downloads a table as CSV (issue 18, clause 4.4). Debian's Chromium through
Playwright, as the other browser tests; skipped without it, except in CI."""

import csv
import io

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip, watch_csp

EXPECT_TIMEOUT_MS = 20_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_reads_a_towns_status_on_a_phone_and_downloads_a_csv(
    live_server, geography
):
    from django.utils import timezone
    from playwright.sync_api import expect, sync_playwright

    from equiserve.budget.tests.factories import demo_like_city
    from equiserve.monitoring.models import IndicatorValue
    from equiserve.monitoring.periods import current_period
    from equiserve.testkit import XIAOLAN

    demo_like_city()
    IndicatorValue.objects.create(
        indicator="housing.difficulty_solved",
        period=current_period().id,
        place=XIAOLAN,
        numerator=40.0,
        denominator=80.0,
        value=50.0,
        version=1,
        computed_at=timezone.now(),
    )
    chromium = chromium_or_skip()
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(
            viewport={"width": 375, "height": 740},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            accept_downloads=True,
        )
        page = context.new_page()
        seen = watch_csp(page)
        page.goto(f"{live_server.url}/public/?lang=zh-hans")
        # Nothing is wider than the phone: no sideways scrolling of the page.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.get_by_role("link", name="小榄").first.click()
        page.wait_for_url(f"{live_server.url}/public/towns/{XIAOLAN}/")
        expect(page.locator("h1")).to_contain_text("小榄")
        status = page.locator(".figures li").first
        expect(status).to_contain_text("50")
        expect(status.locator(".status")).not_to_be_empty()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        with page.expect_download() as download:
            page.locator("a[href$='services-received.csv']").first.click()
        path = download.value.path()
        text = open(path, encoding="utf-8-sig").read()
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and any(row["地点代码"] == XIAOLAN for row in rows)
        assert seen == []
        browser.close()
