"""Population runs on a Dask cluster give the single-process run's output exactly
(issue 20), also when a worker is lost in the middle of the run."""

import datetime as dt
import os
import signal
import threading
import time

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from equiserve.simulation.distributed import PARTS, simulate_distributed
from equiserve.simulation.run import plan_batches, simulate

pytestmark = pytest.mark.slow

DAY = dt.date(2015, 7, 1)
# Small batches: the 1 % city's towns become about one task each.
BATCH_ROWS = 1_000
TASKS = 21  # towns under 1,000 persons share a batch
OUTPUTS = ("persons.parquet", "households.parquet", "costs.parquet")


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    local = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(local)
    yield client
    client.close()
    local.close()


@pytest.fixture(scope="module")
def single_process(plan, population, tmp_path_factory):
    out = tmp_path_factory.mktemp("single")
    simulate(date=DAY, population=population, out=out, plan=plan, batch_rows=BATCH_ROWS)
    return out


def assert_same_output(left, right):
    for name in OUTPUTS:
        assert_frame_equal(pl.read_parquet(left / name), pl.read_parquet(right / name))


def test_a_two_worker_cluster_writes_what_one_process_writes(
    population, single_process, cluster, tmp_path
):
    batches = plan_batches(population / "persons.parquet", BATCH_ROWS)
    assert len(batches) == TASKS

    result = simulate_distributed(
        date=DAY,
        population=population,
        out=tmp_path,
        batch_rows=BATCH_ROWS,
        client=cluster,
    )

    assert result.batches == TASKS
    assert result.notes == ["evaluated on a Dask cluster in 21 tasks"]
    assert_same_output(single_process, tmp_path)
    assert not (tmp_path / PARTS).exists()


def test_a_worker_killed_mid_run_is_replaced_and_the_output_is_the_same(
    population, single_process, cluster, tmp_path
):
    outcome = {}

    def run():
        outcome["result"] = simulate_distributed(
            date=DAY,
            population=population,
            out=tmp_path,
            batch_rows=BATCH_ROWS,
            client=cluster,
        )

    runner = threading.Thread(target=run)
    runner.start()
    parts = tmp_path / PARTS
    while runner.is_alive() and not (parts.exists() and any(parts.glob("*.parquet"))):
        time.sleep(0.005)
    written_before_the_kill = len(list(parts.glob("persons-*.parquet")))
    victim = next(iter(cluster.run(os.getpid).values()))
    os.kill(victim, signal.SIGKILL)
    runner.join(timeout=300)

    assert 0 < written_before_the_kill < TASKS  # killed mid-run, not after
    assert outcome["result"].batches == TASKS
    assert_same_output(single_process, tmp_path)
