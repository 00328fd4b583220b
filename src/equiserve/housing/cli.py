"""`equiserve housing`: freeze and draw the database's rounds, verify any round.

`verify` is the plain allocation package's (it needs nothing but the file);
`freeze` and `draw` need the housing app's database, set up lazily so that
`equiserve --help` stays fast.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from equiserve.allocation.cli import EXIT_DIFFERENT, EXIT_MALFORMED, verify_command

housing_app = typer.Typer(
    help="Public rental housing: waiting-list rounds anyone can recompute.",
    no_args_is_help=True,
)
housing_app.command("verify")(verify_command)

DEFAULT_OUT = Path("round.json")


@housing_app.command("freeze")
def freeze_command(
    round_id: Annotated[str, typer.Option("--round", help="The new round's id.")],
    title: Annotated[str, typer.Option(help="The round's title.")],
    as_of: Annotated[
        str, typer.Option("--as-of", help="Assess eligibility on this date.")
    ],
    migrant_quota: Annotated[
        str,
        typer.Option(
            help="Units for migrant households: a number, 'none', or 'plan' "
            "(what is left of the plan's yearly quota)."
        ),
    ] = "plan",
) -> None:
    """Freeze a round in the database: publish list_sha256 and seed_commitment.

    The same as the housing pages' "Freeze a round", for lists too long for a
    web request (every waiting household is assessed again).
    """
    from datetime import date

    if migrant_quota not in ("plan", "none") and not migrant_quota.isdigit():
        typer.echo("--migrant-quota is a number, 'none' or 'plan'", err=True)
        raise typer.Exit(EXIT_MALFORMED)
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        typer.echo(f"--as-of must be a date YYYY-MM-DD, not {as_of!r}", err=True)
        raise typer.Exit(EXIT_MALFORMED) from None
    from equiserve.django_setup import setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from equiserve.housing.services import HousingError, round_freeze

    quota: int | str | None = {"plan": "plan", "none": None}.get(migrant_quota, 0)
    if migrant_quota.isdigit():
        quota = int(migrant_quota)
    try:
        frozen = round_freeze(
            round_id=round_id, title=title, as_of=day, migrant_quota=quota, actor=None
        )
    except (HousingError, ValidationError) as error:
        typer.echo(f"round {round_id} was not frozen: {error}", err=True)
        raise typer.Exit(EXIT_DIFFERENT) from None
    typer.echo(
        f"round {frozen.id} frozen: {frozen.applicants} applicants, {frozen.units} "
        f"units\nlist_sha256 {frozen.list_sha256}\n"
        f"seed_commitment {frozen.seed_commitment}"
    )


@housing_app.command("draw")
def draw_command(
    round_id: Annotated[str, typer.Option("--round", help="The id of a frozen round.")],
    out: Annotated[
        Path, typer.Option("--out", help="Where to write round.json ('-': stdout).")
    ] = DEFAULT_OUT,
) -> None:
    """Draw a frozen round in the database: reveal the seed, allocate, write round.json.

    Needs the database (the housing app). A round already drawn is not drawn
    again: its published round.json is written instead.
    """
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.housing.models import AllocationRound, RoundStatus
    from equiserve.housing.services import HousingError, round_draw

    found = AllocationRound.objects.filter(pk=round_id).first()
    if found is None:
        typer.echo(f"no round {round_id!r}", err=True)
        raise typer.Exit(EXIT_DIFFERENT)
    if found.status == RoundStatus.DRAWN:
        typer.echo(
            f"round {round_id} was drawn at {found.drawn_at:%Y-%m-%d %H:%M}; "
            "writing its published round.json",
            err=True,
        )
        drawn = found
    else:
        try:
            drawn = round_draw(round_id=round_id, actor=None)
        except HousingError as error:
            typer.echo(f"round {round_id} was not drawn: {error}", err=True)
            raise typer.Exit(EXIT_DIFFERENT) from None
    if str(out) == "-":
        sys.stdout.write(drawn.round_json)
    else:
        out.write_text(drawn.round_json, encoding="utf-8")
        typer.echo(
            f"round {drawn.id}: {drawn.allocated} of {drawn.units} units allocated "
            f"to {drawn.applicants} applicants; seed {drawn.seed}; wrote {out}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(housing_app, name="housing")
