"""Append to the audit trail, and verify it."""

from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from equiserve.audit.chain import GENESIS_HASH, entry_digest
from equiserve.audit.models import AuditChainHead, AuditEntry


def _remote_addr(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:64]


def _digest_of(entry: AuditEntry, prev_hash: str) -> str:
    return entry_digest(
        prev_hash=prev_hash,
        seq=entry.seq,
        at_iso=entry.at.astimezone(UTC).isoformat(),
        actor_username=entry.actor_username,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        town_code=entry.town_code,
        summary=entry.summary,
        changes=entry.changes,
        remote_addr=entry.remote_addr,
    )


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: str | int = "",
    town_code: str = "",
    summary: str = "",
    changes: dict | None = None,
    request=None,
) -> AuditEntry:
    """Append one entry; call it inside the transaction of the change it records."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS_HASH, "entries": 0}
    )
    authenticated = getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=head.entries + 1,
        at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        town_code=town_code or "",
        summary=summary[:500],
        changes=changes or {},
        remote_addr=_remote_addr(request),
        prev_hash=head.last_hash,
    )
    entry.hash = _digest_of(entry, head.last_hash)
    entry.full_clean(exclude=["actor"])
    entry.save()
    head.last_hash = entry.hash
    head.entries = entry.seq
    head.save(update_fields=["last_hash", "entries"])
    return entry


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def audit_verify() -> ChainVerification:
    """Recompute the chain; name the first entry whose hash or link does not hold."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainVerification(
                False, checked, expected_seq, f"entry {expected_seq} is missing"
            )
        if entry.prev_hash != prev_hash:
            return ChainVerification(
                False, checked, entry.seq, "its link to the previous entry is broken"
            )
        if _digest_of(entry, prev_hash) != entry.hash:
            return ChainVerification(
                False, checked, entry.seq, "its content does not match its hash"
            )
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and (head.entries != checked or head.last_hash != prev_hash):
        return ChainVerification(
            False,
            checked,
            checked + 1 if head.entries > checked else checked,
            "the chain ends before its recorded head",
        )
    return ChainVerification(True, checked)
