"""Writes for the registry of persons and households."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.db import transaction

from equiserve.registry.models import Household, Person, PersonHealth

BATCH_SIZE = 2000


@dataclass(frozen=True)
class PopulationImportSummary:
    persons: int
    households: int
    health_records: int


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


def _struct_field(row: dict, struct: str, field: str):
    value = row.get(struct)
    return None if value is None else value.get(field)


@transaction.atomic
def population_import_parquet(
    directory: Path, *, replace: bool = False
) -> PopulationImportSummary:
    """Load a synthetic population (persons.parquet, households.parquet) in one transaction.

    With `replace`, the registry's persons and households are removed first; used by the
    demo city only.
    """
    households_frame = pl.read_parquet(Path(directory) / "households.parquet")
    persons_frame = pl.read_parquet(Path(directory) / "persons.parquet")
    if replace:
        PersonHealth.objects.all().delete()
        Person.objects.all().delete()
        Household.objects.all().delete()

    households = [
        Household(
            key=row["id"],
            town_id=row["town"],
            village_id=row.get("village"),
            floor_area_m2=_money(row.get("floor_area_m2")),
            annual_income=_money(row.get("annual_income")),
            assets=_money(row.get("assets")),
        )
        for row in households_frame.iter_rows(named=True)
    ]
    Household.objects.bulk_create(households, batch_size=BATCH_SIZE)
    household_pk = dict(Household.objects.values_list("key", "pk"))

    persons = []
    health = []
    guardians: dict[str, str] = {}
    for row in persons_frame.iter_rows(named=True):
        persons.append(
            Person(
                key=row["id"],
                id_number=row["id_number"],
                name=row["name"],
                household_id=household_pk.get(row.get("household")),
                birth_date=row["birth_date"],
                sex=row["sex"],
                hukou=row["hukou"],
                hukou_kind=row.get("hukou_kind") or "",
                town_id=row["town"],
                village_id=row.get("village"),
                resident_since=row.get("resident_since"),
                points=row.get("points"),
                school_stage=row.get("school_stage") or "none",
                low_income=bool(row.get("low_income")),
                veteran_kind=_struct_field(row, "veteran", "kind") or "",
                veteran_discharged=_struct_field(row, "veteran", "discharged"),
                veteran_nco_years=_struct_field(row, "veteran", "nco_years"),
                death_date=_struct_field(row, "death", "date"),
                death_storage_days=_struct_field(row, "death", "storage_days"),
                death_ash_storage_years=_struct_field(
                    row, "death", "ash_storage_years"
                ),
                hardship_cause=_struct_field(row, "hardship", "cause") or "",
                hardship_date=_struct_field(row, "hardship", "date"),
            )
        )
        if row.get("guardian"):
            guardians[row["id"]] = row["guardian"]
        if row.get("t1d"):
            health.append((row["id"], row["t1d"]))
    Person.objects.bulk_create(persons, batch_size=BATCH_SIZE)
    person_pk = dict(Person.objects.values_list("key", "pk"))

    wards = list(Person.objects.filter(key__in=list(guardians)).only("pk", "key"))
    for ward in wards:
        ward.guardian_id = person_pk[guardians[ward.key]]
    Person.objects.bulk_update(wards, ["guardian"], batch_size=BATCH_SIZE)

    PersonHealth.objects.bulk_create(
        [
            PersonHealth(
                person_id=person_pk[key],
                t1d_diagnosed=t1d.get("diagnosed"),
                t1d_hospital_grade=t1d.get("hospital_grade") or "",
            )
            for key, t1d in health
        ],
        batch_size=BATCH_SIZE,
    )
    return PopulationImportSummary(
        persons=len(persons), households=len(households), health_records=len(health)
    )
