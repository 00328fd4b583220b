"""Each role's start page: its work queue with counts, each item linked (issue 14,
deliverable 1).

A queue reads each app's own scoped lists (`case_list_for`, `application_list_for`,
`report_list_for` …), so a start page shows nothing its user could not open.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from equiserve.accounts.models import Role
from equiserve.accounts.scope import scope_of

SHOWN = 10  # items listed under a count; the count links to all of them


@dataclass
class Queue:
    title: str
    count: int
    url: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    note: str = ""


def _case_items(cases) -> list[tuple[str, str]]:
    return [
        (
            f"{case.reference} · {case.applicant.name} · {case.applied_on:%Y-%m-%d}",
            reverse("cases:case", args=[case.pk]),
        )
        for case in cases[:SHOWN]
    ]


def _cases_url(**query) -> str:
    return f"{reverse('cases:queue')}?{urlencode(query)}"


def department_queues(user) -> list[Queue]:
    """Cases awaiting my decision, my second approval, and appeals to decide."""
    from equiserve.cases.models import Decision
    from equiserve.cases.permissions import case_list_for
    from equiserve.cases.workflow import Status

    cases = case_list_for(user).select_related("applicant").order_by("applied_on")
    second = cases.filter(status=Status.AWAITING_SECOND).exclude(
        # The maker cannot be the checker: their own first approvals wait for others.
        decisions__kind=Decision.Kind.FIRST_APPROVAL,
        decisions__decided_by=user,
    )
    decide = cases.filter(status=Status.ASSESSED)
    appeals = cases.filter(status=Status.APPEALED)
    submitted = cases.filter(status=Status.SUBMITTED)
    return [
        Queue(
            _("Cases awaiting my second approval"),
            second.count(),
            _cases_url(status=Status.AWAITING_SECOND),
            _case_items(second),
        ),
        Queue(
            _("Cases awaiting my decision"),
            decide.count(),
            _cases_url(status=Status.ASSESSED),
            _case_items(decide),
        ),
        Queue(
            _("Appeals to decide"),
            appeals.count(),
            _cases_url(status=Status.APPEALED),
            _case_items(appeals),
        ),
        Queue(
            _("Applications to assess"),
            submitted.count(),
            _cases_url(status=Status.SUBMITTED),
            _case_items(submitted),
        ),
    ]


def town_queues(user, town_code: str) -> list[Queue]:
    """Applications my town registered awaiting documents, and facilities below standard."""
    from equiserve.cases.permissions import case_list_for
    from equiserve.cases.programmes import PROGRAMMES
    from equiserve.cases.workflow import Status

    waiting = [
        case
        for case in case_list_for(user)
        .filter(status__in=[Status.SUBMITTED, Status.RETURNED])
        .select_related("applicant")
        .order_by("applied_on")
        if case.programme in PROGRAMMES
        and any(
            d.code not in case.documents for d in PROGRAMMES[case.programme].documents
        )
    ]
    queues = [
        Queue(
            _("Applications my town registered awaiting documents"),
            len(waiting),
            _cases_url(status="open", town=town_code),
            _case_items(waiting),
        ),
    ]
    queues.append(_facilities_queue(town_code))
    return queues


def _facilities_queue(town_code: str) -> Queue:
    from equiserve.facilities.findings import SHORT
    from equiserve.facilities.selectors import default_date, standards_check

    report = standards_check(date=default_date(), town_codes=[town_code])
    short = [f for f in report.findings if f.status == SHORT]
    url = reverse("facilities:town", args=[town_code])
    return Queue(
        _("Facilities and places below the plan's standard in my town"),
        len(short),
        url,
        [(f"{f.clause} · {f.name}", url) for f in short[:SHOWN]],
    )


def housing_queues(user) -> list[Queue]:
    """Applications due for assessment again, offers awaiting answers, rounds to draw."""
    from equiserve.housing.models import (
        AllocationRound,
        ApplicationStatus,
        OfferStatus,
        RoundStatus,
    )
    from equiserve.housing.permissions import application_list_for, offer_list_for

    year_ago = timezone.localdate() - dt.timedelta(days=365)
    due = (
        application_list_for(user)
        .filter(status=ApplicationStatus.WAITING, assessed_on__lte=year_ago)
        .select_related("applicant")
        .order_by("assessed_on")
    )
    offers = offer_list_for(user).filter(status=OfferStatus.PENDING)
    rounds = AllocationRound.objects.filter(status=RoundStatus.FROZEN).order_by("pk")
    return [
        Queue(
            _("Housing applications to assess again (assessed over a year ago)"),
            due.count(),
            reverse("housing:applications"),
            [
                (
                    f"{a.applicant.name} · {a.assessed_on:%Y-%m-%d}",
                    reverse("housing:application", args=[a.pk]),
                )
                for a in due[:SHOWN]
            ],
        ),
        Queue(
            _("Offers awaiting the household's answer"),
            offers.count(),
            reverse("housing:applications"),
            [
                (str(o), reverse("housing:application", args=[o.application_id]))
                for o in offers.select_related("application")[:SHOWN]
            ],
        ),
        Queue(
            _("Rounds frozen, waiting for the draw"),
            rounds.count(),
            reverse("housing:rounds"),
            [
                (f"{r.pk} · {r.title}", reverse("housing:round", args=[r.pk]))
                for r in rounds[:SHOWN]
            ],
        ),
    ]


def office_queues(user) -> list[Queue]:
    """Reports submitted for review, and the towns and departments overdue."""
    from equiserve.monitoring.models import Report
    from equiserve.monitoring.periods import current_period
    from equiserve.monitoring.selectors import expected_reports

    period = current_period()
    rows = expected_reports(period, _lang())
    submitted = [r for r in rows if r.status == Report.Status.SUBMITTED]
    overdue = [r for r in rows if r.timeliness.code == "overdue"]
    listed = f"{reverse('monitoring:reports')}?{urlencode({'period': period.id})}"
    return [
        Queue(
            _("Reports to review"),
            len(submitted),
            listed,
            [
                (r.name, reverse("monitoring:report", args=[r.report.pk]))
                for r in submitted[:SHOWN]
            ],
        ),
        Queue(
            _("Towns and departments overdue with their report"),
            len(overdue),
            listed,
            [(r.name, listed) for r in overdue[:SHOWN]],
        ),
    ]


def auditor_queues(user) -> list[Queue]:
    """The audit trail's verification status: the latest checkpoint and what follows it."""
    from django.conf import settings

    from equiserve.audit.checkpoints import (
        CheckpointInvalid,
        checkpoint_latest,
        checkpoint_read,
    )
    from equiserve.audit.models import AuditEntry

    url = reverse("audit:log")
    path = checkpoint_latest(settings.AUDIT_CHECKPOINT_DIR)
    try:
        kept = checkpoint_read(path) if path else None
    except CheckpointInvalid:
        return [
            Queue(
                _("Audit entries since the latest checkpoint"),
                AuditEntry.objects.count(),
                url,
                note=_("The latest checkpoint is not signed with the audit key."),
            )
        ]
    since = AuditEntry.objects.filter(seq__gt=kept.seq if kept else 0).count()
    note = (
        _(
            "Latest checkpoint: entry %(seq)s, written %(at)s. Verify the chain now on the audit page."
        )
        % {"seq": kept.seq, "at": kept.written_at[:16].replace("T", " ")}
        if kept
        else _("No checkpoint yet: verify the chain on the audit page to write one.")
    )
    return [
        Queue(_("Audit entries since the latest checkpoint"), since, url, note=note)
    ]


def _lang() -> str:
    from django.utils.translation import get_language

    return get_language() or "zh-hans"


def start_actions(user) -> list[tuple[str, str]]:
    """Return the (label, url) of the tasks a role starts from its start page."""
    scope = scope_of(user)
    if scope is None or scope.role != Role.TOWN:
        return []
    return [
        (_("Register a person"), reverse("registry:person_new")),
        (_("Register an application"), reverse("cases:register")),
    ]


def start_queues(user) -> tuple[str, list[Queue]]:
    """Return the user's role (as its label) and their work queues."""
    scope = scope_of(user)
    if scope is None:
        return "", []
    if scope.administers or scope.role == Role.OFFICE:
        return str(Role.OFFICE.label), office_queues(user)
    if scope.role == Role.AUDITOR:
        return str(Role.AUDITOR.label), auditor_queues(user)
    if scope.role == Role.FINANCE:
        from equiserve.budget.selectors import finance_queue

        return str(Role.FINANCE.label), [Queue(**finance_queue())]
    if scope.role == Role.TOWN:
        return str(Role.TOWN.label), town_queues(user, scope.town_code)
    queues = department_queues(user)
    from equiserve.housing.permissions import decides

    if decides(user):
        queues = housing_queues(user) + queues
    queues += _disability_queues(user) + _projects_queues(user)
    return str(Role(scope.role).label), queues


def _disability_queues(user) -> list[Queue]:
    """The federation's waiting lists: persons waiting for a place (issue 17)."""
    from equiserve.accounts.scope import acts_for
    from equiserve.disability.permissions import FEDERATION
    from equiserve.disability.selectors import waiting_list
    from equiserve.projects.templatetags.projects import local_name

    if not acts_for(user, FEDERATION):
        return []
    today = timezone.localdate()
    waiting = waiting_list(on=today)
    return [
        Queue(
            _("Persons waiting for a place at an institution"),
            waiting.count(),
            reverse("disability:waiting"),
            [
                (
                    f"{e.record.person.name} · {local_name(e.institution)} · {e.since:%Y-%m-%d}",
                    reverse("disability:record", args=[e.record_id]),
                )
                for e in waiting[:SHOWN]
            ],
        )
    ]


def _projects_queues(user) -> list[Queue]:
    """Overdue milestones of the projects my department leads (issue 17)."""
    from equiserve.projects.permissions import overdue_department, reads_projects
    from equiserve.projects.selectors import overdue_milestones
    from equiserve.projects.templatetags.projects import local_name

    if not reads_projects(user):
        return []
    department = overdue_department(user)
    if not department:
        return []
    overdue = overdue_milestones(today=timezone.localdate(), department=department)
    return [
        Queue(
            _("Overdue milestones of my department's projects"),
            overdue.count(),
            reverse("projects:overdue"),
            [
                (
                    f"{local_name(m.project)} · {local_name(m)} · {m.planned_date:%Y-%m-%d}",
                    reverse("projects:project", args=[m.project.code]),
                )
                for m in overdue[:SHOWN]
            ],
        )
    ]
