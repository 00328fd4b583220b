import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/geography/town/?q=小榄", "442000100"),
        ("/admin/geography/town/?kind__exact=subdistrict", "442000006"),
        ("/admin/geography/village/?town__code__exact=442000001", "442000001019"),
        ("/admin/geography/naturalvillage/?q=442000002201", "442000002201001"),
    ],
)
def test_admin_lists_search_and_filter(geography, admin_client, url, expected):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_admin_shows_a_towns_codes_read_only(geography, admin_client):
    response = admin_client.get("/admin/geography/town/442000100/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="name_zh"' in page
    assert 'name="code"' not in page and 'name="code_12"' not in page
    assert "442000100000" in page
