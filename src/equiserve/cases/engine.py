"""Assess a case with the policy engine and freeze what it used.

The engine reads only the columns the programme's outputs need
(`Compiled.input_columns`), so a funeral case never carries health facts. The
applicant's row is the registry's record with the application's stated facts
on top; the guardian's row is added when a rule reads it (3.4.2). The rules are
applied as on the day of application: a re-assessment after an appeal reads the
same parameter values, not today's.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings

from equiserve.cases.facts import FACTS, REGISTER_VALUES, registry_value
from equiserve.cases.programmes import Programme, health_facts
from equiserve.registry.models import Person, PersonHealth


@dataclass(frozen=True)
class EngineResult:
    plan: str
    evaluated_on: dt.date
    inputs: dict
    answer: dict[str, Any]
    explanations: dict[str, dict]
    parameters: dict[str, dict]
    eligible: bool
    proposal: dict


def _plan():
    from equiserve.rules import plan_gateway

    return plan_gateway.plan()


def _json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    if isinstance(value, str):
        return str(value)  # a model's TextChoices member is stored as its code
    return value


def _health(person: Person) -> PersonHealth | None:
    return PersonHealth.objects.filter(person=person).first()


def _person_row(
    person: Person,
    columns: list[str],
    facts: dict,
    *,
    applicant: bool = False,
    events: tuple[str, ...] = (),
    day: dt.date | None = None,
) -> dict:
    health = _health(person) if health_facts() & set(columns) else None
    row: dict[str, Any] = {}
    for column in columns:
        if column == "id":
            row[column] = person.key
        elif column == "household":
            row[column] = person.household.key if person.household_id else None
        elif column == "guardian":
            row[column] = person.guardian.key if person.guardian_id else None
        elif column == "town":
            row[column] = person.town_id
        elif column.endswith("_given") and column not in FACTS:
            # Applying under a programme asserts its event (a death, a diagnosis,
            # a discharge, a hardship): its facts not known are unknown, not
            # absent (issue 12). Any other event, and others' rows: given when a
            # fact of it is (a conscript applying is not thereby discharged).
            asserted = applicant and column.removesuffix("given") in events
            row[column] = True if asserted else None
        elif column in FACTS:
            stated = facts.get(column)
            row[column] = (
                stated
                if stated is not None
                else registry_value(person, health, column, day)
            )
        elif column in REGISTER_VALUES:
            row[column] = REGISTER_VALUES[column](person, day)
        else:
            value = getattr(person, column, None)
            row[column] = None if value == "" else _json(value)
    return row


def build_inputs(
    programme: Programme, applicant: Person, facts: dict, day: dt.date
) -> dict:
    """Return the engine's request for the applicant: {"persons": [...], "households": [...]}."""
    compiled = _plan().compile(day)
    outputs = set(programme.outputs)
    person_columns = compiled.input_columns(outputs, "person")
    household_columns = compiled.input_columns(outputs, "household")
    # The events the programme's facts are about: "veteran_" for veteran_kind.
    events = tuple(
        column.removesuffix("given")
        for column in person_columns
        if column.endswith("_given")
        and any(
            fact.startswith(column.removesuffix("given")) for fact in programme.facts
        )
    )
    persons = [
        _person_row(
            applicant, person_columns, facts, applicant=True, events=events, day=day
        )
    ]
    if "guardian" in person_columns and applicant.guardian_id:
        persons.append(_person_row(applicant.guardian, person_columns, {}, day=day))
    households = []
    if applicant.household_id:
        household = applicant.household
        households.append(
            {
                column: household.key
                if column == "id"
                else _json(getattr(household, column, None))
                for column in household_columns
            }
        )
    return {"persons": persons, "households": households}


def _frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """Return the rows as a frame typed like the plan's inputs (dates parsed)."""
    columns = list(rows[0])
    dtypes = {column: schema.get(column, pl.String) for column in columns}
    data = {
        column: [
            dt.date.fromisoformat(row[column])
            if dtypes[column] == pl.Date and isinstance(row[column], str)
            else row[column]
            for row in rows
        ]
        for column in columns
    }
    return pl.DataFrame(data, schema=dtypes, strict=False)


def _parameter_record(parameter, day: dt.date) -> dict:
    if parameter.period == "year":
        values = [v for v in parameter.values if v.value is not None]
    else:
        found = parameter.at(day)
        values = [found] if found is not None else []
    return {
        "label": dict(parameter.label),
        "unit": parameter.unit,
        "clause": parameter.clause,
        "owner": parameter.owner,
        "status": parameter.status,
        "values": [
            {
                "from": value.start_text,
                "value": _json(value.value),
                "status": value.status,
                "reference": value.reference,
            }
            for value in values
        ],
    }


def parameters_used(compiled, outputs: set[str], day: dt.date) -> dict[str, dict]:
    """Return every parameter the outputs read on `day`, with its value and reference."""
    names: set[str] = set()
    for name in compiled.needed(outputs):
        names.update(use.name for use in compiled.info[name].uses)
    return {
        name: _parameter_record(compiled.parameters[name], day)
        for name in sorted(names)
    }


def proposal_of(programme: Programme, answer: dict) -> dict:
    """Return what an approval would grant, from the engine's answer."""
    proposal: dict[str, Any] = {}
    if programme.amount_output:
        amount = answer.get(programme.amount_output) or 0
        proposal["amount"] = str(Decimal(str(amount)).quantize(Decimal("0.01")))
    if programme.items:
        applies = (
            set(answer.get(programme.items_output) or [])
            if programme.items_output
            else {item.code for item in programme.items}
        )
        items = {}
        for item in programme.items:
            if item.code not in applies:
                continue
            items[item.code] = (
                int(answer.get(item.limit_output) or 0)
                if item.limit_output
                else item.limit
            )
        proposal["items"] = items
    return proposal


def assess(
    programme: Programme, applicant: Person, facts: dict, day: dt.date
) -> EngineResult:
    """Run the engine for one case on `day`; return everything to freeze."""
    plan = _plan()
    inputs = build_inputs(programme, applicant, facts, day)
    schema_p = plan.inputs.columns("person")
    schema_h = plan.inputs.columns("household")
    persons = _frame(inputs["persons"], schema_p)
    households = (
        _frame(inputs["households"], schema_h) if inputs["households"] else None
    )
    evaluation = plan.evaluate(
        persons, households, date=day, outputs=programme.outputs, explain=True
    )
    full = evaluation.answer("zh")
    answer = {name: full["persons"][applicant.key][name] for name in programme.outputs}
    # Facts an undetermined output still needs, as paths into `inputs` (issue 12).
    undetermined = {
        name: paths
        for name, paths in full.get("undetermined", {}).get(applicant.key, {}).items()
        if name in programme.outputs
    }
    if undetermined:
        answer["undetermined"] = undetermined
    explanations = {}
    for lang in ("zh", "en"):
        explained = evaluation.explanations(lang)["persons"][applicant.key]
        explanations[lang] = {name: explained[name] for name in programme.outputs}
    compiled = plan.compile(day)
    return EngineResult(
        plan=Path(plan_dir()).name,
        evaluated_on=day,
        inputs=inputs,
        answer=answer,
        explanations=explanations,
        parameters=parameters_used(compiled, set(programme.outputs), day),
        eligible=answer.get(programme.eligibility) is True,
        proposal=proposal_of(programme, answer),
    )


def missing_facts(assessment, programme: Programme, lang: str) -> list[str]:
    """Return, in words, the facts an undetermined assessment still needs (issue 12).

    Empty when the assessment decided eligibility either way.
    """
    from django.utils.translation import gettext as _

    from equiserve.policy.contract import fact_label

    paths = (
        (assessment.answer or {}).get("undetermined", {}).get(programme.eligibility, [])
    )
    labels = []
    for path in paths:
        label = fact_label(path, lang="en" if lang == "en" else "zh", plan=_plan())
        if not path.startswith("persons[0]."):
            # The engine's other rows: the guardian (3.4.2) or the household.
            label = (
                _("the household's %(fact)s")
                if path.startswith("households")
                else _("the guardian's %(fact)s")
            ) % {"fact": label}
        labels.append(label)
    return list(dict.fromkeys(labels))


def plan_dir() -> Path:
    return Path(settings.EQUISERVE_PLAN_DIR)


def output_label(name: str, lang: str) -> str:
    """Return the engine output's label in `lang` ("zh" or "en")."""
    variable = _plan().variables.get(name)
    if variable is None:
        return name
    return variable.label.get("en" if lang == "en" else "zh", name)


def output_type(name: str) -> str:
    """Return the engine output's type ("bool", "money", "int", "list", …)."""
    variable = _plan().variables.get(name)
    return variable.type if variable is not None else ""
