"""A small demo city for the monitoring tests, loaded once per module.

The synthetic population (0.2 % of the city, about 8,000 people), the demo
facilities, and a dozen type-1 diabetes records placed to sit on both sides of
every condition of clause 3.3.2 (registration, grade, diagnosis date).
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest

T1D_RECORDS = [
    # (hukou, grade, diagnosed) — only registered, grade ≥ 2A count once diagnosed.
    ("zhongshan", "2A", dt.date(2010, 3, 1)),
    ("zhongshan", "3A", dt.date(2014, 5, 1)),
    ("zhongshan", "3S", dt.date(2015, 8, 1)),
    ("zhongshan", "2B", dt.date(2012, 1, 1)),
    ("zhongshan", "1", dt.date(2011, 1, 1)),
    ("zhongshan", "3B", dt.date(2016, 11, 30)),
    ("elsewhere", "3A", dt.date(2012, 6, 1)),
    ("elsewhere", "2A", dt.date(2014, 2, 1)),
]


def _load_city(directory) -> None:
    from equiserve.facilities.demo import demo_facilities
    from equiserve.facilities.models import Facility
    from equiserve.geography.services import geography_load_reference
    from equiserve.registry.models import Person, PersonHealth
    from equiserve.registry.services import population_import_parquet
    from equiserve.synth import synthesize

    geography_load_reference()
    synthesize(scale=0.002, seed=7, out_dir=directory, progress=False)
    population_import_parquet(directory, replace=True)
    Facility.objects.bulk_create(demo_facilities(seed=1))
    # The 3.2.1 coverage counts the library network's e-reading rooms (issue 19).
    from equiserve.library.indicators import e_reading_rooms_from_facilities

    e_reading_rooms_from_facilities()
    PersonHealth.objects.all().delete()
    for hukou, grade, day in T1D_RECORDS:
        for person in Person.objects.filter(
            hukou=hukou, death_date__isnull=True, birth_date__lt=dt.date(2000, 1, 1)
        ).exclude(health__isnull=False)[:2]:
            PersonHealth.objects.create(
                person=person, t1d_diagnosed=day, t1d_hospital_grade=grade
            )


def _filled_models(counted: dict) -> list:
    """Return the models with more rows than `counted` (model → rows) says."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._base_manager.count() > counted.get(model, 0)
    ]


def _clear_city(models) -> None:
    """Empty the city's tables as Django's `flush` does: one TRUNCATE on
    PostgreSQL. Deleting row by row would send a signal per person, each
    marking values stale: minutes per module on PostgreSQL."""
    from django.core.management.color import no_style
    from django.db import connection

    tables = [model._meta.db_table for model in models]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    connection.ops.execute_sql_flush(statements)


def _kept(table: str) -> str:
    return f"kept_{table}"


def _keep_city(models) -> None:
    """Copy the city's tables aside, in the test database itself."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            kept = connection.ops.quote_name(_kept(table))
            cursor.execute(f"DROP TABLE IF EXISTS {kept}")
            cursor.execute(
                f"CREATE TABLE {kept} AS SELECT * FROM "
                f"{connection.ops.quote_name(table)}"
            )


def _restore_city(models) -> None:
    """Copy the kept tables back, primary keys included: all in the database."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(table)} "
                f"SELECT * FROM {connection.ops.quote_name(_kept(table))}"
            )
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def run_worker() -> int:
    """Run the monitoring worker until its queue is empty, as `make run` does.

    The real `db_worker` of the task framework, in this process (issue 13).
    """
    from unittest import mock

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    # The worker drops connections it thinks stale; inside a test's transaction
    # that would close the test's own PostgreSQL connection (SQLite ignores it).
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections"
    ):
        call_command("db_worker", batch=True, reload=False, startup_delay=False)
    return DBTaskResult.objects.count()


@pytest.fixture
def worker():
    """Return a function that runs the monitoring worker until its queue is empty."""
    return run_worker


@pytest.fixture
def computed_values(db):
    """Have the worker compute every indicator value of the database as it is."""
    from equiserve.monitoring.stored import values_enqueue_all

    values_enqueue_all()
    run_worker()


@pytest.fixture(scope="session")
def _city_tables(
    django_db_setup, django_db_blocker, tmp_path_factory, _plan_with_entries
):
    """The small demo city with every indicator value computed by the worker,
    loaded once per test process and its tables copied aside; return its models."""
    from django.apps import apps
    from django.test import override_settings

    from equiserve.monitoring.stored import values_enqueue_all

    with (
        django_db_blocker.unblock(),
        override_settings(EQUISERVE_PLAN_DIR=str(_plan_with_entries)),
    ):
        counted = {
            model: model._base_manager.count()
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        _load_city(tmp_path_factory.mktemp("population"))
        values_enqueue_all()
        run_worker()
        models = _filled_models(counted)
        _keep_city(models)
        _clear_city(models)
    return models


@pytest.fixture(scope="module")
def demo_city(_city_tables, django_db_blocker):
    """The small demo city in the test database for one module's tests, every
    value computed (pages only read them). Copied back in a second: a fresh load
    and computation takes a minute per module."""
    with django_db_blocker.unblock():
        _restore_city(_city_tables)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            _clear_city(_city_tables)


@pytest.fixture
def users(demo_accounts):
    """The demo accounts' users, by user name."""
    from django.contrib.auth import get_user_model

    return {
        user.username: user
        for user in get_user_model().objects.select_related("profile")
    }


@pytest.fixture(autouse=True)
def _english():
    """Assert messages in English; pages choose theirs from the language cookie."""
    from django.utils import translation

    with translation.override("en"):
        yield


# Issue 15: the two 3.7 indicators are counted from the labour register now, and
# no indicator of the plan is typed in any more. The entry form, entered figures
# and the reports' frozen entries are tested on a copy of the plan in which 3.7
# is still typed in (its file before issue 15, kept in fixtures/).
ENTERED_3_7 = Path(__file__).parent / "fixtures" / "3.7_employment_entered.yaml"


def plan_with_3_7_entered(directory: Path) -> Path:
    """Copy the plan into `directory` with 3.7's figures typed in; return the copy."""
    from django.conf import settings

    folder = directory / "plan"
    shutil.copytree(settings.EQUISERVE_PLAN_DIR, folder)
    shutil.copy(ENTERED_3_7, folder / "indicators" / "3.7_employment.yaml")
    return folder


@pytest.fixture(scope="session")
def _plan_with_entries(tmp_path_factory):
    return plan_with_3_7_entered(tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module", autouse=True)
def _entered_3_7(_plan_with_entries):
    """Serve the monitoring tests the plan with 3.7's figures typed in."""
    from django.test import override_settings

    with override_settings(EQUISERVE_PLAN_DIR=str(_plan_with_entries)):
        yield
