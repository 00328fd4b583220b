"""`equiserve synth`: write a synthetic population of Zhongshan as Parquet."""

from pathlib import Path
from typing import Annotated

import typer


def synth(
    scale: Annotated[
        float,
        typer.Option(
            help="Share of the 2015 resident population (1 = about 4 million)."
        ),
    ] = 0.01,
    seed: Annotated[
        int, typer.Option(help="Seed: the same seed and scale give the same files.")
    ] = 1,
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Directory for persons.parquet and households.parquet."
        ),
    ] = Path("var/synth"),
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Write a synthetic population calibrated to Zhongshan's published figures."""
    from equiserve.synth import synthesize

    try:
        summary = synthesize(scale=scale, seed=seed, out_dir=out, progress=progress)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--scale") from error
    typer.echo(
        f"persons: {summary.persons} ({summary.registered} registered, "
        f"{summary.migrants} migrants)\n"
        f"households: {summary.households}\n"
        f"seconds: {summary.seconds:.1f}\n"
        f"written: {summary.persons_path} {summary.households_path}"
    )


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)
