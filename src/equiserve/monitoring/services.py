"""Writes: entered values and the report cycle draft → submitted → returned/approved.

Every change is one audit entry, inside the transaction of the change. A report
is locked by row while it changes, so two officers acting on it at once are
serialized, and the second sees the state the first left (e.g. "already
approved") instead of overwriting it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.monitoring import permissions
from equiserve.monitoring.definitions import Indicator, load_definitions
from equiserve.monitoring.models import (
    IndicatorEntry,
    ItemStatus,
    Report,
    ReportEvent,
    ReportFigure,
    ReportItem,
)
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.selectors import report_clauses, report_live_figures
from equiserve.monitoring.values import compute

ITEM_FIELDS = ("status", "progress", "problems", "next_steps")


class ReportError(ValueError):
    """A step the report's state does not allow; the message is for the user."""


def _audit_town(place: str) -> str:
    return place if len(place) == 9 else ""


# -- entered values ----------------------------------------------------------------


@transaction.atomic
def entries_save(
    *,
    indicator: Indicator,
    period: str,
    place: str,
    values: dict[tuple[str, str], Decimal | None],
    actor,
    request=None,
) -> int:
    """Set, change or clear entered values; return how many changed.

    `values` maps (role, group) to a value, or None to clear it. Only the
    indicator's entered terms can be set, by a user allowed to for the place.
    """
    if not permissions.enters(actor, indicator, place):
        raise PermissionDenied("may not enter values here")
    period_get(period)
    allowed = {}
    definitions = load_definitions()
    for role, term in indicator.entered_terms:
        groups = definitions.groups_of(term.groups[0]) if term.groups else ("",)
        for group in groups:
            allowed[(role, group)] = term
    changed = 0
    for key, value in values.items():
        if key not in allowed:
            raise ValueError(f"{indicator.code} has no entered term {key}")
        role, group = key
        found = IndicatorEntry.objects.filter(
            indicator=indicator.code, role=role, period=period, place=place, group=group
        ).first()
        old = None if found is None else found.value
        if value is not None and value < 0:
            raise ReportError(_("Values cannot be negative."))
        if old == value:
            continue
        if value is None:
            found.delete()
        elif found is None:
            found = IndicatorEntry(
                indicator=indicator.code,
                role=role,
                period=period,
                place=place,
                group=group,
                value=value,
                entered_by=actor,
                entered_at=timezone.now(),
            )
            found.full_clean()
            found.save()
        else:
            found.value = value
            found.entered_by = actor
            found.entered_at = timezone.now()
            found.full_clean()
            found.save(update_fields=["value", "entered_by", "entered_at"])
        changed += 1
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE
            if old is not None
            else AuditEntry.Action.CREATE,
            object_type="monitoring.indicatorentry",
            object_id=f"{indicator.code}:{role}:{period}:{place}:{group}",
            town_code=_audit_town(place),
            summary=f"{indicator.code} {role} {period} {place} {group}".strip(),
            changes={"value": [_text(old), _text(value)]},
            request=request,
        )
    return changed


def _text(value) -> str | None:
    return None if value is None else str(value)


# -- reports ----------------------------------------------------------------------


def _event(report: Report, action: str, actor, *, comment="", snapshot=None) -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_username=actor.get_username() if actor is not None else "",
        at=timezone.now(),
        revision=report.revision,
        comment=comment,
        snapshot=snapshot or {},
    )


def _audit(
    report: Report, actor, summary: str, changes=None, request=None, action=None
):
    audit_record(
        actor=actor,
        action=action or AuditEntry.Action.UPDATE,
        object_type="monitoring.report",
        object_id=report.pk,
        town_code=report.town_id or "",
        summary=summary,
        changes=changes or {},
        request=request,
    )


@transaction.atomic
def report_open(*, period: str, actor, request=None) -> Report:
    """Return the actor's report for `period`, creating the draft on first use."""
    author = permissions.author_of(actor)
    if author is None:
        raise PermissionDenied("writes no report")
    kind, department, town = author
    the_period = period_get(period)
    lookup = {"period": period, "kind": kind}
    lookup.update(
        {"town_id": town} if kind == Report.Kind.TOWN else {"department": department}
    )
    report = Report.objects.select_for_update().filter(**lookup).first()
    if report is not None:
        return report
    report = Report(
        **lookup,
        due_on=the_period.deadline(load_definitions().deadline_days),
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Opened at the same moment by a colleague: theirs is the report.
        return Report.objects.get(**lookup)
    _event(report, ReportEvent.Action.CREATED, actor)
    _audit(
        report,
        actor,
        f"report {report} created",
        request=request,
        action=AuditEntry.Action.CREATE,
    )
    return report


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _require_author(actor, report: Report) -> None:
    if not permissions.writes_report(actor, report):
        raise PermissionDenied("not the report's author")


def _require_editable(report: Report) -> None:
    if report.status == Report.Status.APPROVED:
        raise ReportError(_("This report is approved and locked."))
    if not report.editable:
        raise ReportError(
            _("This report is submitted; it can change only if the office returns it.")
        )


@transaction.atomic
def report_save(*, report: Report, items: dict[str, dict], actor, request=None) -> int:
    """Save the narrative of plan items; return how many items changed."""
    _require_author(actor, report)
    report = _locked(report)
    _require_editable(report)
    clauses = {item.clause for item in report_clauses(report)}
    existing = {item.clause: item for item in report.items.all()}
    changes = {}
    for clause, fields in items.items():
        if clause not in clauses:
            raise ReportError(
                _("Clause %(clause)s is not in this report.") % {"clause": clause}
            )
        item = existing.get(clause) or ReportItem(report=report, clause=clause)
        before = {name: getattr(item, name) for name in ITEM_FIELDS}
        for name in ITEM_FIELDS:
            if name in fields:
                setattr(item, name, (fields[name] or "").strip())
        if item.status and item.status not in ItemStatus.values:
            raise ReportError(_("Unknown item status."))
        after = {name: getattr(item, name) for name in ITEM_FIELDS}
        if before == after and item.pk is not None:
            continue
        item.full_clean()
        item.save()
        changes[clause] = [name for name in ITEM_FIELDS if before[name] != after[name]]
    if changes:
        report.save(update_fields=["updated_at"])
        _event(report, ReportEvent.Action.SAVED, actor, snapshot={"changed": changes})
        _audit(report, actor, f"report {report} saved", {"items": changes}, request)
    return len(changes)


def _snapshot(report: Report, figures) -> dict:
    return {
        "revision": report.revision,
        "items": [
            {name: getattr(item, name) for name in ("clause", *ITEM_FIELDS)}
            for item in report.items.all()
        ],
        "figures": [
            {
                "indicator": f.indicator.code,
                "place": f.place,
                "group": f.group,
                "numerator": f.numerator,
                "denominator": f.denominator,
                "value": f.value,
                "target": f.judgement.target,
                "status": f.status,
            }
            for f in figures
        ],
    }


@transaction.atomic
def report_submit(*, report: Report, actor, request=None) -> Report:
    """Freeze the report's figures as they are now and send it to the office."""
    _require_author(actor, report)
    report = _locked(report)
    _require_editable(report)
    # Frozen from the data as it is now: computed, not read from stored values
    # a figure entered with this submission may not have refreshed yet.
    figures = report_live_figures(report, read=compute)
    report.figures.all().delete()
    ReportFigure.objects.bulk_create(
        ReportFigure(
            report=report,
            indicator=f.indicator.code,
            place=f.place,
            group=f.group,
            numerator=f.numerator,
            denominator=f.denominator,
            value=f.value,
            target=f.judgement.target,
            status=f.status,
        )
        for f in figures
    )
    now = timezone.now()
    report.status = Report.Status.SUBMITTED
    report.revision += 1
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.full_clean()
    report.save(
        update_fields=[
            "status",
            "revision",
            "submitted_at",
            "first_submitted_at",
            "updated_at",
        ]
    )
    _event(
        report, ReportEvent.Action.SUBMITTED, actor, snapshot=_snapshot(report, figures)
    )
    _audit(
        report,
        actor,
        f"report {report} submitted (revision {report.revision})",
        {"status": ["", report.status], "figures": len(figures)},
        request,
    )
    return report


def _require_reviewer(actor) -> None:
    if not permissions.reviews_reports(actor):
        raise PermissionDenied("only the office reviews reports")


@transaction.atomic
def report_return(*, report: Report, comment: str, actor, request=None) -> Report:
    """Return a submitted report to its author with the office's comment."""
    _require_reviewer(actor)
    report = _locked(report)
    comment = (comment or "").strip()
    if not comment:
        raise ReportError(_("Say why the report is returned."))
    if report.status != Report.Status.SUBMITTED:
        raise ReportError(_("Only a submitted report can be returned."))
    report.status = Report.Status.RETURNED
    report.review_comment = comment
    report.save(update_fields=["status", "review_comment", "updated_at"])
    _event(report, ReportEvent.Action.RETURNED, actor, comment=comment)
    _audit(
        report,
        actor,
        f"report {report} returned",
        {"status": ["submitted", "returned"], "comment": comment},
        request,
    )
    return report


@transaction.atomic
def report_approve(*, report: Report, actor, comment: str = "", request=None) -> Report:
    """Approve a submitted report; it is locked from then on."""
    _require_reviewer(actor)
    report = _locked(report)
    if report.status == Report.Status.APPROVED:
        raise ReportError(_("This report is already approved."))
    if report.status != Report.Status.SUBMITTED:
        raise ReportError(_("Only a submitted report can be approved."))
    report.status = Report.Status.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = actor
    report.full_clean()
    report.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    _event(report, ReportEvent.Action.APPROVED, actor, comment=(comment or "").strip())
    _audit(
        report,
        actor,
        f"report {report} approved",
        {"status": ["submitted", "approved"]},
        request,
    )
    return report
