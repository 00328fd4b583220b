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
    cities: Annotated[
        int,
        typer.Option(
            "--cities",
            help="Replicate the city over N synthetic cities (ids stay unique).",
        ),
    ] = 1,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Address of a Dask scheduler (tcp://host:8786): generate there.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Start a local Dask cluster of N worker processes and generate there.",
        ),
    ] = None,
) -> None:
    """Write a synthetic population calibrated to Zhongshan's published figures."""
    from equiserve.synth import synthesize

    try:
        if cluster or workers:
            from equiserve.synth.distributed import synthesize_distributed

            summary = synthesize_distributed(
                scale=scale,
                seed=seed,
                out_dir=out,
                cities=cities,
                cluster=cluster,
                workers=workers,
            )
        else:
            summary = synthesize(
                scale=scale, seed=seed, out_dir=out, progress=progress, cities=cities
            )
    except ValueError as error:
        hint = "--cities" if str(error).startswith("cities") else "--scale"
        raise typer.BadParameter(str(error), param_hint=hint) from error
    typer.echo(
        f"persons: {summary.persons} ({summary.registered} registered, "
        f"{summary.migrants} migrants)\n"
        f"households: {summary.households}\n"
        f"seconds: {summary.seconds:.1f}\n"
        f"written: {summary.persons_path} {summary.households_path}"
    )


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)
