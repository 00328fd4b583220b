"""The equality measures of a partitioned indicator table, on a Dask cluster (issue 20).

Every measure of `summary` is a function of each group's weighted distribution of
values, so a partition is reduced to its histogram: per group and distinct value,
the people (Σ w) and rows it stands for. Histograms are added exactly (weights
that are whole numbers below 2**53 add without rounding; the values are not
touched), and `summary` of the merged histogram, each distinct value weighted by
its people, is the summary of the whole table: "a value of weight 3 gives exactly
the figure of the same value written out three times" (`measures`). The Gini's
global sort is the sort of the distinct values.

The figures equal the single-process ones to within 1e-12 relative, not to the
last bit: the same terms are summed in another order (per distinct value rather
than per row), and float addition is not associative.

The driver holds the merged histogram: its size is the number of distinct
(group, value) pairs, at most the rows (a rate or an amount in fen repeats a lot;
a continuous value repeats little). Workers hold one partition.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from equiserve.equality._input import InputError, column, prepare

__all__ = ["partitions", "summary_partitioned"]

# Row groups of one Parquet file taken together as one partition.
ROW_GROUPS_A_PARTITION = 4


def partitions(path: Path | str) -> list[tuple[str, list[int] | None]]:
    """Return the partitions of a table: its Parquet parts, or a file's row groups.

    A directory holds the table as Parquet parts (`*.parquet`, in name order),
    each a partition; a Parquet file is split by its row groups.
    """
    path = Path(path)
    if path.is_dir():
        parts = sorted(path.glob("*.parquet"))
        if not parts:
            raise InputError(f"{path} holds no Parquet parts (*.parquet)")
        return [(str(part), None) for part in parts]
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    count = pq.ParquetFile(path).metadata.num_row_groups
    return [
        (str(path), list(range(start, min(start + ROW_GROUPS_A_PARTITION, count))))
        for start in range(0, max(count, 1), ROW_GROUPS_A_PARTITION)
    ]


def histogram(
    part: str,
    row_groups: list[int] | None,
    value: str,
    group: str | None,
    weight: str | None,
) -> pl.DataFrame:
    """Return one partition's people and rows per group and distinct value.

    The partition's rows are checked as `summary` checks them; an error names
    the part and the row within it.
    """
    names = list(dict.fromkeys(name for name in (value, group, weight) if name))
    try:
        parquet = pq.ParquetFile(part)
    except OSError as error:
        raise InputError(f"could not read {part} as Parquet: {error}") from None
    present = parquet.schema_arrow.names
    missing = [name for name in names if name not in present]
    if missing:
        raise InputError(
            f"column(s) {', '.join(map(repr, missing))} not in {part}; "
            f"its columns are: {', '.join(present)}"
        )
    if row_groups is None:
        table = parquet.read(columns=names)
    else:
        table = parquet.read_row_groups(row_groups, columns=names)
    frame = pl.from_arrow(table)
    if frame.height == 0:
        return _empty(group)
    try:
        prep = prepare(
            value,
            group,
            weight,
            data=frame,
            measure="summary",
        )
    except InputError as error:
        where = f" in {part}" + (f", row groups {row_groups}" if row_groups else "")
        raise InputError(f"{error}{where}", index=error.index) from None
    columns: dict[str, Any] = {"y": prep.y, "w": prep.w}
    if group is not None:
        labels = column(group, "groups", frame)
        columns["g"] = labels if prep.keep is None else labels.filter(prep.keep)
    keys = ["g", "y"] if group is not None else ["y"]
    return (
        pl.DataFrame(columns)
        .group_by(keys)
        .agg(pl.col("w").sum(), pl.len().alias("n"))
        .select(*keys, "w", "n")
    )


def _empty(group: str | None) -> pl.DataFrame:
    schema = {"y": pl.Float64, "w": pl.Float64, "n": pl.UInt32}
    return pl.DataFrame(schema=({"g": pl.String} | schema) if group else schema)


def _merge(histograms: list[pl.DataFrame], group: str | None) -> pl.DataFrame:
    keys = ["g", "y"] if group is not None else ["y"]
    filled = [frame for frame in histograms if frame.height]
    if not filled:
        raise InputError("values are empty: summary needs at least one value")
    return (
        pl.concat(filled, how="vertical_relaxed")
        .group_by(keys)
        .agg(pl.col("w").sum(), pl.col("n").sum())
        .sort(keys)
    )


def summary_partitioned(
    path: Path | str,
    value: str,
    group: str | None = None,
    weight: str | None = None,
    *,
    compare: tuple[Any, Any] | None = None,
    client=None,
    cluster: str | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Return `summary` of a partitioned table (Parquet parts or row groups).

    Each partition's histogram is a task on a Dask cluster (the address
    `cluster`, a local cluster of `workers` processes, or an open `client`),
    or computed here one partition after another when none is given. The
    result has `summary`'s keys and figures (to 1e-12 relative; see the module).
    """
    chunks = partitions(path)
    own = None
    if client is None and (cluster or workers):
        from equiserve.simulation.distributed import connect

        client, own = connect(cluster, workers)
    try:
        if client is None:
            histograms = [
                histogram(part, groups, value, group, weight) for part, groups in chunks
            ]
        else:
            futures = [
                client.submit(histogram, part, groups, value, group, weight, pure=False)
                for part, groups in chunks
            ]
            histograms = client.gather(futures)
    finally:
        if own is not None:
            client.close()
            own.close()
    return _summary(_merge(histograms, group), group, weight, compare)


def _summary(
    merged: pl.DataFrame,
    group: str | None,
    weight: str | None,
    compare: tuple[Any, Any] | None,
) -> dict[str, Any]:
    from equiserve.equality.overview import summary, zeros_note

    result = summary(
        merged["y"],
        merged["g"] if group is not None else None,
        merged["w"],
        compare=compare,
    )
    # The histogram's rows are distinct values; count the table's rows.
    result["n"] = int(merged["n"].sum())
    result["weighted"] = weight is not None
    zeros = int(merged.filter(pl.col("y") == 0)["n"].sum())
    if zeros:
        result["notes"][0] = zeros_note(zeros)
    if group is not None:
        rows = merged.group_by("g").agg(pl.col("n").sum())
        for label, n in rows.iter_rows():
            result["groups"][str(label)]["n"] = int(n)
    return result
