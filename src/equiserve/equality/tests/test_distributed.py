"""The measures of a partitioned table equal those of the whole table (issue 20).

Figures are compared to 1e-12 relative (and 1e-15 absolute, for shares of a
near-zero part): the partitioned run sums the same terms per distinct value
instead of per row, and float addition depends on the order.
"""

import json
import math

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from equiserve.cli import app
from equiserve.equality import InputError, summary
from equiserve.equality.distributed import partitions, summary_partitioned

ROWS = 30_000


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    rng = np.random.default_rng(20)
    town = rng.integers(0, 6, ROWS)
    # A coverage in tenths of a percent: many ties, a few zeros, towns apart.
    rate = np.round(rng.beta(2 + town, 3, ROWS) * 1000) / 10
    return pl.DataFrame(
        {
            "town": [f"4420001{t:02d}" for t in town],
            "rate": rate,
            "people": rng.integers(0, 40, ROWS),  # some rows stand for no one
        }
    )


@pytest.fixture(scope="module")
def parts(table, tmp_path_factory):
    directory = tmp_path_factory.mktemp("indicator")
    for number, start in enumerate(range(0, ROWS, 7_000)):
        table.slice(start, 7_000).write_parquet(directory / f"part-{number}.parquet")
    return directory


def assert_same(left, right, path="result"):
    if isinstance(left, dict):
        assert left.keys() == right.keys(), path
        for key in left:
            assert_same(left[key], right[key], f"{path}[{key!r}]")
    elif isinstance(left, float):
        assert math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-15), (
            path,
            left,
            right,
        )
    else:
        assert left == right, path


@pytest.mark.parametrize("weighted", [True, False])
def test_the_parts_measure_as_the_whole_table(table, parts, weighted):
    weight = "people" if weighted else None
    whole = summary(
        "rate", "town", weight, data=table, compare=("442000105", "442000100")
    )

    result = summary_partitioned(
        parts, "rate", "town", weight, compare=("442000105", "442000100")
    )

    assert result["n"] == (int((table["people"] > 0).sum()) if weighted else ROWS)
    assert result["notes"] == whole["notes"]
    assert_same(result, whole)


def test_a_files_row_groups_are_its_partitions(table, tmp_path):
    path = tmp_path / "rates.parquet"
    table.write_parquet(path, row_group_size=2_000)
    assert len(partitions(path)) == 4  # 15 row groups, 4 a partition

    assert_same(
        summary_partitioned(path, "rate", "town"), summary("rate", "town", data=table)
    )


def test_a_bad_value_names_its_part(table, tmp_path):
    table.slice(0, 10).write_parquet(tmp_path / "a.parquet")
    table.slice(10, 10).with_columns(rate=pl.lit(-1.0)).write_parquet(
        tmp_path / "b.parquet"
    )

    with pytest.raises(InputError, match="b.parquet") as error:
        summary_partitioned(tmp_path, "rate", "town")
    assert "non-negative values; row 0 holds -1" in str(error.value)


@pytest.mark.slow
def test_a_two_worker_cluster_measures_as_one_process(table, parts):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        Client(local) as client,
    ):
        result = summary_partitioned(parts, "rate", "town", "people", client=client)

    assert_same(result, summary("rate", "town", "people", data=table))


def test_the_command_measures_a_directory_of_parts(table, parts):
    result = CliRunner().invoke(
        app,
        ["equality", "--input", str(parts), "--value", "rate", "--group", "town"]
        + ["--weight", "people", "--json"],
    )

    assert result.exit_code == 0, result.output
    assert_same(
        json.loads(result.output), summary("rate", "town", "people", data=table)
    )


def test_the_command_refuses_a_cluster_for_a_csv(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("town,rate\na,1\nb,2\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["equality", "--input", str(path), "--value", "rate", "--group", "town"]
        + ["--workers", "2"],
    )

    assert result.exit_code == 2
    assert "--cluster and --workers need a Parquet file" in result.output
