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


def _clear_city() -> None:
    from django.apps import apps
    from django_tasks_db.models import DBTaskResult

    from equiserve.facilities.models import Facility
    from equiserve.geography.models import NaturalVillage, Town, Village
    from equiserve.monitoring.models import DataVersion, IndicatorValue
    from equiserve.registry.models import Household, Person, PersonHealth

    for model in (IndicatorValue, DataVersion, DBTaskResult):
        model.objects.all().delete()

    if apps.is_installed("equiserve.cases"):
        for name in ("Delivery", "Appeal", "Entitlement", "Decision", "Assessment"):
            apps.get_model("cases", name).objects.all().delete()
        apps.get_model("cases", "Case").objects.all().delete()
    from equiserve.library.models import EReadingRoom

    EReadingRoom.objects.all().delete()
    for model in (Facility, PersonHealth):
        model.objects.all().delete()
    Person.objects.update(guardian=None)
    for model in (Person, Household, NaturalVillage, Village, Town):
        model.objects.all().delete()


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


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the small demo city into the test database for one module's tests,
    with every indicator value computed by the worker (pages only read them)."""
    from equiserve.monitoring.stored import values_enqueue_all

    with django_db_blocker.unblock():
        _load_city(tmp_path_factory.mktemp("population"))
        values_enqueue_all()
        run_worker()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            _clear_city()


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
