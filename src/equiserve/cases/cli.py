"""`equiserve cases import` and `equiserve cases demo`."""

from pathlib import Path
from typing import Annotated

import typer

from equiserve.django_setup import setup_django

cases_app = typer.Typer(help="Applications under the plan's programmes (issue 4).")


@cases_app.command("import")
def import_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX")
    ],
    user: Annotated[
        str, typer.Option("--user", help="The officer the import is made as.")
    ],
    lang: Annotated[
        str, typer.Option(help="Language of the report: zh-hans or en.")
    ] = "zh-hans",
    progress: Annotated[
        bool,
        typer.Option("--progress", help="Print a line per application registered."),
    ] = False,
) -> None:
    """Register every application in FILE, or none; print the row-by-row report."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from equiserve.cases.importing import cases_import

    actor = get_user_model().objects.filter(username=user, is_active=True).first()
    if actor is None:
        typer.echo(f"no active user {user!r}", err=True)
        raise typer.Exit(2)

    def on_row(number: int, case) -> None:
        # Inside the import's transaction: nothing is committed until the end.
        typer.echo(f"row {number}: {case.reference} (not yet committed)")

    with translation.override(lang):
        report = cases_import(
            content=file.read_bytes(),
            filename=file.name,
            actor=actor,
            on_row=on_row if progress else None,
        )
        for line in report.lines():
            typer.echo(line)
    raise typer.Exit(0 if report.ok else 1)


@cases_app.command("demo")
def demo_command(
    seed: int = typer.Option(1, help="Seed of the choice of cases."),
) -> None:
    """Create demo cases in several states from the loaded demo population."""
    setup_django()
    from equiserve.cases.demo import cases_demo_load

    counts = cases_demo_load(seed=seed)
    for status, count in counts.items():
        typer.echo(f"{status}: {count}")


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
