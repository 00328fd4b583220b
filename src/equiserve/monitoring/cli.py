"""`equiserve monitoring …`: indicators, live values, equality, the city report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from equiserve.django_setup import setup_django

POLL_SECONDS = 0.2

monitoring_app = typer.Typer(
    help="Indicators, targets, equality measures and the half-yearly report (4.2).",
    no_args_is_help=True,
)


def _period(text: str):
    from equiserve.monitoring.periods import UnknownPeriod, current_period, period_get

    try:
        return period_get(text) if text else current_period()
    except UnknownPeriod as error:
        typer.echo(f"equiserve monitoring: error: {error}", err=True)
        raise typer.Exit(code=2) from None


@monitoring_app.command("check")
def check() -> None:
    """Check the plan's indicator files; exit 1 on a defect."""
    setup_django()
    from equiserve.monitoring.definitions import DefinitionError, load_definitions

    try:
        definitions = load_definitions()
    except DefinitionError as error:
        typer.echo(f"equiserve monitoring: error: {error}", err=True)
        raise typer.Exit(code=1) from None
    problems = []
    for indicator in definitions.indicators:
        for target in indicator.targets:
            day = target.by or target.start
            try:
                if target.value_on(day) is None:
                    problems.append(f"{indicator.code}: no target value on {day}")
            except KeyError as error:
                problems.append(f"{indicator.code}: no parameter {error}")
    for problem in problems:
        typer.echo(f"equiserve monitoring: error: {problem}", err=True)
    if problems:
        raise typer.Exit(code=1)
    typer.echo(f"{len(definitions.indicators)} indicators, all well-formed.")


@monitoring_app.command("indicators")
def indicators(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the plan's indicators with their clause and targets."""
    setup_django()
    from equiserve.monitoring.definitions import load_definitions

    rows = []
    for indicator in load_definitions().indicators:
        targets = [
            f"{t.symbol} {t.value if t.value is not None else t.parameter} "
            + (f"by {t.by}" if t.by else f"from {t.start}")
            for t in indicator.targets
        ]
        rows.append(
            {
                "code": indicator.code,
                "clause": indicator.clause,
                "label": indicator.label,
                "unit": indicator.unit,
                "levels": list(indicator.levels),
                "targets": targets,
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        typer.echo(
            f"{row['clause']:6} {row['code']:45} {row['label']['en']}"
            + (f"  [{'; '.join(row['targets'])}]" if row["targets"] else "")
        )


@monitoring_app.command("values")
def values(
    indicator: Annotated[
        str, typer.Option(help="Indicator code (all when empty).")
    ] = "",
    period: Annotated[
        str, typer.Option(help="Half-year, e.g. 2016H2 (default: latest).")
    ] = "",
    level: Annotated[str, typer.Option(help="city, town or village.")] = "city",
    by: Annotated[
        str, typer.Option(help="Split: hukou, urban_rural, sex or age_band.")
    ] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Compute indicator values live and judge them against their targets."""
    setup_django()
    from equiserve.monitoring.definitions import LEVELS, load_definitions
    from equiserve.monitoring.selectors import judged
    from equiserve.monitoring.values import compute

    if level not in LEVELS:
        typer.echo(
            f"equiserve monitoring: error: level must be one of {LEVELS}", err=True
        )
        raise typer.Exit(code=2)
    the_period = _period(period)
    definitions = load_definitions()
    chosen = None
    if indicator:
        try:
            chosen = [definitions.get(indicator)]
        except KeyError:
            typer.echo(
                f"equiserve monitoring: error: no indicator {indicator!r}", err=True
            )
            raise typer.Exit(code=2) from None
    for figure in judged(chosen, the_period, levels=[level], by=by, read=compute):
        row = {
            "indicator": figure.indicator.code,
            "period": the_period.id,
            "place": figure.place,
            "group": figure.group,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "value": figure.value,
            "target": figure.judgement.target,
            "status": figure.status,
        }
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False))
        else:
            typer.echo(
                f"{row['indicator']:45} {row['place']:12} {row['group']:10} "
                f"{row['value'] if row['value'] is not None else '—':>10} {row['status']}"
            )


@monitoring_app.command("equality")
def equality(
    indicator: Annotated[str, typer.Argument(help="Indicator code.")],
    period: Annotated[str, typer.Option(help="Half-year (default: latest).")] = "",
) -> None:
    """Print the equality measures of one indicator across towns and groups (JSON)."""
    setup_django()
    from equiserve.monitoring.definitions import load_definitions
    from equiserve.monitoring.measures import equality_report

    try:
        chosen = load_definitions().get(indicator)
    except KeyError:
        typer.echo(f"equiserve monitoring: error: no indicator {indicator!r}", err=True)
        raise typer.Exit(code=2) from None
    report = equality_report(chosen, _period(period))
    typer.echo(json.dumps(report, ensure_ascii=False, indent=1))


@monitoring_app.command("city-report")
def city_report(
    out: Annotated[Path, typer.Option("--out", help="XLSX file to write.")],
    period: Annotated[str, typer.Option(help="Half-year (default: latest).")] = "",
    lang: Annotated[str, typer.Option(help="zh-hans or en.")] = "zh-hans",
) -> None:
    """Write the consolidated city report of a half-year to XLSX."""
    setup_django()
    from django.utils import translation

    from equiserve.monitoring.exports import city_workbook
    from equiserve.monitoring.selectors import city_report as build
    from equiserve.monitoring.selectors import place_names

    the_period = _period(period)
    with translation.override(lang):
        content = city_workbook(
            build(the_period, lang), names=place_names(lang), lang=lang
        )
    out.write_bytes(content)
    typer.echo(f"wrote {out} ({len(content):,} bytes)")


@monitoring_app.command("worker")
def worker(
    batch: Annotated[
        bool, typer.Option("--batch", help="Drain the queue, then exit.")
    ] = False,
) -> None:
    """Keep the stored indicator values fresh: run the task worker (db_worker).

    It first enqueues every value never computed, so a new database (a demo
    load) fills itself with no manual step.
    """
    setup_django()
    from django.core.management import call_command

    from equiserve.monitoring.stored import values_enqueue_all, worker_prepare
    from equiserve.operations.heartbeat import heartbeat_start

    values_enqueue_all()
    worker_prepare()
    if not batch:
        # A sign of life for /readyz, also while the queue is empty (issue 21).
        heartbeat_start()
    # An idle worker looks for a task every POLL_SECONDS (db_worker's default
    # is 1 s): a registry change waits at most that long to start being
    # recomputed (issue 13, deliverable 3); the look is one indexed query.
    call_command(
        "db_worker",
        batch=batch,
        reload=False,
        startup_delay=False,
        interval=POLL_SECONDS,
    )


@monitoring_app.command("recompute")
def recompute() -> None:
    """Recompute every stored indicator value now, in this process; print the time."""
    setup_django()
    import time

    from equiserve.monitoring.stored import values_recompute_all, values_refresh

    started = time.perf_counter()
    values_recompute_all()
    stored = values_refresh()
    typer.echo(f"{stored:,} values in {time.perf_counter() - started:.1f} s")


def register(app: typer.Typer) -> None:
    app.add_typer(monitoring_app, name="monitoring")
