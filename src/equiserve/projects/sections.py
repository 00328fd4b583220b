"""The projects' milestones in their lead department's half-yearly report (issue 17)."""

from django.utils import timezone

from equiserve.projects import selectors


def report_milestones(report, period) -> dict | None:
    """Return the department's milestones planned or done in the report's half-year."""
    if report.kind != "department":
        return None
    milestones = list(
        selectors.milestones_in_period(
            department=report.department, start=period.start, end=period.end
        )
    )
    if not milestones:
        return None
    overdue = set(
        selectors.overdue_milestones(today=timezone.localdate())
        .filter(pk__in=[m.pk for m in milestones])
        .values_list("pk", flat=True)
    )
    rows = [{"milestone": m, "overdue": m.pk in overdue} for m in milestones]
    return {"template": "projects/_report_milestones.html", "milestone_rows": rows}
