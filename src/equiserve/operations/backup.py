"""Backups that restore (issue 21, deliverable 2).

A backup is one tar file: `manifest.json` and the database, either an SQLite copy
taken with SQLite's online backup API or a `pg_dump` custom-format dump taken in
one exported snapshot, both consistent while the server writes. The manifest
names the version, the migrations applied, the audit chain's head (entries and
hash, verified on the copy itself), the database file's SHA-256, and is signed
with the audit key (HMAC), like the audit checkpoints.

A restore checks the signature and the checksum, restores into a staging
database beside the target, verifies the audit chain there against the
manifest's head, and only then puts the staging database in the target's place.
"""

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.utils import timezone

from equiserve.audit.chain import sign
from equiserve.audit.services import audit_verify

FORMAT = "equiserve-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupRefused(Exception):
    """A backup that cannot be taken, or a file that must not be restored."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict


def engine_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupRefused(f"backups cover SQLite and PostgreSQL, not {engine}")


def _canonical(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _signature(manifest: dict) -> str:
    unsigned = {k: v for k, v in manifest.items() if k != "signature"}
    return sign(settings.AUDIT_KEY, _canonical(unsigned).decode())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def _equiserve_version() -> str:
    try:
        return version("equiserve")
    except PackageNotFoundError:
        return "unknown"


def _applied_migrations(using: str) -> list[str]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def _audit_head(using: str) -> dict:
    result = audit_verify(using=using)
    if not result.ok:
        raise BackupRefused(
            f"the audit chain does not verify at entry {result.first_broken_seq}: "
            f"{result.reason}"
        )
    return {"entries": result.checked, "head_hash": result.head_hash}


@contextmanager
def temporary_database(settings_dict: dict) -> Iterator[str]:
    """Open another database under a fresh connection alias; yield the alias.

    The connection is this thread's alone and is not added to the configured
    databases, so nothing else (migrate, the test runner) ever sees it.
    """
    alias = f"backup_{uuid.uuid4().hex[:12]}"
    configured = connections.configure_settings(
        {"default": {**settings_dict, "TEST": {}}}
    )["default"]
    wrapper = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)
    setattr(connections._connections, alias, wrapper)
    try:
        yield alias
    finally:
        wrapper.close()
        delattr(connections._connections, alias)


# SQLite ------------------------------------------------------------------------


def _sqlite_copy(using: str, target: Path) -> None:
    """Copy the live database with SQLite's online backup API, in one step."""
    connection = connections[using]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # pages=-1: one step under one read transaction, a consistent copy even
        # while other connections write.
        connection.connection.backup(destination, pages=-1)
    finally:
        destination.close()


def _sqlite_settings(path: Path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists():
        return True
    with sqlite3.connect(path) as database:
        tables = database.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
    return tables == 0


# PostgreSQL --------------------------------------------------------------------


def _pg_env(settings_dict: dict) -> dict:
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupRefused(f"{name} is not installed (PostgreSQL client tools)")
    return found


def _run(command: list[str], settings_dict: dict) -> None:
    done = subprocess.run(
        command, env=_pg_env(settings_dict), capture_output=True, text=True
    )
    if done.returncode:
        raise BackupRefused(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _pg_dump(using: str, target: Path) -> tuple[list[str], dict]:
    """Dump in one exported snapshot, and read the manifest's facts in it too."""
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-owner",
                f"--file={target}",
                connection.settings_dict["NAME"],
            ],
            connection.settings_dict,
        )
        return _applied_migrations(using), _audit_head(using)


@contextmanager
def _pg_maintenance(settings_dict: dict):
    """A connection to the server's `postgres` database, for CREATE/DROP DATABASE."""
    import psycopg

    env = _pg_env(settings_dict)
    connection = psycopg.connect(
        dbname="postgres",
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        autocommit=True,
    )
    try:
        yield connection
    finally:
        connection.close()


def _pg_exists(maintenance, name: str) -> bool:
    found = maintenance.execute(
        "SELECT 1 FROM pg_database WHERE datname = %s", [name]
    ).fetchone()
    return found is not None


def _pg_is_empty(settings_dict: dict) -> bool:
    import psycopg

    with _pg_maintenance(settings_dict) as maintenance:
        if not _pg_exists(maintenance, settings_dict["NAME"]):
            return True
    env = _pg_env(settings_dict)
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
    ) as database:
        tables = database.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    return tables == 0


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Backup ------------------------------------------------------------------------


def backup_create(out: Path, using: str = "default") -> BackupResult:
    """Write a backup of the database `using` into the file `out`."""
    settings_dict = connections[using].settings_dict
    engine = engine_of(settings_dict)
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="equiserve-backup-") as work:
        database = Path(work) / MEMBERS[engine]
        if engine == "sqlite":
            _sqlite_copy(using, database)
            # The facts are read from the copy, so they are the copy's own.
            with temporary_database(_sqlite_settings(database)) as alias:
                migrations, audit = _applied_migrations(alias), _audit_head(alias)
        else:
            migrations, audit = _pg_dump(using, database)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "equiserve_version": _equiserve_version(),
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database_file": database.name,
            "size": database.stat().st_size,
            "sha256": _sha256(database),
            "migrations": migrations,
            "audit": audit,
        }
        manifest["signature"] = _signature(manifest)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        # The SQLite copy compresses well; a custom-format dump is compressed.
        with tarfile.open(partial, "w:gz" if engine == "sqlite" else "w") as archive:
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
            archive.add(database, arcname=database.name)
        os.replace(partial, out)
    return BackupResult(out, manifest)


# Restore -----------------------------------------------------------------------


def backup_read(path: Path, into: Path) -> tuple[dict, Path]:
    """Unpack a backup into the directory `into`; refuse unless it verifies.

    Returns the manifest and the database file's path.
    """
    try:
        with tarfile.open(path, "r:*") as archive:
            manifest = json.loads(archive.extractfile(MANIFEST).read())
            member = manifest["database_file"]
            if member not in MEMBERS.values():
                raise BackupRefused(f"{path}: unexpected database file {member!r}")
            archive.extract(member, into, filter="data")
    except (OSError, tarfile.TarError, KeyError, ValueError, AttributeError) as error:
        raise BackupRefused(f"{path} is not a readable equiserve backup") from error
    if manifest.get("format") != FORMAT or not hmac.compare_digest(
        str(manifest.get("signature", "")), _signature(manifest)
    ):
        raise BackupRefused(
            f"{path}: the manifest is not signed with this audit key "
            "(altered, or another installation's backup)"
        )
    database = Path(into) / member
    if _sha256(database) != manifest["sha256"]:
        raise BackupRefused(f"{path}: the database's checksum does not match")
    return manifest, database


def _check_migrations(manifest: dict) -> None:
    known = {
        f"{app}.{name}"
        for app, name in MigrationLoader(
            None, ignore_no_migrations=True
        ).disk_migrations
    }
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupRefused(
            "the backup was made by a newer version; migrations unknown here: "
            + ", ".join(unknown[:5])
        )


def _check_chain(alias: str, manifest: dict) -> None:
    result = audit_verify(using=alias)
    if not result.ok:
        raise BackupRefused(
            f"the audit chain does not verify at entry {result.first_broken_seq}: "
            f"{result.reason}"
        )
    head = {"entries": result.checked, "head_hash": result.head_hash}
    if head != manifest["audit"]:
        raise BackupRefused("the audit chain's head differs from the manifest's")


def backup_restore(
    path: Path, target: dict | None = None, *, replace: bool = False
) -> dict:
    """Restore a backup into the database `target` (default: the configured one).

    Refuses a file whose signature, checksum, migrations or audit chain do not
    verify, and a target that holds tables unless `replace`. Returns the manifest.
    """
    target = dict(target or connections["default"].settings_dict)
    engine = engine_of(target)
    with tempfile.TemporaryDirectory(prefix="equiserve-restore-") as work:
        manifest, database = backup_read(Path(path), Path(work))
        if manifest["engine"] != engine:
            raise BackupRefused(
                f"a {manifest['engine']} backup cannot be restored into {engine}"
            )
        _check_migrations(manifest)
        if engine == "sqlite":
            _sqlite_restore(database, target, manifest, replace)
        else:
            _pg_restore(database, target, manifest, replace)
    return manifest


def database_is_empty(settings_dict: dict) -> bool:
    """Return whether a database is missing or holds no tables."""
    if engine_of(settings_dict) == "sqlite":
        return _sqlite_is_empty(Path(settings_dict["NAME"]))
    return _pg_is_empty(settings_dict)


def _refuse_occupied(target: dict, replace: bool) -> None:
    name = target["NAME"]
    if str(name).startswith("file:") or name == ":memory:":
        raise BackupRefused("restore into a database file, not into memory")
    if not replace and not database_is_empty(target):
        raise BackupRefused(
            f"{name} already holds tables; restore into an empty database, "
            "or pass --replace after stopping the services"
        )


def _sqlite_restore(database: Path, target: dict, manifest: dict, replace) -> None:
    final = Path(target["NAME"])
    _refuse_occupied(target, replace)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.with_name(final.name + ".restoring")
    shutil.copyfile(database, staging)
    try:
        with temporary_database(_sqlite_settings(staging)) as alias:
            _check_chain(alias, manifest)
        for stale in (Path(f"{final}-wal"), Path(f"{final}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(staging, final)
    finally:
        staging.unlink(missing_ok=True)


def _pg_restore(database: Path, target: dict, manifest: dict, replace) -> None:
    final = target["NAME"]
    _refuse_occupied(target, replace)
    staging = f"{final}_restoring"[:63]
    with _pg_maintenance(target) as maintenance:
        maintenance.execute(f"DROP DATABASE IF EXISTS {_quoted(staging)}")
        maintenance.execute(f"CREATE DATABASE {_quoted(staging)}")
    try:
        _run(
            [
                _pg_tool("pg_restore"),
                "--exit-on-error",
                "--no-owner",
                "--single-transaction",
                f"--dbname={staging}",
                str(database),
            ],
            target,
        )
        with temporary_database({**target, "NAME": staging}) as alias:
            _check_chain(alias, manifest)
        with _pg_maintenance(target) as maintenance:
            maintenance.execute(f"DROP DATABASE IF EXISTS {_quoted(final)}")
            maintenance.execute(
                f"ALTER DATABASE {_quoted(staging)} RENAME TO {_quoted(final)}"
            )
    finally:
        with _pg_maintenance(target) as maintenance:
            maintenance.execute(f"DROP DATABASE IF EXISTS {_quoted(staging)}")
