"""`equiserve production`, `equiserve backup`, `equiserve restore` (issue 21)."""

import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from equiserve.django_setup import setup_django


def _collect_static_if_changed() -> None:
    """Collect the static files, unless they are unchanged since the last collect.

    Hashing and compressing (gzip, Brotli) every file takes minutes of CPU, so a
    fingerprint of the sources (names, sizes, times) is kept beside them.
    """
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".equiserve-sources"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    typer.echo("equiserve: collecting the static files (once per change)…", err=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())


def production(
    ctx: typer.Context,
    bind: Annotated[
        str, typer.Option(help="Address(es) to listen on, comma-separated.")
    ] = "127.0.0.1:8000",
    workers: Annotated[
        int, typer.Option(help="Worker processes; default cores + 1.")
    ] = 0,
    task_worker: Annotated[
        bool, typer.Option(help="Start the monitoring task worker alongside.")
    ] = True,
    timeout: Annotated[int, typer.Option(help="Request time-out in seconds.")] = 30,
) -> None:
    """Serve with gunicorn: several worker processes, static files by WhiteNoise.

    Collects the static files (hashed names, gzip) into STATIC_ROOT (default
    var/static), then replaces this process with gunicorn's master, so its pid
    takes HUP (graceful reload) and TERM (graceful stop). Arguments after `--`
    go to gunicorn.
    """
    os.environ["EQUISERVE_PRODUCTION"] = "1"
    os.environ["EQUISERVE_BIND"] = bind
    os.environ["EQUISERVE_TASK_WORKER"] = "1" if task_worker else "0"
    os.environ["EQUISERVE_REQUEST_TIMEOUT"] = str(timeout)
    if workers:
        os.environ["EQUISERVE_WORKERS"] = str(workers)
    setup_django()
    from django.conf import settings

    _collect_static_if_changed()
    metrics_dir = Path(
        os.environ.setdefault(
            "PROMETHEUS_MULTIPROC_DIR", str(settings.VAR_DIR / "prometheus")
        )
    )
    # Counters of a previous run would be added to this one's.
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    typer.echo(f"equiserve: http://{bind.split(',')[0]}/ (gunicorn)", err=True)
    os.execv(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:equiserve.operations.gunicorn_conf",
            *ctx.args,
            "equiserve.wsgi:application",
        ],
    )


def backup(
    out: Annotated[Path, typer.Option(help="The backup file to write.")],
) -> None:
    """Back up the database into one file with a signed manifest; safe while serving.

    SQLite: the online backup API; PostgreSQL: pg_dump (custom format) in one
    snapshot. Refuses when the audit chain does not verify.
    """
    setup_django()
    from equiserve.operations.backup import BackupRefused, backup_create

    try:
        result = backup_create(out)
    except BackupRefused as error:
        typer.echo(f"equiserve backup: refused: {error}", err=True)
        raise typer.Exit(1) from None
    audit = result.manifest["audit"]
    typer.echo(
        f"backup written: {result.path} ({result.manifest['size']:,} bytes, "
        f"sha256 {result.manifest['sha256'][:16]}…, audit chain "
        f"{audit['entries']} entries verified)"
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `equiserve backup`.")],
    into: Annotated[
        str,
        typer.Option(
            help="A DATABASE_URL to restore into; default: the configured one."
        ),
    ] = "",
    replace: Annotated[
        bool,
        typer.Option(
            help="Replace a database that holds tables (stop services first)."
        ),
    ] = False,
) -> None:
    """Restore a backup after checking its signature, checksum and audit chain."""
    setup_django()
    import dj_database_url

    from equiserve.operations.backup import BackupRefused, backup_restore

    target = dj_database_url.parse(into) if into else None
    try:
        manifest = backup_restore(file, target, replace=replace)
    except BackupRefused as error:
        typer.echo(f"equiserve restore: refused: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"restored {file} of {manifest['created_at']}: audit chain "
        f"{manifest['audit']['entries']} entries verified. "
        "Run `equiserve migrate` if this version has newer migrations."
    )


def register(app: typer.Typer) -> None:
    app.command(
        "production",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(production)
    app.command("backup")(backup)
    app.command("restore")(restore)
