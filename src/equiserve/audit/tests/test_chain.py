import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from typer.testing import CliRunner

from equiserve.audit.models import AppendOnlyError, AuditEntry
from equiserve.audit.services import audit_record, audit_verify
from equiserve.cli import app


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user("officer-a", password="x-long-pass")


def _record_three(officer):
    for number in range(3):
        audit_record(
            actor=officer,
            action=AuditEntry.Action.VIEW,
            object_type="registry.person",
            object_id=number + 1,
            town_code="442000100",
            summary=f"viewed person {number + 1}",
        )


def test_entries_are_chained_and_verify(officer):
    _record_three(officer)
    entries = list(AuditEntry.objects.all())
    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert entries[0].prev_hash == "0" * 64
    assert entries[1].prev_hash == entries[0].hash
    assert audit_verify().ok and audit_verify().checked == 3


def test_the_model_refuses_changes_and_deletion(officer):
    _record_three(officer)
    entry = AuditEntry.objects.get(seq=2)
    entry.summary = "nothing happened"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=2).update(summary="nothing")


def test_the_database_refuses_an_update(officer):
    _record_three(officer)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET summary = 'x' WHERE seq = 2")


def _tamper(sql: str, params: list) -> None:
    """Alter the log as someone with database access would: triggers off first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        cursor.execute(sql, params)


def test_verify_names_the_first_altered_entry(officer):
    _record_three(officer)
    _tamper("UPDATE audit_auditentry SET object_id = %s WHERE seq = %s", ["99", 2])
    result = audit_verify()
    assert (result.ok, result.first_broken_seq, result.checked) == (False, 2, 1)
    assert result.reason == "its content does not match its hash"


def test_verify_names_a_deleted_entry(officer):
    _record_three(officer)
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [2])
    result = audit_verify()
    assert (result.ok, result.first_broken_seq) == (False, 2)
    assert result.reason == "entry 2 is missing"


def test_verify_notices_a_removed_last_entry(officer):
    _record_three(officer)
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [3])
    result = audit_verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)


def test_command_line_verify_exits_1_naming_the_entry(officer):
    _record_three(officer)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "3 entries, chain intact" in ok.output
    _tamper("UPDATE audit_auditentry SET summary = %s WHERE seq = %s", ["edited", 1])
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at entry 1" in broken.output
