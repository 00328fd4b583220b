"""The report cycle and entered values, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from equiserve.audit.models import AuditEntry
from equiserve.monitoring import services
from equiserve.monitoring.definitions import load_definitions
from equiserve.monitoring.models import IndicatorEntry, Report, ReportEvent
from equiserve.monitoring.selectors import (
    report_figures,
    report_live_figures,
    timeliness,
)
from equiserve.monitoring.services import ReportError
from equiserve.testkit import GUZHEN, XIAOLAN

pytestmark = pytest.mark.django_db

UNEMPLOYMENT = "employment.urban_unemployment_rate"


def _indicator(code):
    return load_definitions().get(code)


def _enter(user, place, unemployed, labour_force, period="2015H2"):
    return services.entries_save(
        indicator=_indicator(UNEMPLOYMENT),
        period=period,
        place=place,
        values={
            ("numerator", ""): None if unemployed is None else Decimal(unemployed),
            ("denominator", ""): None
            if labour_force is None
            else Decimal(labour_force),
        },
        actor=user,
    )


def _figure(figures, code, place, group=""):
    return next(
        f
        for f in figures
        if f.indicator.code == code and f.place == place and f.group == group
    )


def test_a_town_officer_enters_their_towns_values_and_each_change_is_audited(
    users,
):
    officer = users["town-xiaolan"]
    assert _enter(officer, XIAOLAN, "120", "4000") == 2
    entries = IndicatorEntry.objects.filter(indicator=UNEMPLOYMENT, place=XIAOLAN)
    assert sorted(e.value for e in entries) == [Decimal("120"), Decimal("4000")]
    assert _enter(officer, XIAOLAN, "120", "4000") == 0  # nothing changed
    assert _enter(officer, XIAOLAN, "130", None) == 2  # one changed, one cleared
    assert list(entries.values_list("role", "value")) == [("numerator", Decimal("130"))]
    audit = AuditEntry.objects.filter(object_type="monitoring.indicatorentry")
    assert audit.count() == 4
    last = audit.order_by("-seq").first()
    assert last.town_code == XIAOLAN
    assert last.changes == {"value": ["4000.00", None]}


def test_nobody_enters_outside_their_town_or_department(users):
    with pytest.raises(PermissionDenied):
        _enter(users["town-guzhen"], XIAOLAN, "1", "2")
    with pytest.raises(PermissionDenied):
        _enter(users["culture"], XIAOLAN, "1", "2")
    with pytest.raises(PermissionDenied):
        _enter(users["office"], "city", "1", "2")
    # The owning department enters for any town and for the city.
    assert _enter(users["hr-social-security"], "city", "1", "2") == 2
    assert not IndicatorEntry.objects.filter(place=XIAOLAN).exists()


def test_negative_values_are_refused(users):
    with pytest.raises(ReportError, match="cannot be negative"):
        _enter(users["town-xiaolan"], XIAOLAN, "-1", "2")


def test_only_the_indicators_entered_terms_can_be_set(users):
    # The unemployment rate has no groups: a group is not one of its terms.
    with pytest.raises(ValueError, match="has no entered term"):
        services.entries_save(
            indicator=_indicator(UNEMPLOYMENT),
            period="2015H2",
            place="city",
            values={("numerator", "migrant"): Decimal(5)},
            actor=users["hr-social-security"],
        )
    # Counted from the registry: not even its own department types it in.
    with pytest.raises(PermissionDenied):
        services.entries_save(
            indicator=_indicator("health.t1d_managed_rate"),
            period="2015H2",
            place="city",
            values={("denominator", ""): Decimal(5)},
            actor=users["health"],
        )
    assert not IndicatorEntry.objects.exists()


def test_a_report_goes_draft_submitted_returned_submitted_approved_and_locks(
    users, worker
):
    officer, office = users["town-xiaolan"], users["office"]
    report = services.report_open(period="2015H2", actor=officer)
    assert (report.kind, report.town_id, report.status) == ("town", XIAOLAN, "draft")
    assert report.due_on == dt.date(2016, 1, 15)
    assert services.report_open(period="2015H2", actor=officer).pk == report.pk
    _enter(officer, XIAOLAN, "120", "4000")
    services.report_save(
        report=report,
        items={"3.7": {"status": "on_schedule", "progress": "Job fairs held."}},
        actor=officer,
    )
    report = services.report_submit(report=report, actor=officer)
    assert (report.status, report.revision) == ("submitted", 1)
    frozen = _figure(report_figures(report), UNEMPLOYMENT, XIAOLAN)
    assert (frozen.value, frozen.state) == (3.0, "submitted")

    # Submitted: the author cannot change it, and the frozen figure stays put.
    with pytest.raises(ReportError, match="only if the office returns it"):
        services.report_save(
            report=report, items={"3.7": {"progress": "x"}}, actor=officer
        )
    _enter(officer, XIAOLAN, "200", "4000")
    worker()  # issue 13: live figures are the values the worker stored
    assert _figure(report_figures(report), UNEMPLOYMENT, XIAOLAN).value == 3.0
    assert _figure(report_live_figures(report), UNEMPLOYMENT, XIAOLAN).value == 5.0

    with pytest.raises(ReportError, match="Say why"):
        services.report_return(report=report, comment="  ", actor=office)
    report = services.report_return(
        report=report, comment="Explain the rise in unemployment.", actor=office
    )
    assert (report.status, report.review_comment) == (
        "returned",
        "Explain the rise in unemployment.",
    )
    services.report_save(
        report=report, items={"3.7": {"problems": "A factory closed."}}, actor=officer
    )
    report = services.report_submit(report=report, actor=officer)
    assert (report.status, report.revision) == ("submitted", 2)
    assert _figure(report_figures(report), UNEMPLOYMENT, XIAOLAN).value == 5.0

    report = services.report_approve(report=report, actor=office)
    assert report.status == "approved" and report.approved_by == office
    assert _figure(report_figures(report), UNEMPLOYMENT, XIAOLAN).state == "approved"
    with pytest.raises(ReportError, match="approved and locked"):
        services.report_save(
            report=report, items={"3.7": {"progress": "x"}}, actor=officer
        )
    with pytest.raises(ReportError, match="approved and locked"):
        services.report_submit(report=report, actor=officer)
    with pytest.raises(ReportError, match="already approved"):
        services.report_approve(report=report, actor=office)
    with pytest.raises(ReportError, match="Only a submitted report"):
        services.report_return(report=report, comment="again", actor=office)

    item = report.items.get(clause="3.7")
    assert (item.status, item.progress, item.problems) == (
        "on_schedule",
        "Job fairs held.",
        "A factory closed.",
    )
    actions = list(report.events.values_list("action", "revision"))
    assert actions == [
        ("created", 0),
        ("saved", 0),
        ("submitted", 1),
        ("returned", 1),
        ("saved", 1),
        ("submitted", 2),
        ("approved", 2),
    ]
    first = report.events.filter(action=ReportEvent.Action.SUBMITTED).first()
    frozen_then = [
        f for f in first.snapshot["figures"] if f["indicator"] == UNEMPLOYMENT
    ]
    assert frozen_then[0]["value"] == 3.0
    assert first.snapshot["items"][0]["progress"] == "Job fairs held."
    assert (
        AuditEntry.objects.filter(
            object_type="monitoring.report", object_id=str(report.pk)
        ).count()
        == 7
    )


def test_only_the_author_writes_and_only_the_office_reviews(users):
    report = services.report_open(period="2015H2", actor=users["town-xiaolan"])
    for other in ("town-guzhen", "office", "auditor", "culture"):
        with pytest.raises(PermissionDenied):
            services.report_submit(report=report, actor=users[other])
    report = services.report_submit(report=report, actor=users["town-xiaolan"])
    for other in ("town-xiaolan", "auditor", "culture"):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=report, actor=users[other])
    with pytest.raises(PermissionDenied):
        services.report_open(period="2015H2", actor=users["office"])


def test_a_department_report_covers_its_items_and_its_indicators(
    users, computed_values
):
    report = services.report_open(period="2014H2", actor=users["health"])
    assert (report.kind, report.department) == ("department", "health")
    with pytest.raises(ReportError, match="Clause 3.7 is not in this report"):
        services.report_save(
            report=report, items={"3.7": {"progress": "x"}}, actor=users["health"]
        )
    figures = report_live_figures(report)
    codes = {f.indicator.code for f in figures}
    assert codes == {
        "health.t1d_patients",
        "health.t1d_managed_rate",
        "health.t1d_controlled_rate",
        "health.family_planning_reward_parents",  # issue 12, point 7
        "health.migrant_family_planning_coverage",  # issue 16, deliverable 3
    }
    assert {f.place for f in figures} >= {"city", XIAOLAN, GUZHEN}


def test_timeliness_counts_the_first_submission_against_the_deadline(users):
    report = services.report_open(period="2014H2", actor=users["town-guzhen"])
    due = report.due_on
    assert due == dt.date(2015, 1, 15)
    assert timeliness(report, due, today=dt.date(2015, 1, 10)).code == "pending"
    assert timeliness(report, due, today=dt.date(2015, 1, 20)).days_late == 5
    tz = timezone.get_current_timezone()
    report.first_submitted_at = dt.datetime(2015, 1, 15, 23, 0, tzinfo=tz)
    assert timeliness(report, due).code == "on_time"
    report.first_submitted_at = dt.datetime(2015, 1, 18, 9, 0, tzinfo=tz)
    assert (timeliness(report, due).code, timeliness(report, due).days_late) == (
        "late",
        3,
    )


def test_the_database_refuses_a_second_report_for_the_same_town_and_period(
    users,
):
    from django.db import IntegrityError, transaction

    services.report_open(period="2016H1", actor=users["town-xiaolan"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            period="2016H1", kind="town", town_id=XIAOLAN, due_on=dt.date(2016, 7, 15)
        )
