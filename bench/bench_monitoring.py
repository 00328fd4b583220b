"""Time monitoring at full scale: equality on 4 million values, and the dashboard.

1. The equality measures the indicator pages use (`equiserve.equality`) on 4
   million values in 24 towns with population weights: the summary (Theil T/L
   with the between/within split, Gini, CV), and sigma convergence over the six
   half-years. Best of three runs.
2. The dashboard on a full-scale database: a temporary SQLite database with the
   24 towns, their villages, the synthetic population at scale 1 (about 3.97
   million persons, 1.5 million households, from `equiserve.synth.synthesize`),
   the demo city's facilities and the demo accounts. The population is written
   straight into SQLite in bulk (the ORM's bulk_create would take far longer and
   is not what is measured). Then (issue 13): a full recomputation of every
   stored indicator value; p50 and p95 of 50 requests of the office's and a
   town officer's dashboard, two indicator pages, the city report and
   `trend.json`, which read stored values only; the time from a registry change
   to a fresh value with the worker running beside, as `make run` starts it;
   and the computation per source, to show where the worker's time goes.

Set EQUISERVE_BENCH_POPULATION to a directory holding persons.parquet and
households.parquet to reuse a population, EQUISERVE_BENCH_KEEP=1 to keep the
temporary database, EQUISERVE_BENCH_WORK to a kept directory to reuse its
loaded database, EQUISERVE_BENCH_STEPS to run only some of the steps (a comma
list of equality, recompute, pages, freshness, sources; a kept database already
holds its computed values). Prints one JSON object per figure.
"""

import datetime as dt
import os
import shutil
import socket
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import polars as pl
from figures import emitter  # bench/figures.py, beside this script

BENCH = "monitoring"
ROWS = 4_000_000
RUNS = 3
# EQUISERVE_BENCH_WORK reuses a work directory kept by EQUISERVE_BENCH_KEEP=1
# (its database already loaded): the load is skipped, everything else is timed.
REUSED = bool(os.environ.get("EQUISERVE_BENCH_WORK"))
WORK = Path(
    os.environ.get("EQUISERVE_BENCH_WORK")
    or tempfile.mkdtemp(prefix="equiserve-bench-monitoring-")
)
os.environ["EQUISERVE_VAR"] = str(WORK / "var")
os.environ["EQUISERVE_DEMO"] = "1"
# SQLite in the work directory, or PostgreSQL when EQUISERVE_BENCH_DATABASE_URL
# names an empty database (it is migrated and loaded; figures are kept apart).
os.environ.pop("DATABASE_URL", None)
if os.environ.get("EQUISERVE_BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["EQUISERVE_BENCH_DATABASE_URL"]
    BENCH = "monitoring (PostgreSQL)"


emit = emitter(BENCH)
STEPS = ("equality", "recompute", "pages", "freshness", "sources")
CHOSEN = set(
    filter(None, os.environ.get("EQUISERVE_BENCH_STEPS", ",".join(STEPS)).split(","))
)
if CHOSEN - set(STEPS):
    sys.exit(f"EQUISERVE_BENCH_STEPS: unknown steps {sorted(CHOSEN - set(STEPS))}")


def best(function, runs=RUNS):
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return min(seconds), result


def bench_equality() -> None:
    from equiserve import equality

    rng = np.random.default_rng(2014)
    town = rng.integers(0, 24, ROWS)
    level = rng.lognormal(0, 0.3, 24)[town]
    values = rng.lognormal(3, 0.6, ROWS) * level
    weights = rng.integers(1, 51, ROWS).astype(np.float64)
    towns = np.array([f"4420001{i:02d}" for i in range(24)])[town]
    periods = np.array(["2014H1", "2014H2", "2015H1", "2015H2", "2016H1", "2016H2"])[
        rng.integers(0, 6, ROWS)
    ]
    frame = pl.DataFrame(
        {"value": values, "town": towns, "people": weights, "period": periods}
    )
    seconds, result = best(
        lambda: equality.summary("value", "town", "people", data=frame)
    )
    assert result["theil_t_between"] is not None
    emit(
        "equality summary, 4,000,000 values by 24 towns, weighted",
        seconds,
        "s",
        "< 1 s",
    )
    seconds, _ = best(
        lambda: equality.sigma_convergence(
            "value", "period", "people", measure="theil_t", data=frame
        )
    )
    emit(
        "sigma convergence (Theil T), 4,000,000 values over 6 periods",
        seconds,
        "s",
        "< 1 s",
    )


PERSON_COLUMNS = (
    "id, key, id_number, name, birth_date, sex, hukou, hukou_kind, "
    "resident_since, points, school_stage, low_income, veteran_kind, "
    "veteran_discharged, veteran_nco_years, death_date, death_storage_days, "
    "death_ash_storage_years, hardship_cause, hardship_date, household_id, "
    "town_id, village_id, guardian_id, public_id, relation_to_head"
)
HOUSEHOLD_COLUMNS = (
    "id, key, floor_area_m2, annual_income, assets, town_id, village_id, public_id"
)
HEALTH_COLUMNS = "person_id, t1d_diagnosed, t1d_hospital_grade"


def _day(column: str) -> pl.Expr:
    return pl.col(column).dt.to_string("%Y-%m-%d")


def population_tables(directory: Path) -> dict[str, tuple[str, pl.DataFrame]]:
    """Return {table: (columns, rows)} of the synthetic population, as stored."""
    households = pl.read_parquet(directory / "households.parquet")
    persons = pl.read_parquet(directory / "persons.parquet")
    households = households.with_row_index("pk", offset=1)
    household_pk = dict(zip(households["id"], households["pk"], strict=True))
    persons = persons.with_row_index("pk", offset=1).with_columns(
        pl.col("household").replace_strict(household_pk, default=None).alias("hh"),
        pl.col("veteran").struct.field("kind").fill_null("").alias("veteran_kind"),
        pl.col("veteran").struct.field("discharged").alias("veteran_discharged"),
        pl.col("veteran").struct.field("nco_years").alias("veteran_nco_years"),
        pl.col("death").struct.field("date").alias("death_date"),
        pl.col("death").struct.field("storage_days").alias("death_storage_days"),
        pl.col("death").struct.field("ash_storage_years").alias("death_ash_years"),
        pl.col("hardship").struct.field("cause").fill_null("").alias("hardship_cause"),
        pl.col("hardship").struct.field("date").alias("hardship_date"),
        pl.col("t1d").struct.field("diagnosed").alias("t1d_diagnosed"),
        pl.col("t1d").struct.field("hospital_grade").alias("t1d_grade"),
    )
    household_rows = households.select(
        "pk",
        "id",
        pl.col("floor_area_m2").round(2),
        pl.col("annual_income").round(2),
        pl.col("assets").round(2),
        "town",
        "village",
        # Random public ids, as Django stores a UUIDField (issue 10).
        pl.Series([uuid.uuid4().hex for _ in range(households.height)]),
    )
    person_rows = persons.select(
        "pk",
        "id",
        "id_number",
        "name",
        _day("birth_date"),
        "sex",
        "hukou",
        pl.col("hukou_kind").fill_null(""),
        _day("resident_since"),
        "points",
        pl.col("school_stage").fill_null("none"),
        pl.col("low_income").fill_null(False),
        "veteran_kind",
        _day("veteran_discharged"),
        "veteran_nco_years",
        _day("death_date"),
        "death_storage_days",
        "death_ash_years",
        "hardship_cause",
        _day("hardship_date"),
        "hh",
        "town",
        "village",
        pl.lit(None, dtype=pl.Int64).alias("guardian"),
        pl.Series([uuid.uuid4().hex for _ in range(persons.height)]),
        # The demo load leaves it blank too (population_import_parquet).
        pl.lit("").alias("relation_to_head"),
    )
    health_rows = persons.filter(pl.col("t1d_diagnosed").is_not_null()).select(
        "pk", _day("t1d_diagnosed"), pl.col("t1d_grade").fill_null("")
    )
    return {
        "registry_household": (HOUSEHOLD_COLUMNS, household_rows),
        "registry_person": (PERSON_COLUMNS, person_rows),
        "registry_personhealth": (HEALTH_COLUMNS, health_rows),
    }


def load_population(database: Path, directory: Path) -> tuple[int, int]:
    """Write households, persons and health records straight into SQLite."""
    tables = population_tables(directory)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    with connection:
        for table, (columns, rows) in tables.items():
            marks = ", ".join("?" * rows.width)
            connection.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows.iter_rows()
            )
    connection.execute("ANALYZE")
    connection.close()
    return tables["registry_person"][1].height, tables["registry_household"][1].height


def load_population_postgres(directory: Path) -> tuple[int, int]:
    """Write households, persons and health records into PostgreSQL by COPY."""
    import io

    from django.db import connection

    tables = population_tables(directory)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table, (columns, rows) in tables.items():
            buffer = io.BytesIO()
            # Quoted text keeps "" apart from NULL (an unquoted empty field).
            rows.write_csv(buffer, include_header=False, quote_style="non_numeric")
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(buffer.getvalue())
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', "
                f"'{columns.split(',')[0]}'), (SELECT max({columns.split(',')[0]}) "
                f"FROM {table}))"
            )
        cursor.execute("ANALYZE")
    return tables["registry_person"][1].height, tables["registry_household"][1].height


def build_database() -> None:
    from django.conf import settings
    from django.core.management import call_command

    from equiserve.accounts.services import demo_accounts_create
    from equiserve.facilities.demo import demo_facilities
    from equiserve.facilities.models import Facility
    from equiserve.geography.services import geography_load_reference

    call_command("migrate", interactive=False, verbosity=0)
    geography_load_reference()
    demo_accounts_create()
    Facility.objects.bulk_create(demo_facilities(seed=1))
    population = os.environ.get("EQUISERVE_BENCH_POPULATION")
    if population:
        directory = Path(population)
    else:
        from equiserve.synth import synthesize

        directory = WORK / "population"
        started = time.perf_counter()
        synthesize(scale=1.0, seed=1, out_dir=directory, progress=False)
        print(f"generated the population in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    started = time.perf_counter()
    if connection.vendor == "postgresql":
        persons, households = load_population_postgres(directory)
    else:
        connection.close()  # the bulk load writes through its own connection
        persons, households = load_population(Path(settings.SQLITE_PATH), directory)
    emit("full-scale database: persons", persons, "persons")
    emit("full-scale database: households", households, "households")
    emit("full-scale database: bulk load", time.perf_counter() - started, "s")


def timed_get(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return seconds


REQUESTS = 50
PAGE_AIM = "p95 < 0.3 s"


def percentiles(client, url, runs=REQUESTS) -> tuple[float, float]:
    """Return the p50 and p95 of `runs` requests of one page, in seconds."""
    seconds = [timed_get(client, url) for _ in range(runs)]
    return float(np.percentile(seconds, 50)), float(np.percentile(seconds, 95))


def bench_recompute() -> None:
    """Time a full recomputation of every stored value, as after a demo load."""
    from equiserve.monitoring.stored import values_recompute_all, values_refresh

    started = time.perf_counter()
    # Every stored value marked, and every missing one enqueued (a first load).
    pending = values_recompute_all()
    stored = values_refresh()
    emit(
        f"full recomputation: {stored:,} stored values ({pending:,} enqueued)",
        time.perf_counter() - started,
        "s",
    )


def bench_pages() -> None:
    """Time the pages that read stored values only (issue 13, deliverable 5)."""
    from django.test import Client

    period = "2016H2"
    office = Client()
    assert office.login(username="office", password="demo-office")
    town = Client()
    assert town.login(username="town-xiaolan", password="demo-town-xiaolan")
    pages = [
        ("dashboard page, office", office, f"/monitoring/?period={period}"),
        ("dashboard page, town officer", town, f"/monitoring/?period={period}"),
        (
            "indicator page, office, fitness circle",
            office,
            f"/monitoring/indicators/sports.fitness_circle/?period={period}",
        ),
        (
            "indicator page, office, preschool subsidy",
            office,
            f"/monitoring/indicators/education.preschool_subsidy_coverage/"
            f"?period={period}",
        ),
        ("city report, office", office, f"/monitoring/city/{period}/"),
        (
            "trend.json, office",
            office,
            "/monitoring/trend.json?indicator=education.preschool_subsidy_coverage",
        ),
    ]
    for name, client, url in pages:
        timed_get(client, url)  # the first request compiles templates
        p50, p95 = percentiles(client, url)
        emit(f"{name}, full scale, p50 of {REQUESTS}", p50, "s")
        emit(f"{name}, full scale, p95 of {REQUESTS}", p95, "s", PAGE_AIM)


def wait_for_worker(worker) -> None:
    """Wait until the worker has prepared (its first heartbeat) and is idle.

    The aim is a change's way to the page through a running worker; the
    worker's own start (about 18 s at full scale) is timed apart.
    """
    from django_tasks_db.models import DBTaskResult

    from equiserve.operations.models import WorkerHeartbeat

    started = time.perf_counter()
    name = f"{socket.gethostname()}:{worker.pid}"[:128]
    while not WorkerHeartbeat.objects.filter(worker=name).exists():
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}")
        if time.perf_counter() - started > 600:
            raise RuntimeError("the worker did not start in 600 s")
        time.sleep(0.1)
    emit("worker start, full scale", time.perf_counter() - started, "s")
    while (
        DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists()
    ):
        time.sleep(0.1)
    time.sleep(2)  # its last task finished, and no poll interval half-passed


def bench_freshness() -> None:
    """Time a registry change until its town's value is fresh, with the worker
    running beside as `make run` starts it."""
    import subprocess

    from equiserve.monitoring.models import IndicatorValue
    from equiserve.registry.models import Person

    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from equiserve.cli import main; main()",
            "monitoring",
            "worker",
        ],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_worker(worker)
        person = Person.objects.filter(
            town_id="442000100",
            death_date__isnull=True,
            school_stage__in=["primary", "junior"],
        ).first()
        watched = IndicatorValue.objects.filter(
            indicator="social.student_insurance_coverage",
            period="2016H2",
            place="442000100",
            by="",
        )
        before = watched.get().version
        started = time.perf_counter()
        person.death_date = dt.date(2016, 12, 1)
        person.save()
        while True:
            row = watched.get()
            if row.pending_version is None and row.version > before:
                break
            if time.perf_counter() - started > 300:
                raise RuntimeError("the worker did not refresh the value in 300 s")
            time.sleep(0.05)
        emit(
            "registry change to a fresh value on the dashboard, full scale",
            time.perf_counter() - started,
            "s",
            "< 10 s",
        )
        # Then the city's value, and every value of the town the change marked:
        # those the engine's rules count come after those a query counts, and
        # the fitness circle, scaled to the whole city, is recomputed city-wide.
        marked = IndicatorValue.objects.filter(
            place="442000100", by="", pending_version__isnull=False
        )
        waits = {
            "the city's value": IndicatorValue.objects.filter(
                indicator="social.student_insurance_coverage",
                period="2016H2",
                place="city",
                by="",
                pending_version__isnull=False,
            ),
            "every marked value of the town but the fitness circle": marked.exclude(
                indicator="sports.fitness_circle"
            ),
            "every marked value of the town": marked,
        }
        while waits:
            for name, rows in list(waits.items()):
                if not rows.exists():
                    emit(
                        f"registry change to {name} fresh, full scale",
                        time.perf_counter() - started,
                        "s",
                    )
                    del waits[name]
            if time.perf_counter() - started > 900:
                raise RuntimeError(f"not refreshed in 900 s: {sorted(waits)}")
            time.sleep(0.05)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # Mid-run on 4 million persons it may not reach its next check in time.
            worker.kill()
            worker.wait()


def bench_sources() -> None:
    """Time the computation per source, to show where the worker's time goes."""
    from equiserve.monitoring.definitions import load_definitions
    from equiserve.monitoring.periods import period_get
    from equiserve.monitoring.values import compute

    period = period_get("2016H2")
    definitions = load_definitions()
    groups = {
        "registry (persons, households, villages)": (
            "persons",
            "households",
            "villages",
        ),
        "facility standards": ("facility_standard", "facility_value"),
        "fitness circle": ("fitness_circle",),
        "parameters, entries and cases": ("parameter", "entry", "cases"),
    }
    for name, sources in groups.items():
        chosen = [
            i
            for i in definitions.indicators
            if {t.source for _, t in i.terms()} & set(sources)
        ]
        seconds, _ = best(
            lambda chosen=chosen: compute(
                chosen, periods=[period], levels=["city", "town"]
            ),
            runs=1,
        )
        emit(
            f"compute, {len(chosen)} indicators from {name}, city and towns",
            seconds,
            "s",
        )


def main() -> int:
    emit("load average at start (1 min)", os.getloadavg()[0])
    if "equality" in CHOSEN:
        bench_equality()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from equiserve.django_setup import setup_django

    setup_django()
    try:
        if not REUSED:
            build_database()
        for step in STEPS[1:]:
            if step in CHOSEN:
                globals()[f"bench_{step}"]()
    finally:
        from django.db import connection

        connection.close()
        if os.environ.get("EQUISERVE_BENCH_KEEP") or REUSED:
            print(f"kept the work directory: {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"finished in {time.perf_counter() - started:.0f} s")
    sys.exit(code)
