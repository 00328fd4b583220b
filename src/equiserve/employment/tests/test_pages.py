"""The labour station's pages read in Chinese, with labels, not codes (issue 15)."""

import pytest

from equiserve.employment.tests.factories import make_seeker, make_vacancy
from equiserve.testkit import XIAOLAN

pytestmark = pytest.mark.django_db


def test_the_pages_read_in_chinese_with_labels(demo_accounts, client):
    station = demo_accounts["town-xiaolan"]
    registration = make_seeker(XIAOLAN, station)
    make_vacancy(XIAOLAN, station)
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    client.cookies["django_language"] = "zh-hans"
    pages = {
        "/employment/?period=2015H2": "城镇登记失业率",
        "/employment/seekers/": "求职人员",
        f"/employment/seekers/{registration.pk}/": "电子元器件与设备制造",
        "/employment/vacancies/": "¥3,200.00",
        "/employment/communities/?period=2015H2": "零就业家庭不超过 0 户",
        "/employment/seekers/new/": "办理失业登记",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert text in body, path
        for code in ("unemployed", "reemployed", "employed", "inactive"):
            assert f">{code}<" not in body, (path, code)
    nav = client.get("/employment/").content.decode()
    assert 'href="/employment/"' in nav
