"""Migrations that change a stored fact keep the values already stored."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from equiserve.testkit import XIAOLAN, id_number

BEFORE = ("registry", "0006_vocabulary_choices")
AFTER = ("registry", "0007_points_in_half_points")


@pytest.mark.django_db(transaction=True)
def test_whole_points_stored_as_integers_survive_the_change_to_half_points(geography):
    # Issue 12, point 5: points became a decimal with one place; 180 stays 180.
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    Person = apps.get_model("registry", "Person")
    Person.objects.create(
        key="old",
        id_number=id_number(dt.date(1990, 1, 1), 7),
        name="旧",
        birth_date=dt.date(1990, 1, 1),
        sex="M",
        hukou="elsewhere",
        town_id=XIAOLAN,
        points=180,
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])
    apps = executor.loader.project_state([AFTER]).apps
    stored = apps.get_model("registry", "Person").objects.get(key="old").points
    assert stored == Decimal("180.0")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
