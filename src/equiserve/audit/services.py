"""Append to the audit trail, and verify it."""

from dataclasses import dataclass
from datetime import UTC
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from equiserve.audit.chain import CHAIN_VERSIONS, GENESIS_HASH, KEYED, entry_digest
from equiserve.audit.checkpoints import (
    Checkpoint,
    CheckpointInvalid,
    checkpoint_latest,
    checkpoint_read,
    checkpoint_write_quietly,
)
from equiserve.audit.models import AuditChainHead, AuditEntry


def _remote_addr(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:64]


def audit_entry_digest(
    entry: AuditEntry, prev_hash: str, key: str | None = None
) -> str:
    """Return the hash an entry must carry after `prev_hash` (under the audit key)."""
    return entry_digest(
        version=entry.chain_version,
        key=settings.AUDIT_KEY if key is None else key,
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
        chain_version=KEYED,
        prev_hash=head.last_hash,
    )
    entry.hash = audit_entry_digest(entry, head.last_hash)
    entry.full_clean(exclude=["actor"])
    entry.save()
    head.last_hash = entry.hash
    head.entries = entry.seq
    head.save(update_fields=["last_hash", "entries"])
    if entry.seq % settings.AUDIT_CHECKPOINT_EVERY == 0:
        transaction.on_commit(
            partial(
                checkpoint_write_quietly,
                settings.AUDIT_CHECKPOINT_DIR,
                seq=entry.seq,
                head_hash=entry.hash,
            )
        )
    return entry


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""
    head_hash: str = GENESIS_HASH


def _broken(checked: int, seq: int, reason: str) -> ChainVerification:
    return ChainVerification(False, checked, seq, reason)


def audit_verify(
    checkpoint: Checkpoint | None = None, using: str = "default"
) -> ChainVerification:
    """Recompute the chain; name the first entry whose hash or link does not hold.

    Unkeyed (version 1) entries count only as a prefix followed by keyed ones: a
    chain rebuilt without the audit key fails. With a checkpoint, a chain shorter
    than it or different at its position fails too. `using` names another
    database, e.g. a backup being restored (issue 21).
    """
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    keyed_seen = False
    hash_at_checkpoint = None
    for entry in (
        AuditEntry.objects.using(using).order_by("seq").iterator(chunk_size=2000)
    ):
        if entry.seq != expected_seq:
            return _broken(checked, expected_seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != prev_hash:
            return _broken(
                checked, entry.seq, "its link to the previous entry is broken"
            )
        if entry.chain_version not in CHAIN_VERSIONS or (
            keyed_seen and entry.chain_version != KEYED
        ):
            return _broken(checked, entry.seq, "it is not signed with the audit key")
        if audit_entry_digest(entry, prev_hash) != entry.hash:
            return _broken(checked, entry.seq, "its content does not match its hash")
        keyed_seen = keyed_seen or entry.chain_version == KEYED
        if checkpoint and entry.seq == checkpoint.seq:
            hash_at_checkpoint = entry.hash
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    if checked and not keyed_seen:
        return _broken(
            checked, checked, "no entry of the chain is signed with the audit key"
        )
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    if head and (head.entries != checked or head.last_hash != prev_hash):
        return _broken(
            checked,
            checked + 1 if head.entries > checked else checked,
            "the chain ends before its recorded head",
        )
    if checkpoint and checkpoint.seq > checked:
        return _broken(
            checked,
            checked + 1,
            f"the chain ends before checkpoint entry {checkpoint.seq}",
        )
    if checkpoint and checkpoint.seq and hash_at_checkpoint != checkpoint.head_hash:
        return _broken(
            checkpoint.seq - 1,
            checkpoint.seq,
            "it differs from the entry the checkpoint recorded",
        )
    return ChainVerification(True, checked, head_hash=prev_hash)


def audit_verify_against_kept() -> ChainVerification:
    """Verify the chain against the latest checkpoint kept in AUDIT_CHECKPOINT_DIR."""
    path = checkpoint_latest(settings.AUDIT_CHECKPOINT_DIR)
    try:
        kept = checkpoint_read(path) if path else None
    except CheckpointInvalid:
        return _broken(
            0, None, "the latest checkpoint is not signed with the audit key"
        )
    return audit_verify(checkpoint=kept)
