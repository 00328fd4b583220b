"""Broken parts mended (issue 14, deliverable 10): the icon, a translated 404 and
500 instead of Django's debug pages, /registry/, and the facilities menu."""

import pytest


def test_the_favicon_is_served_and_linked(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO
    page = client.get("/screener/").content.decode()
    assert '<link rel="icon" href="/static/equiserve/favicon.ico"' in page


@pytest.mark.django_db
def test_a_missing_page_is_the_translated_404_in_both_languages(client):
    chinese = client.get("/no-such-page/")
    assert chinese.status_code == 404
    assert "页面不存在" in chinese.content.decode()
    assert "Page not found at" not in chinese.content.decode()  # Django's debug 404
    client.cookies["django_language"] = "en"
    english = client.get("/no-such-page/").content.decode()
    assert "<h1>Page not found</h1>" in english and "Back to the start page" in english


def test_demo_mode_does_not_turn_on_debug_pages():
    from django.conf import settings

    assert settings.DEBUG is False


def test_the_500_page_needs_no_context_and_is_translated():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("zh-hans"):
        assert "出错了" in render_to_string("500.html")
    with translation.override("en"):
        assert "Something went wrong" in render_to_string("500.html")


@pytest.mark.django_db
def test_the_registry_start_is_the_list_of_persons(client):
    response = client.get("/registry/")
    assert response.status_code == 302 and response["Location"] == "/registry/persons/"


@pytest.mark.django_db
def test_the_facilities_menu_sits_under_the_main_menu(demo_accounts, login):
    page = login("office").get("/facilities/").content.decode()
    main_menu = page.split('<nav class="main-nav">', 1)[1].split("</nav>", 1)[0]
    assert 'href="/cases/"' in main_menu and 'href="/registry/persons/"' in main_menu
    sub_menu = page.split('<nav class="sub-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/facilities/fitness-circle/' in sub_menu
