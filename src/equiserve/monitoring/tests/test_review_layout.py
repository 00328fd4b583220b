"""The office's review box sits above the figures it reviews, and the city
report folds its blocks on screen (issue 14, deliverable 6: the review box sat
below an 80-row table; the city report was 14,000 px tall)."""

import pytest

from equiserve.monitoring.models import Report
from equiserve.portal.catalogue import load_catalogue
from equiserve.testkit import XIAOLAN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


def test_the_review_box_comes_before_the_figures_and_the_city_report_folds(
    users, login
):
    officer = login("town-xiaolan")
    officer.post("/monitoring/reports/open/", {"period": "2015H2"})
    report = Report.objects.get(period="2015H2", town_id=XIAOLAN)
    officer.post(
        f"/monitoring/reports/{report.pk}/", {"action": "submit", "confirmed": "1"}
    )
    report.refresh_from_db()
    assert report.status == "submitted"

    office = login("office")
    html = office.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert 0 < html.index('id="review-form"') < html.index("<table")

    city = office.get("/monitoring/city/2015H2/").content.decode()
    # One domain per page, its block open, every other domain a page link.
    domains = len(load_catalogue().domains)
    assert city.count('<section class="domain"') == 1
    assert 'data-domain="3.1"' in city
    assert city.count("<details open>") == 1
    assert city.count('href="?domain=') == domains + 1  # the index and "next"
    assert 'rel="next" href="?domain=3.2"' in city and 'rel="prev"' not in city
    second = office.get("/monitoring/city/2015H2/?domain=3.2").content.decode()
    assert 'data-domain="3.2"' in second and 'rel="prev" href="?domain=3.1"' in second
    assert "Page 2 of" in second
    refused = office.get("/monitoring/city/2015H2/?domain=9.9")
    assert refused.status_code == 400
    assert "There is no domain 9.9 in the plan." in refused.content.decode()
    printed = office.get("/monitoring/city/2015H2/print/").content.decode()
    assert "<details" not in printed
    assert printed.count('<section class="domain"') == domains
