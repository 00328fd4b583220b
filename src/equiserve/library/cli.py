"""`equiserve library import FILE` and `equiserve sip2 serve --port N`."""

from pathlib import Path
from typing import Annotated

import typer

library_app = typer.Typer(
    help="The libraries' union catalogue (3.2.1, 3.2.2).", no_args_is_help=True
)
sip2_app = typer.Typer(
    help="The SIP2 server for self-check kiosks.", no_args_is_help=True
)

EXIT_PROBLEMS = 1


@library_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    format: Annotated[
        str, typer.Option("--format", help="marc21 or cnmarc (ISO 2709 or MARCXML).")
    ] = "marc21",
) -> None:
    """Import a MARC file into the union catalogue: every record, or none."""
    if format not in ("marc21", "cnmarc"):
        typer.echo("--format is marc21 or cnmarc", err=True)
        raise typer.Exit(2)
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.library.catalogue import catalogue_import

    report = catalogue_import(
        data=file.read_bytes(), fmt=format, source=file.name, actor=None
    )
    for line in report.lines():
        typer.echo(line, err=not report.ok)
    if not report.ok:
        raise typer.Exit(EXIT_PROBLEMS)


@sip2_app.command("serve")
def serve_command(
    port: Annotated[int, typer.Option(help="TCP port (0: any free port).")] = 6001,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    idle: Annotated[
        float, typer.Option(help="Close a connection idle this long (s).")
    ] = 300.0,
) -> None:
    """Serve SIP2 2.00 to self-check kiosks until interrupted."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.library.sip2.backend import DatabaseBackend, close_connection
    from equiserve.library.sip2.server import SipServer
    from equiserve.rules.plan_gateway import plan

    # Read the plan (the loan rules) now, not in the first kiosks' checkouts,
    # which would otherwise all wait for it.
    plan()
    server = SipServer(
        (host, port), DatabaseBackend, idle_seconds=idle, on_close=close_connection
    )
    typer.echo(f"SIP2 on {host}:{server.port}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def register(app: typer.Typer) -> None:
    app.add_typer(library_app, name="library")
    app.add_typer(sip2_app, name="sip2")
