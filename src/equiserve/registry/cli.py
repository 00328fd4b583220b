"""`equiserve registry import FILE`: persons and households from CSV or XLSX."""

from pathlib import Path
from typing import Annotated

import typer

registry_app = typer.Typer(help="The registry of persons and households.")


@registry_app.command("import")
def registry_import(
    path: Annotated[
        Path,
        typer.Argument(help="CSV or XLSX file of persons, households, or both."),
    ],
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the report: zh-hans (default) or en."),
    ] = None,
) -> None:
    """Check every row, then import all of it in one transaction, or nothing."""
    from equiserve.django_setup import setup_django

    setup_django()
    from django.conf import settings
    from django.utils import translation

    from equiserve.registry.services import registry_import as import_file

    if not path.is_file():
        typer.echo(f"{path}: no such file", err=True)
        raise typer.Exit(2)
    with translation.override(lang or settings.LANGUAGE_CODE):
        report = import_file(content=path.read_bytes(), filename=path.name, actor=None)
        for line in report.lines():
            typer.echo(line, err=not report.ok)
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(registry_app, name="registry")
