"""Writes for the registry of persons and households, each with its audit entry."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.imports.report import ImportReport
from equiserve.registry.importing import check_tables, read_tables
from equiserve.registry.models import Household, Person, PersonHealth
from equiserve.registry.permissions import import_scope, imports_health
from equiserve.registry.privacy import id_ranges, mask_id_number, masked_search
from equiserve.registry.selectors import HEALTH, HOUSEHOLD, IMPORT, PERSON
from equiserve.registry.signals import records_imported

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
    records_imported.send(sender=Person, towns=None)
    return PopulationImportSummary(
        persons=len(persons), households=len(households), health_records=len(health)
    )


def person_view_record(*, actor, person: Person, channel: str, request=None) -> None:
    """Log that `actor` read a person's full record (page, API, admin)."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type=PERSON,
        object_id=person.pk,
        town_code=person.town_id,
        summary=f"viewed the record of person {person.key} ({channel})",
        changes={"channel": channel},
        request=request,
    )


def household_view_record(*, actor, household: Household, request=None) -> None:
    """Log that `actor` read a household's page with its members."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type=HOUSEHOLD,
        object_id=household.pk,
        town_code=household.town_id,
        summary=f"viewed household {household.key} and its members",
        request=request,
    )


def persons_export_record(
    *, actor, person_ids: list[int], filters: dict, file_format: str, request=None
) -> None:
    """Log an export: its filters, its size and every person in it (as id runs).

    An ID number typed as the search term is written masked (issue 10, finding 13).
    """
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type=PERSON,
        town_code=filters.get("town", ""),
        summary=f"exported {len(person_ids)} persons to {file_format} (ID numbers masked)",
        changes={
            "filters": masked_search(filters),
            "count": len(person_ids),
            "person_id_runs": id_ranges(person_ids),
        },
        request=request,
    )


def _audit_value(name: str, value):
    if name == "id_number" and value:
        return mask_id_number(value)
    if name == "birth_date" and value:
        # The year only: the full date restores a masked number (issue 10, finding 1).
        return str(value.year)
    return None if value is None else str(value)


_OBJECT_TYPES = {Person: PERSON, Household: HOUSEHOLD, PersonHealth: HEALTH}


def registry_change_record(
    *, actor, instance, before: dict, action: str, request=None
) -> None:
    """Log a change to a person, household or health record: fields, old and new.

    Call it in the transaction of the change (the admin's is atomic). For a
    deletion `before` holds the record's last values. ID numbers are written
    masked, health values not at all: the log is read by auditors.
    """
    if action == AuditEntry.Action.DELETE:
        after = dict.fromkeys(before)
    else:
        after = {name: getattr(instance, name) for name in before}
    health = isinstance(instance, PersonHealth)
    changes = {
        name: "changed"
        if health
        else [_audit_value(name, before[name]), _audit_value(name, after[name])]
        for name in before
        if before[name] != after[name]
    }
    # A health record belongs to a person; persons and households have a town.
    owner = instance.person if health else instance
    audit_record(
        actor=actor,
        action=action,
        object_type=_OBJECT_TYPES[type(instance)],
        object_id=instance.pk,
        town_code=owner.town_id,
        summary=f"{action} {_OBJECT_TYPES[type(instance)]} {owner.key}",
        changes=changes,
        request=request,
    )


class ImportForbidden(PermissionError):
    pass


def _read_and_check(content: bytes, filename: str, *, actor):
    report = ImportReport(source=Path(filename).name)
    if actor is None:
        town_code, health = "", True  # the command line: the system's operator
    else:
        scope = import_scope(actor)
        if scope is None:
            raise ImportForbidden(f"{actor} may not import into the registry")
        town_code, health = scope.town_code, imports_health(actor)
    tables = read_tables(content, filename, report)
    if tables is None:
        return report, None
    return report, check_tables(tables, report, town_code=town_code, health=health)


def registry_import(
    *, content: bytes, filename: str, actor, request=None
) -> ImportReport:
    """Import persons and households from a CSV or XLSX file, all or nothing.

    Every row is checked first; with any problem nothing is written and the
    report lists them all. Otherwise everything is written in one transaction,
    with one audit entry per town naming the records created. `actor` None is
    the command line, which may import any town and health columns.
    """
    report, checked = _read_and_check(content, filename, actor=actor)
    if checked is None:
        return report
    try:
        with transaction.atomic():
            _write(checked, report=report, actor=actor, request=request)
    except IntegrityError:
        # Someone registered the same key or ID number since the check.
        report.discard()
        report.error(
            _("the registry changed while the file was checked; import it again")
        )
    return report


CHUNK = 900  # keys per `IN (...)`: well under every database's limit


def pks_by_key(model, keys) -> dict[str, int]:
    """Return {key: pk} of the model's rows with those keys, in chunked queries."""
    keys = list(dict.fromkeys(keys))
    found: dict[str, int] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found.update(model.objects.filter(key__in=chunk).values_list("key", "pk"))
    return found


def _write(checked, *, report, actor, request) -> None:
    """Write what was checked and its audit entries, in the caller's transaction."""
    for start in range(0, len(checked.households), BATCH_SIZE):
        Household.objects.bulk_create(checked.households[start : start + BATCH_SIZE])
    household_pk = pks_by_key(
        Household, [row.household_key for row in checked.persons if row.household_key]
    )
    for row in checked.persons:
        row.person.household_id = household_pk.get(row.household_key)
    persons = [row.person for row in checked.persons]
    for start in range(0, len(persons), BATCH_SIZE):
        Person.objects.bulk_create(persons[start : start + BATCH_SIZE])
    person_pk = pks_by_key(
        Person,
        [row.person.key for row in checked.persons]
        + [row.guardian_key for row in checked.persons if row.guardian_key],
    )
    wards, health = [], []
    for row in checked.persons:
        row.person.pk = person_pk[row.person.key]
        if row.guardian_key:
            row.person.guardian_id = person_pk[row.guardian_key]
            wards.append(row.person)
        if row.health is not None:
            row.health.person_id = row.person.pk
            health.append(row.health)
    Person.objects.bulk_update(wards, ["guardian"], batch_size=BATCH_SIZE)
    PersonHealth.objects.bulk_create(health, batch_size=BATCH_SIZE)
    new_households = pks_by_key(Household, [h.key for h in checked.households])
    _record_import(checked, new_households, report=report, actor=actor, request=request)
    report.done(
        gettext_lazy(
            "%(file)s: %(persons)d persons and %(households)d households imported."
        ),
        {"persons": len(persons), "households": len(checked.households)},
        households=len(checked.households),
        persons=len(persons),
        health_records=len(health),
    )
    records_imported.send(
        sender=Person,
        towns={p.town_id for p in persons} | {h.town_id for h in checked.households},
    )


def _record_import(checked, household_pks, *, report, actor, request) -> None:
    """Append one IMPORT entry per town, naming every record created (id runs)."""
    by_town: dict[str, dict] = defaultdict(
        lambda: {"persons": [], "households": [], "health": 0}
    )
    for household in checked.households:
        by_town[household.town_id]["households"].append(household_pks[household.key])
    for row in checked.persons:
        by_town[row.person.town_id]["persons"].append(row.person.pk)
        by_town[row.person.town_id]["health"] += row.health is not None
    for town_code, created in sorted(by_town.items()):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            object_type=IMPORT,
            object_id=report.source[:64],
            town_code=town_code,
            summary=(
                f"imported {len(created['persons'])} persons and "
                f"{len(created['households'])} households from {report.source}"
            ),
            changes={
                "file": report.source,
                "person_id_runs": id_ranges(created["persons"]),
                "household_id_runs": id_ranges(created["households"]),
                "health_records": created["health"],
            },
            request=request,
        )


# The fields a window registration sets, as the audit entry lists them.
_REGISTERED_FIELDS = (
    "id_number",
    "name",
    "household_id",
    "relation_to_head",
    "birth_date",
    "sex",
    "hukou",
    "town_id",
)


# One answer whether the number is registered in the officer's town, another town
# or nowhere visible to them: the window learns nothing about other towns
# (issue 14). The refusal is referred to the registry office through the audit.
DUPLICATE_NUMBER = gettext_lazy(
    "This ID number cannot be registered here. Search for the person above; if "
    "they are not found, the registry office has been notified and will follow "
    "up (reference %(reference)s)."
)


def person_register(
    *,
    id_number: str,
    name: str,
    hukou: str,
    town,
    household: Household | None = None,
    new_household: bool = False,
    relation_to_head: str = "",
    actor,
    request=None,
) -> Person:
    """Register one person at the window (issue 14, deliverable 2).

    Birth date and sex are read from the ID number (`stdnum.cn.ric`, the same
    checks as an import); the person lives in `town`, the officer's. A new
    household is created in that town when asked, its head the person.
    """
    from django.core.exceptions import ValidationError

    from equiserve.imports.cells import CellError, check_id_number

    try:
        number = check_id_number(id_number)
    except CellError as error:
        raise ValidationError({"id_number": str(error)}) from None
    existing = Person.objects.filter(id_number=number).only("pk", "town_id").first()
    if existing is not None:
        with transaction.atomic():
            entry = audit_record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                object_type=PERSON,
                object_id=existing.pk,
                # Filed under the person's own town: the window's town does not
                # read it; the registry office and the person's town do.
                town_code=existing.town_id,
                summary="window registration refused: ID number already "
                "registered; referred to the registry office",
                changes={
                    "refused": True,
                    "id_number": mask_id_number(number),
                    "window_town": town.code,
                },
                request=request,
            )
        raise ValidationError(
            {"id_number": DUPLICATE_NUMBER % {"reference": f"A{entry.seq}"}}
        )
    return _person_create(
        number=number,
        name=name,
        hukou=hukou,
        town=town,
        household=household,
        new_household=new_household,
        relation_to_head=relation_to_head,
        actor=actor,
        request=request,
    )


@transaction.atomic
def _person_create(
    *,
    number: str,
    name: str,
    hukou: str,
    town,
    household: Household | None,
    new_household: bool,
    relation_to_head: str,
    actor,
    request,
) -> Person:
    """Create the person (and a new household) once the number is known free."""
    from django.core.exceptions import ValidationError
    from stdnum.cn import ric

    if household is not None and household.town_id != town.code:
        raise ValidationError({"household": _("No such household in your town.")})
    if new_household:
        household = Household(key=f"h-{town.code}-{uuid.uuid4().hex[:10]}", town=town)
        household.full_clean()
        household.save()
        registry_change_record(
            actor=actor,
            instance=household,
            before={"key": None, "town_id": None},
            action=AuditEntry.Action.CREATE,
            request=request,
        )
        relation_to_head = relation_to_head or "head"
    person = Person(
        key=f"p-{town.code}-{uuid.uuid4().hex[:10]}",
        id_number=number,
        name=name.strip(),
        household=household,
        relation_to_head=relation_to_head if household is not None else "",
        birth_date=ric.get_birth_date(number),
        # The 17th digit is odd for men, even for women (GB 11643).
        sex="M" if int(number[16]) % 2 else "F",
        hukou=hukou,
        town=town,
    )
    person.full_clean()
    person.save()
    registry_change_record(
        actor=actor,
        instance=person,
        before=dict.fromkeys(_REGISTERED_FIELDS),
        action=AuditEntry.Action.CREATE,
        request=request,
    )
    return person


def registration_area(id_number: str) -> str:
    """Return where an ID number was first issued ("广东省中山市"), from its region code."""
    from stdnum.cn import ric

    try:
        place = ric.get_birth_place(id_number)
    except Exception:  # an unknown region code: say the code itself
        return id_number[:6]
    return f"{place.get('province', '')}{place.get('county', '')}" or id_number[:6]
