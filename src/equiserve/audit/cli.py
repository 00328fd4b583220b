"""`equiserve audit verify`: check the audit trail's hash chain."""

import typer

from equiserve.django_setup import setup_django

audit_app = typer.Typer(help="The audit trail of views and changes.")


@audit_app.command("verify")
def verify() -> None:
    """Recompute the hash chain; exit 1 naming the first broken entry."""
    setup_django()
    from equiserve.audit.services import audit_verify

    result = audit_verify()
    if result.ok:
        typer.echo(f"audit trail verified: {result.checked} entries, chain intact")
        return
    typer.echo(
        f"audit trail BROKEN at entry {result.first_broken_seq}: {result.reason} "
        f"({result.checked} entries before it verified)",
        err=True,
    )
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
