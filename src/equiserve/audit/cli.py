"""`equiserve audit verify|checkpoint`: check the audit trail, pin its head outside it."""

from pathlib import Path
from typing import Annotated

import typer

from equiserve.django_setup import setup_django

audit_app = typer.Typer(help="The audit trail of views and changes.")


def _verify_then_checkpoint(checkpoint: Path | None, out: Path | None) -> Path:
    """Verify the chain against a checkpoint (default: the latest kept), pin its head.

    Exit 1 naming the first broken entry; a broken chain is never pinned.
    """
    setup_django()
    from django.conf import settings

    from equiserve.audit.checkpoints import (
        CheckpointInvalid,
        checkpoint_latest,
        checkpoint_read,
        checkpoint_write,
    )
    from equiserve.audit.services import audit_verify

    kept = settings.AUDIT_CHECKPOINT_DIR
    path = checkpoint or checkpoint_latest(kept)
    try:
        pinned = checkpoint_read(path) if path else None
    except CheckpointInvalid as error:
        typer.echo(f"audit trail NOT verified: {error}", err=True)
        raise typer.Exit(1) from error
    result = audit_verify(checkpoint=pinned)
    if not result.ok:
        typer.echo(
            f"audit trail BROKEN at entry {result.first_broken_seq}: {result.reason} "
            f"({result.checked} entries before it verified)",
            err=True,
        )
        raise typer.Exit(1)
    against = f"; checkpoint {path} (entry {pinned.seq}) holds" if pinned else ""
    typer.echo(f"audit trail verified: {result.checked} entries, chain intact{against}")
    for directory in dict.fromkeys([kept, out or kept]):
        written = checkpoint_write(
            directory, seq=result.checked, head_hash=result.head_hash
        )
    return written


@audit_app.command("verify")
def verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="A checkpoint file; default: the latest kept in var/."),
    ] = None,
) -> None:
    """Recompute the hash chain; exit 1 naming the first broken entry.

    Fails too when the chain is shorter than, or differs from, the checkpoint. A
    chain that verifies leaves a new checkpoint in var/audit-checkpoints/.
    """
    written = _verify_then_checkpoint(checkpoint, None)
    typer.echo(f"new checkpoint: {written}")


@audit_app.command("checkpoint")
def checkpoint(
    out: Annotated[Path, typer.Option(help="A directory outside the database.")],
) -> None:
    """Verify the chain, then write a signed checkpoint of its head into OUT."""
    written = _verify_then_checkpoint(None, out)
    typer.echo(f"checkpoint written: {written}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
