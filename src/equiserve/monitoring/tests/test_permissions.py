"""access_report: every role against every kind of report (one thorough test)."""

import pytest
from django.http import Http404

from equiserve.monitoring import permissions, services
from equiserve.monitoring.definitions import _indicator, load_definitions
from equiserve.testkit import GUZHEN, XIAOLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(users):
    return {
        author: services.report_open(period="2015H1", actor=users[author])
        for author in ("town-xiaolan", "town-guzhen", "health", "culture")
    }


# Who reads which report: the office and auditors all; authors their own only.
READS = {
    "office": {"town-xiaolan", "town-guzhen", "health", "culture"},
    "auditor": {"town-xiaolan", "town-guzhen", "health", "culture"},
    "town-xiaolan": {"town-xiaolan"},
    "town-guzhen": {"town-guzhen"},
    "health": {"health"},
    "culture": {"culture"},
    "education": set(),
    "hr-social-security": set(),
}


@pytest.mark.parametrize("reader", sorted(READS))
def test_access_report_gives_the_same_404_for_forbidden_and_missing(
    users, reports, reader
):
    user = users[reader]
    for author, report in reports.items():
        if author in READS[reader]:
            assert permissions.access_report(user, report.pk) == report
            assert permissions.writes_report(user, report) == (author == reader)
        else:
            with pytest.raises(Http404) as forbidden:
                permissions.access_report(user, report.pk)
            assert str(forbidden.value) == "no such report"
    with pytest.raises(Http404) as missing:
        permissions.access_report(user, 999_999)
    assert str(missing.value) == "no such report"
    with pytest.raises(Http404):
        permissions.access_report(user, "1 OR 1=1")
    visible = set(permissions.report_list_for(user).values_list("pk", flat=True))
    assert visible == {reports[a].pk for a in READS[reader]}
    assert permissions.reviews_reports(user) == (reader == "office")


def test_anonymous_users_read_nothing(reports):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.report_list_for(AnonymousUser()).exists()
    with pytest.raises(Http404):
        permissions.access_report(AnonymousUser(), reports["town-xiaolan"].pk)


def test_town_officers_see_their_own_town_only(users):
    assert permissions.visible_towns(users["town-xiaolan"]) == [XIAOLAN]
    assert permissions.visible_towns(users["office"]) is None
    assert permissions.access_town(users["town-xiaolan"], XIAOLAN).code == XIAOLAN
    with pytest.raises(Http404):
        permissions.access_town(users["town-xiaolan"], GUZHEN)


def test_who_enters_which_values(users):
    # An entered figure owned by Health (the plan's 3.3.2 rates are counted
    # from the registry's records since issue 16).
    managed = _indicator(
        {
            "code": "health.entered",
            "clause": "3.3.2",
            "owner": "health",
            "label": {"zh": "填报", "en": "entered"},
            "definition": {"zh": "填报", "en": "entered"},
            "unit": "persons",
            "numerator": {"source": "entry", "label": {"zh": "数", "en": "n"}},
        },
        "3.3",
        "test",
        {"3.3.2"},
        set(),
    )
    patients = load_definitions().get("health.t1d_patients")
    assert not permissions.enters(
        users["health"], load_definitions().get("health.t1d_managed_rate"), "city"
    )
    assert permissions.enters(users["health"], managed, "city")
    assert permissions.enters(users["health"], managed, GUZHEN)
    assert permissions.enters(users["town-xiaolan"], managed, XIAOLAN)
    assert not permissions.enters(users["town-xiaolan"], managed, GUZHEN)
    assert not permissions.enters(users["town-xiaolan"], managed, "city")
    assert not permissions.enters(users["culture"], managed, "city")
    assert not permissions.enters(users["office"], managed, "city")
    assert not permissions.enters(users["auditor"], managed, "city")
    # Counted from the registry: nothing to enter.
    assert not permissions.enters(users["health"], patients, "city")
