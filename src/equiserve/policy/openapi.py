"""JSON Schemas of the evaluate contract, built from the plan's inputs and outputs.

The HTTP API documents its request, answer and error bodies with these, so the
OpenAPI document lists every input field and every output the plan computes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from equiserve.policy.contract import LARGEST_NUMBER, town_codes
from equiserve.policy.inputs import InputField
from equiserve.policy.parameters import Parameter
from equiserve.policy.plan import Plan

EXAMPLE_REQUEST = Path(__file__).with_name("example_request.json")
# "format: date" alone is a hint some tools skip; the pattern says it firmly.
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def example_request() -> dict[str, Any]:
    """Return the contract's example request."""
    return json.loads(EXAMPLE_REQUEST.read_text(encoding="utf-8"))


def _field_schema(item: InputField) -> dict[str, Any]:
    description = f"{item.label['en']} / {item.label['zh']}"
    schema: dict[str, Any]
    if item.type in ("str", "ref"):
        schema = {"type": "string", "minLength": 1}
    elif item.type == "enum":
        schema = {"type": "string", "enum": list(item.values)}
    elif item.type == "town":
        schema = {"type": "string", "enum": sorted(town_codes())}
    elif item.type == "date":
        schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    elif item.type == "bool":
        schema = {"type": "boolean"}
    elif item.type == "count":
        schema = {
            "type": "integer",
            "minimum": item.minimum or 0,
            "maximum": LARGEST_NUMBER,
        }
    elif item.type == "money":
        schema = {
            "type": "number",
            "minimum": 0,
            "maximum": LARGEST_NUMBER,
            "multipleOf": 0.01,
        }
        description += " (CNY)"
    else:
        # The contract refuses a negative number whatever the plan's minimum.
        schema = {
            "type": "number",
            "minimum": max(item.minimum or 0, 0),
            "maximum": LARGEST_NUMBER,
        }
        if item.step is not None:
            schema["multipleOf"] = float(item.step)  # points: half-points
    return {**schema, "description": description}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Return `schema` also accepting null, which the contract reads as not given."""
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    nullable = {**schema, "type": [*kinds, "null"]}
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


def _entity_schema(plan: Plan, entity: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, spec in plan.inputs.top_level(entity).items():
        if isinstance(spec, InputField):
            properties[name] = _field_schema(spec)
            if spec.required:
                required.append(name)
            else:
                properties[name] = _nullable(properties[name])
        else:
            properties[name] = _nullable(
                {
                    "type": "object",
                    "description": f"{spec.label['en']} / {spec.label['zh']}",
                    "properties": {
                        f.path[-1]: _nullable(_field_schema(f)) for f in spec.fields
                    },
                }
            )
    return {"type": "object", "required": required, "properties": properties}


# null: an undetermined output, or one that does not apply (contract evaluate.md).
_OUTPUT_TYPES = {
    "bool": {"type": ["boolean", "null"]},
    "int": {"type": ["integer", "null"]},
    "money": {"type": ["number", "null"]},
    "float": {"type": ["number", "null"]},
    "date": {"type": ["string", "null"], "format": "date"},
    "str": {"type": ["string", "null"]},
    "list": {"type": ["array", "null"], "items": {"type": "string"}},
}
# Issue 12: per id, each output left null by a fact not given → the facts' paths.
_UNDETERMINED = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}


def _outputs_schema(plan: Plan, entity: str) -> dict[str, Any]:
    properties = {}
    for name in plan.outputs(entity):
        variable = plan.variables[name]
        unit = " (CNY)" if variable.type == "money" else ""
        properties[name] = {
            **_OUTPUT_TYPES[variable.type],
            "description": f"{variable.label['en']}{unit}, clause {variable.clause} / {variable.label['zh']}",
        }
    return {"type": "object", "properties": properties, "required": list(properties)}


_EXPLANATION = {
    "type": "object",
    "properties": {
        "clause": {"type": "string", "description": "The clause the output implements"},
        "text": {"type": "string", "description": "Why, in the chosen language"},
        "steps": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Inputs read, parameter values with dates and status, arithmetic",
        },
    },
    "required": ["clause", "text", "steps"],
}

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "path": {"type": "string", "example": "persons[0].birth_date"},
                    "code": {"type": "string", "example": "impossible_date"},
                    "message": {"type": "string"},
                },
                "required": ["path", "message"],
            },
        }
    },
    "required": ["errors"],
}


_PARAMETER_VALUES = {
    "bool": {"type": "boolean"},
    "int": {"type": "integer", "minimum": 0, "maximum": LARGEST_NUMBER},
    "number": {"type": "number", "minimum": 0, "maximum": LARGEST_NUMBER},
    "money": {
        "type": "number",
        "minimum": 0,
        "maximum": LARGEST_NUMBER,
        "multipleOf": 0.01,
    },
    "str": {"type": "string"},
    "list": {"type": "array", "items": {"type": "string"}},
    "date": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
}


def _parameter_schema(parameter: Parameter) -> dict[str, Any]:
    """Return the schema of one parameter's what-if values, {period: value}."""
    value = _PARAMETER_VALUES.get(parameter.type, {})
    period = (
        {"type": "string", "pattern": "^[0-9]{4}$"}
        if parameter.period == "year"
        else {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    )
    return {
        "type": "object",
        "description": f"{parameter.label.get('en', parameter.name)}",
        "propertyNames": period,
        "additionalProperties": _nullable(value) if value else {},
    }


def request_schema(plan: Plan) -> dict[str, Any]:
    """Return the JSON Schema of an evaluate request."""
    return {
        "type": "object",
        "required": ["date", "persons"],
        "properties": {
            "date": {
                "type": "string",
                "format": "date",
                "pattern": DATE_PATTERN,
                "description": "The day the rules are applied on",
            },
            "parameters": {
                "type": ["object", "null"],
                "description": "What-if values, name → {period: value}; they replace the shipped values",
                "properties": {
                    name: _parameter_schema(parameter)
                    for name, parameter in sorted(plan.parameters.items())
                },
                "additionalProperties": False,
            },
            "households": {
                "type": ["array", "null"],
                "items": _entity_schema(plan, "household"),
            },
            "persons": {
                "type": "array",
                "items": _entity_schema(plan, "person"),
                "description": "Each person's id is unique within the request",
            },
        },
    }


def answer_schema(plan: Plan) -> dict[str, Any]:
    """Return the JSON Schema of an evaluate answer."""
    explanations = {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": _EXPLANATION,
        },
    }
    return {
        "type": "object",
        "required": ["date", "persons", "households"],
        "properties": {
            "date": {"type": "string", "format": "date"},
            "persons": {
                "type": "object",
                "additionalProperties": _outputs_schema(plan, "person"),
            },
            "households": {
                "type": "object",
                "additionalProperties": _outputs_schema(plan, "household"),
            },
            "explanations": {
                **explanations,
                "description": "With explain=true: person id → output → explanation",
            },
            "household_explanations": {
                **explanations,
                "description": "With explain=true: household id → output → explanation",
            },
            "undetermined": {
                **_UNDETERMINED,
                "description": "Person id → output left null by a fact not given → "
                "the facts still needed, as request paths (persons[0].hukou); "
                "absent when nothing is undetermined",
            },
            "household_undetermined": {
                **_UNDETERMINED,
                "description": "The same for household outputs",
            },
            "warnings": {
                **ERROR_SCHEMA["properties"]["errors"],
                "description": "Unknown fields ignored, unknown guardians",
            },
        },
    }
