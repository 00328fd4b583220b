"""`equiserve housing verify round.json`: recompute a published round (clause 3.8).

`verify` needs nothing but the file, so it stays in this plain package; the
`housing` command group, and its `freeze` and `draw` that need the database,
are the housing app's (`equiserve.housing.cli`).
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

EXIT_DIFFERENT = 1
EXIT_MALFORMED = 2


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
