"""A reader finds a book in Chinese; staff lend it at one town and take it back at another (issue 19).

Drives Debian's Chromium through Playwright (skipped without it, except in CI).
The public catalogue finds the work by a Chinese word inside its title and
shows its copies per library; the Culture Bureau's staff lend a Xiaolan copy at
Xiaolan's desk and take it back at Guzhen's, and the page shows it in transit
to its home library, Xiaolan.
"""

import pytest

from browser.conftest import CHROMIUM_ARGS, chromium_or_skip, watch_csp

EXPECT_TIMEOUT_MS = 20_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reader_finds_a_book_and_staff_return_it_at_another_town(
    live_server, demo_accounts
):
    from playwright.sync_api import expect, sync_playwright

    from equiserve.library.models import Item, ItemStatus, Transfer
    from equiserve.library.tests.factories import (
        make_item,
        make_network,
        make_patron,
        make_work,
    )

    chromium = chromium_or_skip()
    network = make_network()
    work = make_work("岭南侨乡文化史话", "陈明远", subjects="地方史")
    make_work("珠江三角洲经济地理", "黄立")  # shares no word with the query
    make_item(network["xiaolan"], work, barcode="XL0000017")
    make_item(network["guzhen"], work, barcode="GZ0000003")
    make_patron(network["city"], card="44200012345")

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        reader = browser.new_context()
        reader.add_cookies(
            [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
        )
        page = reader.new_page()
        csp_console = watch_csp(page)
        page.goto(f"{live_server.url}/library/")
        page.fill("input[name=q]", "侨乡文化")
        page.click("form[role=search] button[type=submit]")
        results = page.locator("main table tbody tr")
        expect(results).to_have_count(1)
        expect(results).to_contain_text("陈明远")
        page.click("text=岭南侨乡文化史话")
        expect(page.locator("h1")).to_have_text("岭南侨乡文化史话")
        copies = page.locator("main table tbody tr")
        expect(copies).to_have_count(2)
        expect(copies.nth(0)).to_contain_text("GZ0000003")
        expect(copies.nth(0)).to_contain_text("古镇镇图书馆")
        expect(copies.nth(1)).to_contain_text("XL0000017")
        expect(copies.nth(1)).to_contain_text("小榄镇图书馆")

        staff = browser.new_context()
        staff.add_cookies(
            [{"name": "django_language", "value": "en", "url": live_server.url}]
        )
        page = staff.new_page()
        csp_console = watch_csp(page, csp_console)
        page.goto(f"{live_server.url}/accounts/login/?next=/library/desk/")
        page.fill("input[name=username]", "culture")
        page.fill("input[name=password]", "demo-culture")
        page.click("form.login-form button[type=submit]")
        page.select_option("select[name=library]", "XL")
        page.click("form.desk-library button[type=submit]")
        expect(page.locator("h1")).to_have_text("Lending desk: Xiaolan Library")
        page.fill("form.desk-lend input[name=card]", "44200012345")
        page.fill("form.desk-lend input[name=barcode]", "XL0000017")
        page.click("form.desk-lend button[type=submit]")
        expect(page.locator(".messages")).to_contain_text(
            "岭南侨乡文化史话 lent to card 44200012345"
        )

        page.select_option("select[name=library]", "GZ")
        page.click("form.desk-library button[type=submit]")
        expect(page.locator("h1")).to_have_text("Lending desk: Guzhen Library")
        page.fill("form.desk-return input[name=barcode]", "XL0000017")
        page.click("form.desk-return button[type=submit]")
        expect(page.locator(".messages")).to_have_text(
            "岭南侨乡文化史话 taken back: in transit to Xiaolan Library."
        )
        row = page.locator("table.transfers tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_have_text(
            "XL0000017岭南侨乡文化史话Guzhen LibraryXiaolan Library"
            "Back to its home library"
        )
        assert csp_console == []
        browser.close()

    item = Item.objects.get(barcode="XL0000017")
    assert (item.status, item.location.code) == (ItemStatus.IN_TRANSIT, "GZ")
    transfer = Transfer.objects.get(item=item)
    assert (transfer.source.code, transfer.destination.code) == ("GZ", "XL")
    assert transfer.received_at is None
