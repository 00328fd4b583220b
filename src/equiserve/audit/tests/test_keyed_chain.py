"""The chain is keyed and pinned by checkpoints outside the database (issue 10, finding 5)."""

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from typer.testing import CliRunner

from equiserve.audit.chain import GENESIS_HASH, KEYED, UNKEYED
from equiserve.audit.checkpoints import checkpoint_latest
from equiserve.audit.models import AuditChainHead, AuditEntry
from equiserve.audit.services import audit_entry_digest, audit_record, audit_verify
from equiserve.cli import app

seal_module = __import__(
    "equiserve.audit.migrations.0003_keyed_chain", fromlist=["seal_unkeyed_entries"]
)


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user("officer-a", password="x-long-pass")


def _record(officer, count: int) -> None:
    for number in range(count):
        audit_record(
            actor=officer,
            action=AuditEntry.Action.VIEW,
            object_type="registry.person",
            object_id=number + 1,
            summary=f"viewed person {number + 1}",
        )


def _sql(sql: str, params: list) -> None:
    """Write the database as someone with database access would: triggers off first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        cursor.execute(sql, params)


def _digest(entry: AuditEntry, prev_hash: str, version: int, key=None) -> str:
    entry.chain_version = version
    return audit_entry_digest(entry, prev_hash, key)


def _rebuild(version: int, key=None, before_seq: int | None = None):
    """Alter entry 2, then rehash the chain (up to before_seq) without the audit key."""
    prev_hash = GENESIS_HASH
    entries = AuditEntry.objects.order_by("seq")
    if before_seq:
        entries = entries.filter(seq__lt=before_seq)
    for entry in entries:
        if entry.seq == 2:
            entry.summary = "nothing happened"
        digest = _digest(entry, prev_hash, version, key)
        _sql(
            "UPDATE audit_auditentry SET summary = %s, chain_version = %s, "
            "prev_hash = %s, hash = %s WHERE seq = %s",
            [entry.summary, version, prev_hash, digest, entry.seq],
        )
        prev_hash = digest
    if not before_seq:
        AuditChainHead.objects.filter(pk=1).update(last_hash=prev_hash)


def _cut_tail_and_rewind_head() -> None:
    _sql("DELETE FROM audit_auditentry WHERE seq = %s", [3])
    second = AuditEntry.objects.get(seq=2)
    AuditChainHead.objects.filter(pk=1).update(entries=2, last_hash=second.hash)


def test_new_entries_are_keyed_with_the_audit_key(officer, settings):
    _record(officer, 2)
    first = AuditEntry.objects.get(seq=1)
    assert first.chain_version == KEYED
    assert first.hash == _digest(first, GENESIS_HASH, KEYED, settings.AUDIT_KEY)
    assert first.hash != _digest(first, GENESIS_HASH, UNKEYED)


def test_a_chain_rebuilt_as_unkeyed_entries_is_refused(officer):
    _record(officer, 3)
    _rebuild(UNKEYED)
    result = audit_verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert result.reason == "no entry of the chain is signed with the audit key"


def test_a_chain_rebuilt_with_a_guessed_key_is_refused(officer):
    _record(officer, 3)
    _rebuild(KEYED, key="guessed")
    result = audit_verify()
    assert (result.ok, result.first_broken_seq, result.checked) == (False, 1, 0)
    assert result.reason == "its content does not match its hash"


def test_a_key_change_breaks_verification(officer, settings):
    _record(officer, 2)
    settings.AUDIT_KEY = "another key"
    assert audit_verify().first_broken_seq == 1


def test_cut_tail_with_rewound_head_is_caught_by_the_checkpoint(officer, tmp_path):
    _record(officer, 3)
    runner = CliRunner()
    pinned = runner.invoke(app, ["audit", "checkpoint", "--out", str(tmp_path)])
    assert pinned.exit_code == 0, pinned.output
    path = tmp_path / "audit-checkpoint-000000000003.json"
    assert json.loads(path.read_text())["seq"] == 3
    _cut_tail_and_rewind_head()
    # Without a checkpoint the shortened chain looks whole: that is the attack.
    assert audit_verify().ok
    result = runner.invoke(app, ["audit", "verify", "--checkpoint", str(path)])
    assert result.exit_code == 1
    assert (
        "BROKEN at entry 3: the chain ends before checkpoint entry 3" in result.output
    )


def test_verify_checks_the_latest_kept_checkpoint_by_itself(officer, settings):
    _record(officer, 3)
    runner = CliRunner()
    first = runner.invoke(app, ["audit", "verify"])
    assert first.exit_code == 0, first.output
    assert checkpoint_latest(settings.AUDIT_CHECKPOINT_DIR).name == (
        "audit-checkpoint-000000000003.json"
    )
    _cut_tail_and_rewind_head()
    again = runner.invoke(app, ["audit", "verify"])
    assert again.exit_code == 1
    assert "BROKEN at entry 3" in again.output


def test_a_chain_that_differs_from_the_checkpoint_is_refused(officer, tmp_path):
    _record(officer, 3)
    CliRunner().invoke(app, ["audit", "checkpoint", "--out", str(tmp_path)])
    _cut_tail_and_rewind_head()
    audit_record(actor=officer, action="view", object_type="registry.person")
    result = CliRunner().invoke(
        app,
        [
            "audit",
            "verify",
            "--checkpoint",
            str(tmp_path / "audit-checkpoint-000000000003.json"),
        ],
    )
    assert result.exit_code == 1
    assert (
        "BROKEN at entry 3: it differs from the entry the checkpoint recorded"
        in result.output
    )


def test_a_forged_checkpoint_is_refused(officer, tmp_path):
    _record(officer, 1)
    forged = tmp_path / "audit-checkpoint-000000000001.json"
    forged.write_text(
        json.dumps(
            {
                "format": "equiserve-audit-checkpoint",
                "seq": 0,
                "head_hash": GENESIS_HASH,
                "written_at": "2026-01-01T00:00:00+00:00",
                "signature": "0" * 64,
            }
        )
    )
    result = CliRunner().invoke(app, ["audit", "verify", "--checkpoint", str(forged)])
    assert result.exit_code == 1
    assert "is not signed with this audit key" in result.output


def test_a_checkpoint_is_written_every_n_entries(
    officer, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVERY = 2
    with django_capture_on_commit_callbacks(execute=True):
        _record(officer, 5)
    kept = sorted(path.name for path in settings.AUDIT_CHECKPOINT_DIR.iterdir())
    assert kept == [
        "audit-checkpoint-000000000002.json",
        "audit-checkpoint-000000000004.json",
    ]


def test_the_migration_seals_unkeyed_entries_under_the_key(db):
    prev_hash = GENESIS_HASH
    for seq in (1, 2):
        entry = AuditEntry(
            seq=seq,
            at=timezone.now(),
            actor_username="old",
            action="view",
            object_type="registry.person",
            chain_version=UNKEYED,
            prev_hash=prev_hash,
        )
        entry.hash = _digest(entry, prev_hash, UNKEYED)
        entry.save()
        prev_hash = entry.hash
    AuditChainHead.objects.create(pk=1, last_hash=prev_hash, entries=2)

    seal_module.seal_unkeyed_entries(apps, None)

    seal = AuditEntry.objects.get(seq=3)
    assert (seal.chain_version, seal.prev_hash) == (KEYED, prev_hash)
    assert audit_verify().ok and audit_verify().checked == 3
    # Rewriting the unkeyed entries, even consistently, now breaks the keyed seal.
    _rebuild(UNKEYED, before_seq=3)
    result = audit_verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert result.reason == "its link to the previous entry is broken"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's test runner empties with DELETE"
)
def test_postgresql_refuses_deleting_an_entry(officer):
    _record(officer, 2)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE seq = 2")
