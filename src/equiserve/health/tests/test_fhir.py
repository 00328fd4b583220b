"""FHIR R4 out and in (issue 16, acceptance 2)."""

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest

from equiserve.health import fhir, services
from equiserve.health.models import Dispensing, Enrolment, FollowUp, Hospital
from equiserve.health.tests.factories import make_hospital, make_patient, visit
from equiserve.registry.models import Person, PersonHealth
from equiserve.testkit import GUZHEN


def _snapshot():
    """The registry as plain values, ids of the database left out."""
    rows = []
    for e in Enrolment.objects.select_related("person", "hospital").order_by(
        "public_id"
    ):
        p, h = e.person, PersonHealth.objects.get(person=e.person)
        rows.append(
            (
                str(e.public_id),
                (p.key, p.id_number, p.name, p.sex, p.birth_date, p.town_id, p.hukou),
                (h.t1d_diagnosed, h.t1d_hospital_grade),
                (
                    e.hospital.code,
                    e.hospital.name,
                    e.hospital.grade,
                    e.hospital.town_id,
                ),
                (e.enrolled_on, e.left_on),
                [
                    (
                        f.visited_on,
                        f.hba1c,
                        f.fasting_glucose,
                        f.insulin_regimen,
                        f.hypoglycaemia_events,
                    )
                    for f in e.follow_ups.order_by("visited_on", "pk")
                ],
                [
                    (d.dispensed_on, d.item, d.product, d.quantity, d.unit_cost, d.cost)
                    for d in e.dispensings.order_by("dispensed_on", "pk")
                ],
            )
        )
    return rows


@pytest.fixture
def registry(geography):
    second = make_hospital("h-guzhen", grade="2A", town=GUZHEN)
    a = make_patient()
    b = make_patient(hospital=second, town=GUZHEN, enrolled_on=dt.date(2014, 5, 1))
    visit(a, dt.date(2014, 6, 1), 7.2)
    FollowUp.objects.create(
        enrolment=a,
        visited_on=dt.date(2014, 9, 1),
        hba1c=Decimal("6.4"),
        fasting_glucose=Decimal("5.9"),
        insulin_regimen="pump",
        hypoglycaemia_events=2,
    )
    visit(b, dt.date(2014, 7, 1))
    services.dispensing_record(
        enrolment=a,
        dispensed_on=dt.date(2014, 6, 1),
        item="glucose_drugs",
        product="甘精胰岛素注射液 3ml",
        quantity=3,
        unit_cost=Decimal("178.35"),
        actor=None,
    )
    services.dispensing_record(
        enrolment=b,
        dispensed_on=dt.date(2014, 7, 1),
        item="test_strips",
        product="血糖试纸 50片",
        quantity=2,
        unit_cost=Decimal("65.00"),
        actor=None,
    )
    return [a, b]


def _empty_the_registry():
    Dispensing.objects.all().delete()
    FollowUp.objects.all().delete()
    Enrolment.objects.all().delete()
    Hospital.objects.all().delete()
    PersonHealth.objects.all().delete()
    Person.objects.all().delete()


def test_a_bundle_exported_and_imported_into_an_empty_database_is_the_same_registry(
    registry, tmp_path
):
    before = _snapshot()
    out = tmp_path / "bundle.json"
    call_command_fhir = __import__("equiserve.health.cli", fromlist=["x"])
    call_command_fhir.export_command(out=out)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {
        "Organization",
        "Patient",
        "Condition",
        "Encounter",
        "Observation",
        "MedicationDispense",
    }
    hba1c = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["code"] == "4548-4"
    ]
    assert (
        len(hba1c) == 2
        and hba1c[0]["code"]["coding"][0]["system"] == "http://loinc.org"
    )
    _empty_the_registry()
    assert not Person.objects.exists()
    call_command_fhir.import_command(bundle=out)
    assert _snapshot() == before
    # Sent again: nothing doubled.
    assert fhir.bundle_import(bundle) == {
        "patients": 2,
        "follow_ups": 0,
        "dispensings": 0,
    }
    assert _snapshot() == before


def test_an_invalid_resource_refuses_the_whole_bundle_with_its_path(registry):
    bundle = fhir.bundle_export(Enrolment.objects.all())
    _empty_the_registry()
    broken = copy.deepcopy(bundle)
    index = next(
        i
        for i, e in enumerate(broken["entry"])
        if e["resource"]["resourceType"] == "Observation"
    )
    broken["entry"][index]["resource"]["effectiveDateTime"] = "2014-13-45"
    with pytest.raises(fhir.FhirImportError) as refused:
        fhir.bundle_import(broken)
    rid = broken["entry"][index]["resource"]["id"]
    assert refused.value.path == (
        f"entry[{index}].resource(Observation/{rid}).effectiveDateTime"
    )
    assert not Person.objects.exists() and not Hospital.objects.exists()


def test_a_bundle_failing_late_writes_nothing(registry):
    bundle = fhir.bundle_export(Enrolment.objects.all())
    _empty_the_registry()
    broken = copy.deepcopy(bundle)
    # Valid FHIR, but the last dispensing's item is unknown: refused at the end.
    last = broken["entry"][-1]["resource"]
    assert last["resourceType"] == "MedicationDispense"
    last["medicationCodeableConcept"]["coding"][0]["code"] = "chocolate"
    with pytest.raises(fhir.FhirImportError, match="MedicationDispense"):
        fhir.bundle_import(broken)
    assert not Person.objects.exists() and not FollowUp.objects.exists()


def test_an_ineligible_patient_is_refused(registry):
    bundle = fhir.bundle_export(Enrolment.objects.all())
    _empty_the_registry()
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Patient":
            resource["extension"][0]["valueCode"] = "elsewhere"  # a migrant
            break
    with pytest.raises(fhir.FhirImportError, match="Condition"):
        fhir.bundle_import(bundle)
    assert not Enrolment.objects.exists()
