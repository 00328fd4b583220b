"""`equiserve housing verify round.json`: recompute a published round (clause 3.8).

`housing_app` is the `housing` command group. `verify` needs nothing but the
file; `draw` draws a frozen round of the housing app's database.
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

housing_app = typer.Typer(
    help="Public rental housing: waiting-list rounds anyone can recompute.",
    no_args_is_help=True,
)

EXIT_DIFFERENT = 1
EXIT_MALFORMED = 2
DEFAULT_OUT = Path("round.json")


@housing_app.command("verify")
def verify_command(
    round_file: Annotated[
        Path,
        typer.Argument(
            help="The round.json export of a round ('-' for standard input)."
        ),
    ],
    list_sha256: str | None = typer.Option(
        None, "--list-sha256", help="The list_sha256 published before the draw."
    ),
    seed_commitment: str | None = typer.Option(
        None, "--seed-commitment", help="The seed_commitment published before the draw."
    ),
    lang: str = typer.Option("en", help="Language of the answer: en or zh."),
) -> None:
    """Recompute a round from its file alone; exit 1 naming the first difference."""
    from equiserve.allocation.model import RoundFormatError
    from equiserve.allocation.verify import read_round, verify

    if lang not in ("en", "zh"):
        typer.echo(f"--lang must be en or zh, not {lang!r}", err=True)
        raise typer.Exit(EXIT_MALFORMED)
    try:
        if str(round_file) == "-":
            text = sys.stdin.read()
        else:
            text = round_file.read_text(encoding="utf-8")
        result = verify(
            read_round(text),
            expected_list_sha256=list_sha256,
            expected_seed_commitment=seed_commitment,
        )
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        typer.echo(f"cannot read {round_file}: {error}", err=True)
        raise typer.Exit(EXIT_MALFORMED) from None
    except RoundFormatError as error:
        typer.echo(f"{round_file} is not a well-formed round file: {error}", err=True)
        raise typer.Exit(EXIT_MALFORMED) from None
    if result.ok:
        typer.echo(result.message(lang))
        return
    prefix = {"en": "verification failed: ", "zh": "验证未通过："}[lang]
    typer.echo(prefix + result.message(lang))
    raise typer.Exit(EXIT_DIFFERENT)


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
