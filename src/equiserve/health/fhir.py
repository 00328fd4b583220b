"""The type-1 diabetes registry as a FHIR R4 bundle, out and in (issue 16, deliverable 4).

A hospital system sends follow-ups instead of retyping them. The bundle (type
`collection`) holds, per patient: `Patient` (the resident ID number and the
registry's person number as identifiers), `Condition` (type-1 diabetes,
SNOMED CT 46635009 / ICD-10 E10, with the diagnosis date and the diagnosing
hospital's grade), one `Encounter` per follow-up visit, an `Observation` per
HbA1c (LOINC 4548-4, %) and fasting glucose (LOINC 14771-0, mmol/L), and a
`MedicationDispense` per drug or test-strip dispensing with its cost; the
treating hospitals are `Organization`s. Every resource is validated by
`fhir.resources` (its R4B models: R4's resources, unchanged for these six).

Import is all or nothing: the whole bundle is validated first, then written
in one transaction; the first invalid resource refuses it whole, and the error
names its path (`entry[3].resource(Observation/…).valueQuantity.value`).
A patient the engine does not find eligible is refused like an invalid one.
Encounters and dispensings already imported (same id) are skipped, so a
hospital may send the same patient again with new visits.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from pydantic import ValidationError as PydanticError

from equiserve.health.models import (
    Dispensing,
    Enrolment,
    FollowUp,
    Hospital,
)
from equiserve.registry.models import Person, PersonHealth

NS = "urn:equiserve:"
ID_NUMBER = NS + "id-number"
PERSON_KEY = NS + "person-key"
HOSPITAL_CODE = NS + "hospital"
EXT_HUKOU = NS + "hukou"
EXT_GRADE = NS + "diagnosing-hospital-grade"
EXT_LEFT = NS + "left-registry-on"
EXT_REGIMEN = NS + "insulin-regimen"
EXT_HYPO = NS + "hypoglycaemia-events"
EXT_UNIT_COST = NS + "unit-cost"
EXT_COST = NS + "cost"
EXT_HOSPITAL_GRADE = NS + "hospital-grade"
ITEM = NS + "dispensed-item"
LOINC = "http://loinc.org"
HBA1C = "4548-4"
FASTING_GLUCOSE = "14771-0"
SNOMED = "http://snomed.info/sct"
T1D_SNOMED = "46635009"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
UCUM = "http://unitsofmeasure.org"
GENDER = {"M": "male", "F": "female"}
SEX = {value: key for key, value in GENDER.items()}


class FhirImportError(ValueError):
    """The bundle is refused; `path` names the resource and field at fault."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


def _resource_model(kind: str):
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(kind)


def _validated(resource: dict) -> dict:
    """Return the resource as `fhir.resources` validates and serializes it."""
    model = _resource_model(resource["resourceType"])
    return json.loads(model.model_validate(resource).model_dump_json())


def _ext(url: str, **value) -> dict:
    return {"url": url, **value}


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- export --------------------------------------------------------------


def _organization(hospital: Hospital) -> dict:
    return {
        "resourceType": "Organization",
        "id": hospital.code,
        "identifier": [{"system": HOSPITAL_CODE, "value": hospital.code}],
        "name": hospital.name,
        "address": [{"district": hospital.town_id}],
        "extension": [_ext(EXT_HOSPITAL_GRADE, valueCode=hospital.grade)],
    }


def _patient(person: Person, pid: str) -> dict:
    patient = {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [
            {"system": ID_NUMBER, "value": person.id_number},
            {"system": PERSON_KEY, "value": person.key},
        ],
        "name": [{"text": person.name}],
        "birthDate": person.birth_date.isoformat(),
        "address": [{"district": person.town_id}],
        "extension": [_ext(EXT_HUKOU, valueCode=person.hukou)],
    }
    if person.sex in GENDER:
        patient["gender"] = GENDER[person.sex]
    if person.death_date:
        patient["deceasedDateTime"] = person.death_date.isoformat()
    return patient


def _condition(enrolment: Enrolment, health: PersonHealth | None, pid: str) -> dict:
    condition = {
        "resourceType": "Condition",
        "id": f"t1d-{pid}",
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "active",
                }
            ]
        },
        "code": {
            "coding": [
                {"system": SNOMED, "code": T1D_SNOMED, "display": "Type 1 diabetes"},
                {"system": ICD10, "code": "E10"},
            ]
        },
        "subject": {"reference": f"Patient/{pid}"},
        "recordedDate": enrolment.enrolled_on.isoformat(),
        "asserter": {
            "identifier": {"system": HOSPITAL_CODE, "value": enrolment.hospital.code}
        },
        "extension": [],
    }
    if health and health.t1d_diagnosed:
        condition["onsetDateTime"] = health.t1d_diagnosed.isoformat()
    if health and health.t1d_hospital_grade:
        condition["extension"].append(
            _ext(EXT_GRADE, valueCode=health.t1d_hospital_grade)
        )
    if enrolment.left_on:
        condition["extension"].append(
            _ext(EXT_LEFT, valueDate=enrolment.left_on.isoformat())
        )
    if not condition["extension"]:
        del condition["extension"]
    return condition


def _encounter_id(follow_up: FollowUp, pid: str) -> str:
    return follow_up.fhir_id or f"v{follow_up.pk}-{pid}"[:64]


def _encounter(follow_up: FollowUp, pid: str, hospital: Hospital) -> dict:
    return {
        "resourceType": "Encounter",
        "id": _encounter_id(follow_up, pid),
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "AMB",
        },
        "subject": {"reference": f"Patient/{pid}"},
        "period": {"start": follow_up.visited_on.isoformat()},
        "serviceProvider": {"reference": f"Organization/{hospital.code}"},
        "extension": [
            _ext(EXT_REGIMEN, valueCode=follow_up.insulin_regimen),
            _ext(EXT_HYPO, valueInteger=follow_up.hypoglycaemia_events),
        ],
    }


def _observation(follow_up, pid, encounter_id, code, display, value, unit, ucum):
    return {
        "resourceType": "Observation",
        "id": f"{code}-{encounter_id}"[:64],
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
        "subject": {"reference": f"Patient/{pid}"},
        "encounter": {"reference": f"Encounter/{encounter_id}"},
        "effectiveDateTime": follow_up.visited_on.isoformat(),
        "valueQuantity": {
            "value": float(value),
            "unit": unit,
            "system": UCUM,
            "code": ucum,
        },
    }


def _dispense(dispensing: Dispensing, pid: str) -> dict:
    return {
        "resourceType": "MedicationDispense",
        "id": dispensing.fhir_id or f"d{dispensing.pk}-{pid}"[:64],
        "status": "completed",
        "medicationCodeableConcept": {
            "coding": [{"system": ITEM, "code": dispensing.item}],
            "text": dispensing.product,
        },
        "subject": {"reference": f"Patient/{pid}"},
        "quantity": {"value": dispensing.quantity},
        "whenHandedOver": dispensing.dispensed_on.isoformat(),
        "extension": [
            _ext(
                EXT_UNIT_COST,
                valueMoney={"value": float(dispensing.unit_cost), "currency": "CNY"},
            ),
            _ext(
                EXT_COST,
                valueMoney={"value": float(dispensing.cost), "currency": "CNY"},
            ),
        ],
    }


def bundle_export(enrolments) -> dict:
    """Return the registry's patients as a validated FHIR R4 collection bundle."""
    resources: list[dict] = []
    hospitals: dict[str, Hospital] = {}
    enrolments = enrolments.select_related("person", "hospital").order_by("pk")
    health = {
        h.person_id: h
        for h in PersonHealth.objects.filter(
            person__in=[e.person_id for e in enrolments]
        )
    }
    for enrolment in enrolments:
        hospitals[enrolment.hospital.code] = enrolment.hospital
    for hospital in sorted(hospitals.values(), key=lambda h: h.code):
        resources.append(_organization(hospital))
    for enrolment in enrolments:
        pid = str(enrolment.public_id)
        resources.append(_patient(enrolment.person, pid))
        resources.append(_condition(enrolment, health.get(enrolment.person_id), pid))
        for follow_up in enrolment.follow_ups.order_by("visited_on", "pk"):
            encounter = _encounter(follow_up, pid, enrolment.hospital)
            resources.append(encounter)
            for code, display, value, unit, ucum in (
                (
                    HBA1C,
                    "Hemoglobin A1c/Hemoglobin.total in Blood",
                    follow_up.hba1c,
                    "%",
                    "%",
                ),
                (
                    FASTING_GLUCOSE,
                    "Fasting glucose [Moles/volume] in Serum or Plasma",
                    follow_up.fasting_glucose,
                    "mmol/L",
                    "mmol/L",
                ),
            ):
                if value is not None:
                    resources.append(
                        _observation(
                            follow_up,
                            pid,
                            encounter["id"],
                            code,
                            display,
                            value,
                            unit,
                            ucum,
                        )
                    )
        for dispensing in enrolment.dispensings.order_by("dispensed_on", "pk"):
            resources.append(_dispense(dispensing, pid))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": f"{NS}{r['resourceType']}/{r['id']}",
                "resource": _validated(r),
            }
            for r in resources
        ],
    }
    return _validated(bundle)


# --- import --------------------------------------------------------------


def _loc_path(loc: tuple, entries: list) -> str:
    """Return a readable path: entry[3].resource(Patient/x).birthDate."""
    parts: list[str] = []
    index = None
    for i, part in enumerate(loc):
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
            if i == 1 and loc[0] == "entry":
                index = part
        else:
            parts.append(str(part))
    path = ".".join(parts)
    if index is not None and index < len(entries):
        resource = (entries[index] or {}).get("resource") or {}
        label = f"resource({resource.get('resourceType')}/{resource.get('id')})"
        path = path.replace(f"entry[{index}].resource", f"entry[{index}].{label}", 1)
    return path


def bundle_validate(data: Any) -> list[dict]:
    """Validate the whole bundle with `fhir.resources`; return its resources."""
    from fhir.resources.R4B.bundle import Bundle

    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise FhirImportError("resourceType", "not a FHIR Bundle")
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        raise FhirImportError("entry", "must be a list")
    try:
        Bundle.model_validate(data)
    except PydanticError as error:
        first = error.errors()[0]
        raise FhirImportError(_loc_path(first["loc"], entries), first["msg"]) from None
    return [(entry or {}).get("resource") or {} for entry in entries]


def _identifier(resource: dict, system: str) -> str | None:
    for identifier in resource.get("identifier") or []:
        if identifier.get("system") == system:
            return identifier.get("value")
    return None


def _extension(resource: dict, url: str, key: str):
    for extension in resource.get("extension") or []:
        if extension.get("url") == url:
            return extension.get(key)
    return None


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except (TypeError, ValueError):
        return None


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _subject(resource: dict, where: str) -> str:
    reference = (resource.get("subject") or {}).get("reference") or ""
    if not reference.startswith("Patient/"):
        raise FhirImportError(f"{where}.subject", "must refer to a Patient")
    return reference.removeprefix("Patient/")


def _money(resource: dict, url: str) -> Decimal:
    found = _extension(resource, url, "valueMoney") or {}
    return Decimal(str(found.get("value", "0"))).quantize(Decimal("0.01"))


@transaction.atomic
def bundle_import(data: Any, *, actor=None) -> dict[str, int]:
    """Import a validated bundle in one transaction; return counts written."""
    from equiserve.health import services

    resources = bundle_validate(data)
    where = {
        id(r): f"entry[{i}].resource({r.get('resourceType')}/{r.get('id')})"
        for i, r in enumerate(resources)
    }
    counts = {"patients": 0, "follow_ups": 0, "dispensings": 0}
    hospitals: dict[str, Hospital] = {}
    for r in resources:
        if r.get("resourceType") == "Organization":
            code = _identifier(r, HOSPITAL_CODE) or r.get("id")
            hospital = Hospital.objects.filter(code=code).first()
            if hospital is None:
                hospital = Hospital(
                    code=code,
                    name=r.get("name") or code,
                    grade=_extension(r, EXT_HOSPITAL_GRADE, "valueCode") or "",
                    town_id=((r.get("address") or [{}])[0]).get("district"),
                )
                _save(hospital, where[id(r)])
            hospitals[r.get("id")] = hospitals[code] = hospital
    patients = {r.get("id"): r for r in resources if r.get("resourceType") == "Patient"}
    conditions = {}
    for r in resources:
        if r.get("resourceType") == "Condition":
            conditions[_subject(r, where[id(r)])] = r
    enrolments: dict[str, Enrolment] = {}
    for pid, patient in patients.items():
        path = where[id(patient)]
        condition = conditions.get(pid)
        if condition is None:
            raise FhirImportError(path, "no type-1 diabetes Condition for this Patient")
        enrolments[pid] = _enrolment(
            pid, patient, condition, hospitals, path, where[id(condition)], actor
        )
        counts["patients"] += 1
    encounters: dict[str, FollowUp | None] = {}
    for r in resources:
        if r.get("resourceType") != "Encounter":
            continue
        path = where[id(r)]
        enrolment = enrolments.get(_subject(r, path))
        if enrolment is None:
            raise FhirImportError(
                f"{path}.subject", "refers to no Patient of the bundle"
            )
        existing = enrolment.follow_ups.filter(fhir_id=r["id"]).first()
        if existing is not None:
            encounters[r["id"]] = None
            continue
        follow_up = services.follow_up_record(
            enrolment=enrolment,
            visited_on=_day((r.get("period") or {}).get("start")),
            insulin_regimen=_extension(r, EXT_REGIMEN, "valueCode") or "other",
            hypoglycaemia_events=_extension(r, EXT_HYPO, "valueInteger") or 0,
            actor=actor,
        )
        follow_up.fhir_id = r["id"]
        follow_up.save(update_fields=["fhir_id"])
        encounters[r["id"]] = follow_up
        counts["follow_ups"] += 1
    for r in resources:
        if r.get("resourceType") != "Observation":
            continue
        path = where[id(r)]
        reference = (r.get("encounter") or {}).get("reference") or ""
        key = reference.removeprefix("Encounter/")
        if key not in encounters:
            raise FhirImportError(
                f"{path}.encounter", "refers to no Encounter of the bundle"
            )
        follow_up = encounters[key]
        if follow_up is None:
            continue
        codes = {c.get("code") for c in (r.get("code") or {}).get("coding") or []}
        value = Decimal(str((r.get("valueQuantity") or {}).get("value")))
        if HBA1C in codes:
            follow_up.hba1c = value.quantize(Decimal("0.1"))
        elif FASTING_GLUCOSE in codes:
            follow_up.fasting_glucose = value.quantize(Decimal("0.1"))
        else:
            raise FhirImportError(
                f"{path}.code", "neither HbA1c (LOINC 4548-4) nor fasting glucose"
            )
        _save(follow_up, path)
    for r in resources:
        if r.get("resourceType") != "MedicationDispense":
            continue
        path = where[id(r)]
        enrolment = enrolments.get(_subject(r, path))
        if enrolment is None:
            raise FhirImportError(
                f"{path}.subject", "refers to no Patient of the bundle"
            )
        if enrolment.dispensings.filter(fhir_id=r["id"]).exists():
            continue
        medication = r.get("medicationCodeableConcept") or {}
        item = next(
            (
                c.get("code")
                for c in medication.get("coding") or []
                if c.get("system") == ITEM
            ),
            None,
        )
        try:
            dispensing = services.dispensing_record(
                enrolment=enrolment,
                dispensed_on=_day(r.get("whenHandedOver")),
                item=item or "",
                product=medication.get("text") or "",
                quantity=int((r.get("quantity") or {}).get("value") or 0),
                unit_cost=_money(r, EXT_UNIT_COST),
                actor=actor,
            )
        except Exception as error:
            raise FhirImportError(path, _messages(error)) from None
        dispensing.fhir_id = r["id"]
        dispensing.save(update_fields=["fhir_id"])
        counts["dispensings"] += 1
    return counts


def _messages(error) -> str:
    return "; ".join(getattr(error, "messages", None) or [str(error)])


def _save(record, path: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        record.full_clean()
    except ValidationError as error:
        raise FhirImportError(path, _messages(error)) from None
    record.save()


def _enrolment(pid, patient, condition, hospitals, path, condition_path, actor):
    from equiserve.health import services

    id_number = _identifier(patient, ID_NUMBER)
    if not id_number:
        raise FhirImportError(f"{path}.identifier", "no resident ID number")
    key = _uuid(pid)
    existing = Enrolment.objects.filter(
        Q(public_id=key) if key else Q(person__id_number=id_number)
    ).first()
    if existing is not None:
        return existing
    person = Person.objects.filter(id_number=id_number).first()
    if person is None:
        person = Person(
            key=_identifier(patient, PERSON_KEY) or f"fhir-{pid[:26]}",
            id_number=id_number,
            name=((patient.get("name") or [{}])[0]).get("text") or "",
            sex=SEX.get(patient.get("gender"), ""),
            birth_date=_day(patient.get("birthDate")),
            death_date=_day(patient.get("deceasedDateTime")),
            town_id=((patient.get("address") or [{}])[0]).get("district"),
            hukou=_extension(patient, EXT_HUKOU, "valueCode") or "",
        )
        _save(person, path)
    health = PersonHealth.objects.filter(person=person).first() or PersonHealth(
        person=person
    )
    health.t1d_diagnosed = _day(condition.get("onsetDateTime"))
    health.t1d_hospital_grade = _extension(condition, EXT_GRADE, "valueCode") or ""
    _save(health, condition_path)
    asserter = (condition.get("asserter") or {}).get("identifier") or {}
    hospital = (
        hospitals.get(asserter.get("value"))
        or Hospital.objects.filter(code=asserter.get("value")).first()
    )
    if hospital is None:
        raise FhirImportError(f"{condition_path}.asserter", "names no known hospital")
    from django.core.exceptions import ValidationError

    try:
        enrolment = services.enrolment_create(
            person=person,
            hospital=hospital,
            enrolled_on=_day(condition.get("recordedDate")),
            actor=actor,
        )
    except ValidationError as error:
        raise FhirImportError(condition_path, _messages(error)) from None
    left = _extension(condition, EXT_LEFT, "valueDate")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        public_id=key or enrolment.public_id, left_on=_day(left)
    )
    enrolment.refresh_from_db()
    return enrolment
