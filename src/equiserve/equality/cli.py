"""`equiserve equality`: the equality measures of one CSV column, by group."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    typer.echo(f"equiserve equality: error: {message}", err=True)
    raise typer.Exit(code=EXIT_BAD_INPUT)


def _read(path: Path, value: str, group: str, weight: str | None) -> Any:
    """Read the named columns of the CSV as numbers and labels, or fail clearly."""
    import polars as pl

    if not path.is_file():
        _fail(f"file not found: {path}")
    wanted = [value, group] + ([weight] if weight else [])
    try:
        # Read every column as text: group labels keep leading zeros, and a
        # cell that is not a number can be reported by its line.
        frame = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.ComputeError as error:
        if "utf-8" in str(error).lower():
            _fail(f"{path} is not UTF-8 text; save it as CSV UTF-8 and retry")
        _fail(f"could not read {path} as CSV: {error}")
    except pl.exceptions.NoDataError:
        _fail(f"{path} is empty")
    missing = [name for name in wanted if name not in frame.columns]
    if missing:
        _fail(
            f"column(s) {', '.join(map(repr, missing))} not in {path}; "
            f"its columns are: {', '.join(frame.columns)}"
        )
    columns = {"group": frame[group]}
    for role, name in (("value", value), ("weight", weight)):
        if name:
            columns[role] = _numbers(frame[name], name, path)
    return columns


def _numbers(text: Any, name: str, path: Path) -> Any:
    """Parse a text column as numbers; fail naming the first bad cell's line."""
    import polars as pl

    numbers = text.str.strip_chars().cast(pl.Float64, strict=False)
    # Line 1 is the header, so row i (0-based) is on line i + 2.
    empty = text.is_null() | (text.str.strip_chars() == "")
    if empty.any():
        line = int(empty.arg_true()[0]) + 2
        _fail(
            f"column {name!r} has {int(empty.sum())} empty cell(s), first on line {line}"
        )
    bad = numbers.is_null()
    if bad.any():
        row = int(bad.arg_true()[0])
        _fail(f"column {name!r} is not numeric: line {row + 2} holds {text[row]!r}")
    return numbers


def _table(result: dict[str, Any], value: str, group: str) -> None:
    from rich.console import Console
    from rich.table import Table

    def fmt(x: Any) -> str:
        return "—" if x is None else f"{x:.4f}"

    # Piped output defaults to 80 columns, too narrow for the group table.
    console = Console(width=max(Console().width, 120))
    weighting = "population-weighted" if result["weighted"] else "unweighted"
    console.print(
        f"{value} by {group}: {result['n']} rows, {weighting}, mean {result['mean']:.4g}"
    )
    headline = Table(show_header=True, header_style="bold")
    for heading in ("measure", "total", "between", "within", "between share"):
        headline.add_column(
            heading, justify="left" if heading == "measure" else "right"
        )
    for key, label in (("theil_t", "Theil T"), ("theil_l", "Theil L")):
        headline.add_row(
            label,
            fmt(result[key]),
            fmt(result[f"{key}_between"]),
            fmt(result[f"{key}_within"]),
            fmt(result[f"{key}_between_share"]),
        )
    headline.add_row("Gini", fmt(result["gini"]), "", "", "")
    headline.add_row("CV", fmt(result["cv"]), "", "", "")
    console.print(headline)
    groups = Table(show_header=True, header_style="bold")
    columns = ("group", "n", "weight", "mean", "value share", "Theil T", "share of T")
    for heading in columns + ("Theil L", "Gini", "CV"):
        groups.add_column(heading, justify="left" if heading == "group" else "right")
    for label, g in result["groups"].items():
        groups.add_row(
            label,
            str(g["n"]),
            f"{g['weight']:g}",
            f"{g['mean']:.4g}",
            fmt(g["value_share"]),
            fmt(g["theil_t"]),
            fmt(g["share"]),
            fmt(g["theil_l"]),
            fmt(g["gini"]),
            fmt(g["cv"]),
        )
    console.print(groups)
    spread = result["range"]
    console.print(
        f"highest mean {spread['highest']}, lowest {spread['lowest']}: "
        f"gap {spread['gap']:.4g}, ratio {fmt(spread['ratio'])}"
    )
    if result["compare"]:
        c = result["compare"]
        console.print(
            f"{c['first']} vs {c['second']}: means {c['mean_first']:.4g} and "
            f"{c['mean_second']:.4g}, gap {c['gap']:.4g}, ratio {fmt(c['ratio'])}"
        )
    for note in result["notes"]:
        console.print(f"note: {note}")


def equality(
    input_path: Annotated[
        Path,
        typer.Option(
            "--input",
            help="CSV file (UTF-8) with a header row, one row per value; or a "
            "Parquet file, or a directory of Parquet parts (a partitioned table).",
        ),
    ],
    value: Annotated[
        str, typer.Option("--value", help="Column of the indicator values.")
    ],
    group: Annotated[
        str, typer.Option("--group", help="Column of the group (e.g. town).")
    ],
    weight: Annotated[
        str | None,
        typer.Option("--weight", help="Column of the people each value stands for."),
    ] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--compare",
            help="Two group labels A B: add the gap (A − B) and ratio (A / B) of means.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of tables.")
    ] = False,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Address of a Dask scheduler (tcp://host:8786): measure the "
            "Parquet partitions there.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Start a local Dask cluster of N worker processes and measure there.",
        ),
    ] = None,
) -> None:
    """Measure inequality of a CSV column across groups: Theil T/L, Gini, CV."""
    if input_path.is_dir() or input_path.suffix == ".parquet":
        result = _partitioned(
            input_path, value, group, weight, compare, cluster, workers
        )
    elif cluster or workers:
        _fail("--cluster and --workers need a Parquet file or a directory of parts")
    else:
        result = _csv(input_path, value, group, weight, compare)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _table(result, value, group)


def _partitioned(path, value, group, weight, compare, cluster, workers) -> Any:
    from equiserve.equality import InputError
    from equiserve.equality.distributed import summary_partitioned

    try:
        return summary_partitioned(
            path,
            value,
            group,
            weight,
            compare=compare,
            cluster=cluster,
            workers=workers,
        )
    except InputError as error:
        _fail(str(error))


def _csv(input_path, value, group, weight, compare) -> Any:
    from equiserve.equality import InputError, summary

    columns = _read(input_path, value, group, weight)
    try:
        result = summary(
            columns["value"], columns["group"], columns.get("weight"), compare=compare
        )
    except InputError as error:
        where = ""
        if error.index is not None:
            where = f" (row {error.index} is line {error.index + 2} of {input_path})"
        _fail(f"{error}{where}")
    return result


def register(app: typer.Typer) -> None:
    app.command("equality")(equality)
