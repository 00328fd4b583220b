"""Backups that restore (issue 21, deliverable 2 and its acceptance).

Run on the test database's own engine: SQLite's online backup API on SQLite,
pg_dump/pg_restore on PostgreSQL (into databases of this test's own names).
"""

import io
import json
import shutil
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record, audit_verify
from equiserve.operations.backup import (
    MANIFEST,
    BackupRefused,
    _signature,
    backup_create,
    backup_restore,
    database_is_empty,
    temporary_database,
)
from equiserve.operations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _pg_tools():
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed: the PostgreSQL backup needs it")


@pytest.fixture
def empty_target(tmp_path):
    """An empty place to restore into: a new file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "r.db")}
        return
    from equiserve.operations.backup import _pg_maintenance, _quoted

    target = {
        **connection.settings_dict,
        "NAME": f"equiserve_ops21_restore_{uuid.uuid4().hex[:10]}",
    }
    yield target
    with _pg_maintenance(target) as maintenance:
        for name in (target["NAME"], f"{target['NAME']}_restoring"):
            maintenance.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")


def _write_one(number: int) -> None:
    """One change as the application makes it: a row and its audit entry, together."""
    with transaction.atomic():
        WorkerHeartbeat.objects.create(
            worker=f"writer:{number}", beat_at=timezone.now()
        )
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            object_type="test.row",
            object_id=number,
        )


class Writer(threading.Thread):
    """Write rows until told to stop, as a server would while the backup runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.started_writing = threading.Event()
        self.stop = threading.Event()
        self.written = 0
        self.error = None

    def run(self):
        try:
            while not self.stop.is_set() or self.written < 2:
                _write_one(self.written)
                self.written += 1
                self.started_writing.set()
        except Exception as error:  # reported by the test
            self.error = error
            self.started_writing.set()
        finally:
            close_old_connections()
            connection.close()


def _rows(alias: str) -> list[str]:
    return list(
        WorkerHeartbeat.objects.using(alias)
        .order_by("worker")
        .values_list("worker", flat=True)
    )


def test_a_backup_taken_while_writing_restores_the_same_rows_and_chain(
    tmp_path, empty_target
):
    _write_one(-1)
    writer = Writer()
    writer.start()
    assert writer.started_writing.wait(timeout=30)
    try:
        result = backup_create(tmp_path / "backup.tar")
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert writer.error is None, writer.error
    manifest = result.manifest
    assert manifest["engine"] in {"sqlite", "postgresql"}
    assert "operations.0001_initial" in manifest["migrations"]

    restored = backup_restore(result.path, empty_target)
    assert restored == manifest
    with temporary_database(empty_target) as alias:
        rows = _rows(alias)
        chain = audit_verify(using=alias)
        entries = AuditEntry.objects.using(alias).filter(object_type="test.row")
        in_backup = sorted(entries.values_list("object_id", flat=True))
    # A consistent copy: each row with its audit entry, a prefix of what the
    # writer wrote, and the chain verifies up to the manifest's head.
    assert chain.ok and chain.checked == manifest["audit"]["entries"]
    assert chain.head_hash == manifest["audit"]["head_hash"]
    assert sorted(r.removeprefix("writer:") for r in rows) == in_backup
    assert len(rows) >= 1 and set(rows) <= set(_rows("default"))
    assert len(_rows("default")) > len(rows) - 1


@pytest.fixture
def backup_file(tmp_path):
    _write_one(1)
    return backup_create(tmp_path / "backup.tar").path


def _rewrite(path: Path, manifest: dict | None = None, flip_byte: bool = False):
    """Rewrite a backup: another manifest, or one byte of the database changed."""
    with tarfile.open(path, "r:*") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
    if manifest is not None:
        members[MANIFEST] = json.dumps(manifest).encode()
    if flip_byte:
        name = next(n for n in members if n != MANIFEST)
        data = bytearray(members[name])
        data[len(data) // 2] ^= 0xFF
        members[name] = bytes(data)
    with tarfile.open(path, "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _manifest(path: Path) -> dict:
    with tarfile.open(path, "r:*") as archive:
        return json.loads(archive.extractfile(MANIFEST).read())


def test_a_corrupted_backup_is_refused(backup_file, empty_target):
    _rewrite(backup_file, flip_byte=True)
    with pytest.raises(BackupRefused, match="checksum does not match"):
        backup_restore(backup_file, empty_target)


def test_an_altered_manifest_is_refused(backup_file, empty_target):
    manifest = _manifest(backup_file)
    _rewrite(backup_file, {**manifest, "audit": {**manifest["audit"], "entries": 0}})
    with pytest.raises(BackupRefused, match="not signed with this audit key"):
        backup_restore(backup_file, empty_target)


def test_a_chain_that_does_not_reach_the_manifests_head_is_refused(
    backup_file, empty_target
):
    """Even re-signed with the key, a manifest must match the restored chain."""
    manifest = _manifest(backup_file)
    manifest["audit"] = {
        **manifest["audit"],
        "entries": manifest["audit"]["entries"] + 1,
    }
    manifest["signature"] = _signature(manifest)
    _rewrite(backup_file, manifest)
    with pytest.raises(BackupRefused, match="head differs"):
        backup_restore(backup_file, empty_target)
    assert database_is_empty(empty_target)


def test_a_restore_does_not_overwrite_a_database_that_holds_tables(
    backup_file, empty_target
):
    backup_restore(backup_file, empty_target)
    with pytest.raises(BackupRefused, match="already holds tables"):
        backup_restore(backup_file, empty_target)
    backup_restore(backup_file, empty_target, replace=True)
