import pytest
from django.urls import reverse

from equiserve.portal.catalogue import load_catalogue


def test_catalogue_has_the_plans_nine_domains_and_every_clause():
    catalogue = load_catalogue()
    assert [domain.id for domain in catalogue.domains] == [
        "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9",
    ]  # fmt: skip
    clauses = [item.clause for item in catalogue.items()]
    assert clauses == [
        "3.1.1", "3.1.2", "3.1.3", "3.2.1", "3.2.2", "3.3.1", "3.3.2", "3.3.3",
        "3.3.4", "3.4.1", "3.4.2", "3.4.3", "3.5", "3.6.1", "3.6.2", "3.7", "3.8",
        "3.9",
    ]  # fmt: skip
    assert catalogue.item("3.4.3").lead == "civil-affairs"
    assert [item.clause for item in catalogue.safeguards] == ["4.2", "4.3", "4.4"]


@pytest.mark.django_db
def test_home_page_is_in_chinese_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    page = response.content.decode()
    assert "中山市2014-2016年公共服务均等化方案" in page
    assert "退役士兵安置和义务兵家庭优待金一体化" in page
    assert "市民政局" in page  # the lead department of 3.4.3, in Chinese
    assert 'id="clause-3.6.1"' in page


@pytest.mark.django_db
def test_language_switch_gives_english(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zhongshan 2014–2016 Public Service Equalization Plan" in page
    assert (
        "Veterans&#x27; resettlement and conscripts&#x27; family allowance, one urban–rural standard"
        in page
    )
    assert "Civil Affairs Bureau" in page
    assert "Lead department" in page


@pytest.mark.django_db
def test_lang_query_parameter_overrides_the_cookie(client):
    client.cookies["django_language"] = "en"
    response = client.get("/?lang=zh-hans")
    assert "牵头单位" in response.content.decode()


@pytest.mark.django_db
def test_vendored_assets_are_served_by_the_project(client):
    page = client.get("/").content.decode()
    assert "/static/vendor/htmx-2.0.11/htmx.min.js" in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page


@pytest.mark.django_db
def test_api_documentation_is_served_without_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr.net" not in page and "https://" not in page
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/evaluate" in schema["paths"]
    assert "/api/v1/auth/token" in schema["paths"]
