"""Reads of the audit log, for auditors."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from equiserve.audit.models import AuditEntry


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditFilters:
    """Who, what, which record type, which town, and a range of local dates."""

    user: str = ""
    action: str = ""
    object_type: str = ""
    town: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_query(cls, query) -> "AuditFilters":
        """Read the filters from a GET query; values that cannot apply are dropped."""
        action = query.get("action", "")
        return cls(
            user=query.get("user", "").strip()[:150],
            action=action if action in AuditEntry.Action.values else "",
            object_type=query.get("object_type", "").strip()[:64],
            town=query.get("town", "").strip()[:9],
            date_from=_date(query.get("date_from", "")),
            date_to=_date(query.get("date_to", "")),
        )

    def as_query(self) -> dict[str, str]:
        return {
            key: value.isoformat() if isinstance(value, dt.date) else value
            for key, value in vars(self).items()
            if value
        }


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entry_list(filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """Return the entries matching the filters, newest first.

    Dates are days in the server's time zone (Asia/Shanghai); both ends count.
    """
    filters = filters or AuditFilters()
    entries = AuditEntry.objects.all()
    if filters.user:
        entries = entries.filter(actor_username=filters.user)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.town:
        entries = entries.filter(town_code=filters.town)
    if filters.date_from:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(
            at__lt=_start_of(filters.date_to + dt.timedelta(days=1))
        )
    return entries.order_by("-seq")


def audit_object_types() -> list[str]:
    """Return the record types present in the log, for the filter's choices."""
    return sorted(
        AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    )
