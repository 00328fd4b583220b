"""The evaluate contract (shared spec evaluate.md): validate a request, answer it.

`parse_request` turns a request (JSON text, bytes or a dict) into frames, collecting
EVERY error with its path (``persons[0].birth_date``) and a message in the chosen
language; `evaluate_request` answers it. Invalid requests get no partial answer.

Unknown fields are not errors (the contract lets callers add fields) but are not
silently dropped either: they come back as ``warnings`` beside the answer, in
the errors' shape. A guardian who is not among the persons is a warning too.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from equiserve.policy.inputs import InputField, ObjectField, town_codes
from equiserve.policy.messages import check_language, message
from equiserve.policy.plan import OverrideError, Plan, load_plan

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOP_LEVEL = ("date", "parameters", "households", "persons")


class ContractError(ValueError):
    """An invalid request; `errors` is the list of {"path", "code", "message"}."""

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__(json.dumps(errors, ensure_ascii=False))

    def body(self) -> dict[str, Any]:
        return {"errors": self.errors}


@dataclass
class Request:
    """A valid request, as frames the engine reads."""

    date: dt.date
    persons: pl.DataFrame
    households: pl.DataFrame
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, default=str)


class _Collector:
    def __init__(self, lang: str):
        self.lang = lang
        self.errors: list[dict[str, str]] = []
        self.warnings: list[dict[str, str]] = []

    def error(self, path: str, code: str, **args: Any) -> None:
        self.errors.append(
            {
                "path": path,
                "code": code,
                "message": message("errors", code, self.lang, **args),
            }
        )

    def warn(self, path: str, code: str, **args: Any) -> None:
        self.warnings.append(
            {
                "path": path,
                "code": code,
                "message": message("errors", code, self.lang, **args),
            }
        )


def _parse_date(value: Any, path: str, out: _Collector) -> dt.date | None:
    if not isinstance(value, str) or not _DATE.match(value):
        out.error(path, "bad_date", value=_show(value))
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        out.error(path, "impossible_date", value=value)
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _choices(item: InputField, lang: str) -> str:
    """Return an enum's codes, each with its label: "urban (Urban), rural (Rural)".

    The code is what a caller sends; the label says what it means (issue 14).
    """
    shown = []
    for code in item.values:
        label = item.value_label(code, lang)
        if label == code:
            shown.append(code)
        else:
            shown.append(f"{code}（{label}）" if lang == "zh" else f"{code} ({label})")
    return ("、" if lang == "zh" else ", ").join(shown)


def _value(item: InputField, value: Any, path: str, out: _Collector) -> Any:
    """Return `value` checked against input `item` (None after recording an error)."""
    kind = item.type
    if kind in ("str", "ref"):
        if not isinstance(value, str):
            out.error(path, "not_string")
            return None
        if not value:
            out.error(path, "empty_string")
            return None
        return value
    if kind == "enum":
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and str(value) in item.values
        ):
            return str(value)
        if not isinstance(value, str) or value not in item.values:
            code = (
                "unknown_kind"
                if item.path[-1] in ("kind", "cause")
                else "unknown_value"
            )
            out.error(path, code, value=_show(value), choices=_choices(item, out.lang))
            return None
        return value
    if kind == "town":
        if not isinstance(value, str):
            out.error(path, "not_string")
            return None
        if value not in town_codes():
            out.error(path, "unknown_town", value=_show(value))
            return None
        return value
    if kind == "date":
        return _parse_date(value, path, out)
    if kind == "bool":
        if not isinstance(value, bool):
            out.error(path, "not_bool")
            return None
        return value
    if kind in ("count", "number", "money") and (
        isinstance(value, _OutOfRange) or _too_large(value)
    ):
        out.error(path, "too_large", value=str(value)[:40], limit=f"{LARGEST_NUMBER:,}")
        return None
    if kind == "count":
        if not _is_number(value) or value != int(value):
            out.error(path, "not_integer")
            return None
        if value < 0:
            out.error(path, "negative", value=_show(value))
            return None
        if item.minimum is not None and value < item.minimum:
            out.error(
                path, "below_minimum", value=_show(value), minimum=f"{item.minimum:g}"
            )
            return None
        return int(value)
    if kind in ("number", "money"):
        if not _is_number(value):
            out.error(path, "not_number")
            return None
        if value < 0:
            out.error(path, "negative", value=_show(value))
            return None
        if item.minimum is not None and value < item.minimum:
            out.error(
                path, "below_minimum", value=_show(value), minimum=f"{item.minimum:g}"
            )
            return None
        if kind == "money" and Decimal(str(value)).as_tuple().exponent < -2:
            out.error(path, "too_many_decimals", value=_show(value))
            return None
        if item.step is not None and Decimal(str(value)) % item.step != 0:
            # Points are half-points: 107.3 is a typing error, not 107.5 or 107.
            out.error(path, "not_in_steps", value=str(value), step=f"{item.step}")
            return None
        return float(value)
    raise AssertionError(kind)


def _entity(
    plan: Plan, entity: str, record: Any, path: str, out: _Collector
) -> dict[str, Any] | None:
    """Return the flat column values of one person or household (None if not an object)."""
    if not isinstance(record, dict):
        out.error(path, "not_object")
        return None
    fields = plan.inputs.top_level(entity)
    row: dict[str, Any] = {}
    for key, value in record.items():
        spec = fields.get(key)
        where = f"{path}.{key}"
        if spec is None:
            out.warn(where, "unknown_field")
            continue
        if value is None:
            continue
        if isinstance(spec, ObjectField):
            if not isinstance(value, dict):
                out.error(where, "not_object")
                continue
            # Given, even empty: its fields are unknown, not absent (issue 12).
            row[spec.column] = True
            inner = {f.path[-1]: f for f in spec.fields}
            for inner_key, inner_value in value.items():
                item = inner.get(inner_key)
                if item is None:
                    out.warn(f"{where}.{inner_key}", "unknown_field")
                    continue
                if inner_value is not None:
                    row[item.column] = _value(
                        item, inner_value, f"{where}.{inner_key}", out
                    )
            continue
        row[spec.column] = _value(spec, value, where, out)
    for item in plan.inputs.of(entity):
        if (
            item.required
            and row.get(item.column) is None
            and item.column not in _given(record, item)
        ):
            out.error(f"{path}.{item.json_name}", "required")
    return row


def _given(record: dict, item: InputField) -> set[str]:
    # A required field present but invalid already has its own error.
    value = record
    for part in item.path:
        if not isinstance(value, dict) or value.get(part) is None:
            return set()
        value = value[part]
    return {item.column}


def _frame(plan: Plan, entity: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {}
    for item in plan.inputs.of(entity):
        schema[item.column] = pl.Float64() if item.type == "money" else item.dtype
    for obj in plan.inputs.objects_of(entity):
        schema[obj.column] = pl.Boolean()
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.from_dicts(rows, schema=schema)


def _load(body: str | bytes | dict, out: _Collector) -> Any:
    if isinstance(body, dict):
        return body
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as error:
            out.error("", "malformed_json", detail=str(error))
            return None
    try:
        data = json.loads(
            body,
            parse_float=_bounded_decimal,
            parse_int=_bounded_int,
            parse_constant=_OutOfRange,
        )
    except json.JSONDecodeError as error:
        out.error(
            "",
            "malformed_json",
            detail=f"{error.msg} (line {error.lineno}, column {error.colno})",
        )
        return None
    except RecursionError:  # issue 10, finding 8: 50,000 nested brackets
        out.error("", "malformed_json", detail="nested too deeply")
        return None
    return data


# No figure of the plan comes near 10^12 (CNY, days, points); larger numbers,
# NaN and Infinity would overflow the engine's integer columns (issue 10, finding 8).
LARGEST_NUMBER = 10**12


class _OutOfRange:
    """A JSON number the contract refuses, kept as written for the error message."""

    def __init__(self, text: str):
        self.text = text[:40]

    def __str__(self) -> str:
        return self.text


def _bounded_int(text: str) -> int | _OutOfRange:
    # Compare lengths first: int() of a 100,000-digit string is itself slow.
    if len(text) > 16 or abs(int(text)) > LARGEST_NUMBER:
        return _OutOfRange(text)
    return int(text)


def _bounded_decimal(text: str) -> Decimal | _OutOfRange:
    number = Decimal(text)
    if not number.is_finite() or abs(number) > LARGEST_NUMBER:
        return _OutOfRange(text)
    return number


def _too_large(value: Any) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) > LARGEST_NUMBER
    if not _is_number(value):
        return False
    if isinstance(value, Decimal) and not value.is_finite():
        return True  # NaN and infinities
    return not math.isfinite(value) or abs(value) > LARGEST_NUMBER


def parse_request(
    body: str | bytes | dict, *, lang: str = "zh", plan: Plan | None = None
) -> Request:
    """Validate a request; raise ContractError listing every error."""
    check_language(lang)
    plan = plan or load_plan()
    out = _Collector(lang)
    data = _load(body, out)
    if out.errors:
        raise ContractError(out.errors)
    if not isinstance(data, dict):
        out.error("", "not_object")
        raise ContractError(out.errors)
    for key in data:
        if key not in _TOP_LEVEL:
            out.warn(key, "unknown_field")

    day = None
    if data.get("date") is None:
        out.error("date", "required")
    else:
        day = _parse_date(data["date"], "date", out)

    overrides: dict[str, dict[str, Any]] = {}
    raw_parameters = data.get("parameters")
    if raw_parameters is not None:
        if not isinstance(raw_parameters, dict):
            out.error("parameters", "not_object")
        else:
            overrides = raw_parameters
            try:
                plan.with_overrides(overrides)
            except OverrideError as error:
                for path, code, args in error.errors:
                    if code == "unknown_parameter":
                        args = _unknown_parameter(plan, args["value"])
                        code = args.pop("code")
                    out.error(
                        path,
                        code,
                        **{k: _show(v) if k == "value" else v for k, v in args.items()},
                    )

    households: list[dict[str, Any]] = []
    household_ids: set[str] = set()
    raw_households = data.get("households")
    if raw_households is not None and not isinstance(raw_households, list):
        out.error("households", "not_list")
        raw_households = None
    for index, record in enumerate(raw_households or []):
        path = f"households[{index}]"
        row = _entity(plan, "household", record, path, out)
        if row is None:
            continue
        if row.get("id") is not None:
            if row["id"] in household_ids:
                out.error(f"{path}.id", "duplicate_id", value=row["id"])
            household_ids.add(row["id"])
        households.append(row)

    persons: list[dict[str, Any]] = []
    person_ids: set[str] = set()
    raw_persons = data.get("persons")
    if raw_persons is None:
        out.error("persons", "required")
    elif not isinstance(raw_persons, list):
        out.error("persons", "not_list")
        raw_persons = None
    for index, record in enumerate(raw_persons or []):
        path = f"persons[{index}]"
        row = _entity(plan, "person", record, path, out)
        if row is None:
            continue
        if row.get("id") is not None:
            if row["id"] in person_ids:
                out.error(f"{path}.id", "duplicate_id", value=row["id"])
            person_ids.add(row["id"])
        persons.append(row)

    if out.errors:
        raise ContractError(out.errors)
    for index, row in enumerate(persons):
        if row.get("guardian") is not None and row["guardian"] not in person_ids:
            out.warn(
                f"persons[{index}].guardian", "unknown_guardian", value=row["guardian"]
            )
        if row.get("household") is not None and row["household"] not in household_ids:
            household_ids.add(row["household"])
            households.append({"id": row["household"]})
    return Request(
        date=day,
        persons=_frame(plan, "person", persons),
        households=_frame(plan, "household", households),
        overrides=overrides,
        warnings=out.warnings,
    )


def _unknown_parameter(plan: Plan, name: Any) -> dict[str, Any]:
    import difflib

    close = difflib.get_close_matches(str(name), list(plan.parameters), n=1)
    if close:
        return {"code": "unknown_parameter_hint", "value": name, "hint": close[0]}
    return {"code": "unknown_parameter", "value": name}


def evaluate_request(
    body: str | bytes | dict,
    *,
    explain: bool = False,
    lang: str = "zh",
    plan: Plan | None = None,
) -> dict[str, Any]:
    """Answer a request as the contract says; raise ContractError if it is invalid."""
    plan = plan or load_plan()
    request = parse_request(body, lang=lang, plan=plan)
    evaluation = plan.evaluate(
        request.persons,
        request.households,
        date=request.date,
        overrides=request.overrides or None,
        explain=explain,
        lang=lang,
        facts=True,
    )
    answer = evaluation.answer(lang)
    if request.warnings:
        answer["warnings"] = request.warnings
    return answer


def fact_label(path: str, *, lang: str = "zh", plan: Plan | None = None) -> str:
    """Return the label of the fact at a request path: "persons[0].death.date" → "date of death".

    Used to say which facts an undetermined answer still needs, in words.
    """
    check_language(lang)
    plan = plan or load_plan()
    match = re.match(r"^(persons|households)\[\d+\]\.(.+)$", path)
    if match is None:
        return path
    entity = "person" if match.group(1) == "persons" else "household"
    parts = tuple(match.group(2).split("."))
    for item in plan.inputs.of(entity):
        if item.path == parts:
            return item.label[lang]
    return parts[-1]


def dumps(payload: dict[str, Any]) -> str:
    """Return `payload` as the contract's JSON text (UTF-8 characters kept)."""
    return json.dumps(payload, ensure_ascii=False, indent=2)


def check_records(
    entity: str,
    records: Iterable[Any],
    *,
    lang: str = "en",
    plan: Plan | None = None,
    required: Iterable[str] = (),
) -> list[dict[str, str]]:
    """Return the contract's errors of person or household records, every one listed.

    The same field rules as a request (`parse_request`), for rows that do not
    come as one: the synthetic population is checked by them. `required` names
    fields a caller wants present besides those the contract requires.
    """
    check_language(lang)
    plan = plan or load_plan()
    fields = plan.inputs.top_level(entity)
    out = _Collector(lang)
    for index, record in enumerate(records):
        path = f"{entity}s[{index}]"
        if isinstance(record, dict):
            for name in required:
                spec = fields.get(name)
                already = isinstance(spec, InputField) and spec.required
                if record.get(name) is None and not already:
                    out.error(f"{path}.{name}", "required")
        _entity(plan, entity, record, path, out)
    return out.errors
