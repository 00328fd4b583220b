"""Commands: `equiserve evaluate` (the evaluate contract) and `equiserve test-rules`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

LANGS = ("zh", "en")


def evaluate(
    file: str = typer.Argument(..., help="Request JSON file; - reads standard input."),
    explain: bool = typer.Option(
        False, "--explain", help="Add the explanation of every output."
    ),
    lang: str = typer.Option(
        "zh", "--lang", help="Language of messages and explanations: zh or en."
    ),
) -> None:
    """Evaluate the plan's rules for the persons in a request; print the answer as JSON.

    Exits 0 with the answer, or 2 with {"errors": [...]} when the request is invalid.
    """
    from equiserve.policy.contract import ContractError, dumps, evaluate_request

    if lang not in LANGS:
        typer.echo(
            dumps(
                {
                    "errors": [
                        {
                            "path": "--lang",
                            "code": "bad_option",
                            "message": f"--lang must be zh or en, not {lang!r}",
                        }
                    ]
                }
            )
        )
        raise typer.Exit(2)
    if file == "-":
        body = sys.stdin.buffer.read()
    else:
        try:
            body = Path(file).read_bytes()
        except OSError as error:
            typer.echo(
                dumps(
                    {
                        "errors": [
                            {"path": "", "code": "unreadable", "message": str(error)}
                        ]
                    }
                )
            )
            raise typer.Exit(2) from error
    try:
        answer = evaluate_request(body, explain=explain, lang=lang)
    except ContractError as error:
        typer.echo(dumps(error.body()))
        raise typer.Exit(2) from error
    typer.echo(dumps(answer))


def test_rules(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A YAML test file or a directory of them (default: the plan's tests)."
        ),
    ] = None,
) -> None:
    """Run the plan's YAML rule tests; print failures and exit 1 if any case fails."""
    from equiserve.policy.compiler import PlanLoadError
    from equiserve.policy.plan import load_plan
    from equiserve.policy.testing import run_cases

    try:
        plan = load_plan()
        results = run_cases(path, plan)
    except PlanLoadError as error:
        typer.echo(f"plan does not load: {error}", err=True)
        raise typer.Exit(1) from error
    failed = [r for r in results if not r.ok]
    for result in failed:
        typer.echo(f"FAIL {result.case.file}:{result.case.line}: {result.case.name}")
        for failure in result.failures:
            typer.echo(f"     {failure}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed or not results:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)
    app.command("test-rules")(test_rules)
