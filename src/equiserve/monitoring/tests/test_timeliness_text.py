"""A missing report counts days after its deadline only while its period is
current; long past, it reads as the period's status (issue 14, deliverable 7:
every unit read "overdue by 3,609 days")."""

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

from equiserve.monitoring.selectors import timeliness
from equiserve.monitoring.templatetags.monitoring import timeliness_text

DUE = dt.date(2016, 1, 15)  # 2015H2's deadline


def shown(today: dt.date) -> str:
    row = SimpleNamespace(due=DUE, timeliness=timeliness(None, DUE, today))
    with translation.override("en"):
        return timeliness_text(row, today)


def test_a_missing_report_counts_days_after_its_own_deadline():
    assert shown(dt.date(2016, 1, 14)) == "Not yet due"
    assert shown(dt.date(2016, 1, 16)) == "Overdue (1 day)"
    assert shown(dt.date(2016, 3, 15)) == "Overdue (60 days)"


def test_a_report_missing_long_after_its_period_reads_as_the_period_closed():
    assert shown(dt.date(2026, 12, 5)) == "Not submitted; the period is closed"
    with translation.override("zh-hans"):
        row = SimpleNamespace(
            due=DUE, timeliness=timeliness(None, DUE, dt.date(2026, 12, 5))
        )
        assert timeliness_text(row, dt.date(2026, 12, 5)) == "未报送，本期已结束"
