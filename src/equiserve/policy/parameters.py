"""Parameters: dated values in YAML files, one file per parameter.

The format is OpenFisca's, extended for this project::

    description: Average annual wage of urban on-the-job employees in the city
    label: {zh: 全市城镇单位在岗职工年平均工资, en: City average annual wage}
    unit: CNY
    period: year            # values keyed by statistical year; default: by date
    clause: "3.4.3"
    status: illustrative    # plan | statistic | illustrative | interpretation
    owner: statistics       # the department that sets or publishes the value
    metadata:
      reference: 中山市统计局 …
    values:
      "2014": {value: 55800, reference: "…"}
      "2017": {value: 68034, status: statistic, reference: "…"}

`values` are keyed by the date the value takes effect (`2014-01-01`) or, with
`period: year`, by the year the figure describes. Every value carries its own
`reference`; `status` may be set per value (a series can mix published and
illustrative years). `interpretation` marks the project's reading of words the
plan states without a figure or date ("from 2014, gradually"); its `note` or
reference gives the reasoning. `value: null` repeals the parameter from that date. The
file's path under `parameters/` is the name: `statistics/average_annual_wage.yaml`
is `statistics.average_annual_wage`.

Types: `money` (unit CNY…; held as integer fen), `int`, `number` (exact
Decimal), `str`, `bool`, `list` (of strings), `date`. The type is `type:` when
given, else money for a CNY unit, else taken from the values.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from equiserve.policy.yamlio import Node, YamlError, read_yaml

STATUSES = ("plan", "statistic", "illustrative", "interpretation")
# Status of a value given in a what-if run; never written in a plan file.
OVERRIDE = "override"
TYPES = ("money", "int", "number", "str", "bool", "list", "date")
PERIODS = ("date", "year")

_KEYS = {
    "description",
    "label",
    "unit",
    "type",
    "period",
    "clause",
    "status",
    "owner",
    "metadata",
    "values",
    "documentation",
}
_REQUIRED = ("description", "label", "unit", "clause", "status", "owner", "metadata")
_METADATA_KEYS = {"reference", "note"}
_VALUE_KEYS = {"value", "reference", "status", "note"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


class ParameterError(YamlError):
    """A parameter file that breaks the format; names file and line."""


@dataclass(frozen=True)
class ParameterValue:
    """One value of a parameter, in force from `start` (a date or a year)."""

    start: dt.date | int
    value: Any  # Python value; money as Decimal CNY; None = repealed
    reference: str
    status: str
    line: int = 0

    @property
    def start_text(self) -> str:
        return (
            self.start.isoformat()
            if isinstance(self.start, dt.date)
            else str(self.start)
        )


@dataclass(frozen=True)
class Parameter:
    """A named, dated parameter of the plan."""

    name: str
    description: str
    label: dict[str, str]
    unit: str
    type: str
    period: str
    clause: str
    status: str
    owner: str
    reference: str
    values: tuple[ParameterValue, ...]
    file: Path | None = None
    line: int = 0
    overridden: bool = False
    _starts: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "_starts", tuple(v.start for v in self.values))

    def at(self, day: dt.date) -> ParameterValue | None:
        """Return the value in force on `day` (None before the first or if repealed)."""
        if self.period == "year":
            return self.for_year(day.year)
        index = bisect.bisect_right(self._starts, day) - 1
        if index < 0:
            return None
        found = self.values[index]
        return None if found.value is None else found

    def for_year(self, year: int) -> ParameterValue | None:
        """Return the value describing `year` in a yearly series (None if absent)."""
        if self.period != "year":
            raise TypeError(f"{self.name} is keyed by date, not by year")
        index = bisect.bisect_left(self._starts, year)
        if index < len(self._starts) and self._starts[index] == year:
            found = self.values[index]
            return None if found.value is None else found
        return None

    def with_values(self, values: list[ParameterValue]) -> Parameter:
        """Return a copy whose values are `values` (a what-if override)."""
        return replace(
            self, values=tuple(sorted(values, key=lambda v: v.start)), overridden=True
        )

    def change_dates(self) -> list[dt.date]:
        """Return the dates the value changes on (none for a yearly series)."""
        if self.period == "year":
            return []
        return [v.start for v in self.values]


def to_fen(value: Decimal | int) -> int:
    """Return CNY `value` as integer fen; it must be a whole number of fen."""
    fen = Decimal(value) * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{value} is not a whole number of fen")
    return int(fen)


def parse_period(text: str, period: str) -> dt.date | int:
    """Parse a `values` key: an ISO date, or a year for `period: year`."""
    if period == "year":
        if not _YEAR.match(text):
            raise ValueError(f"expected a year such as 2014, got {text!r}")
        return int(text)
    if not _DATE.match(text):
        raise ValueError(f"expected a date such as 2014-01-01, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"impossible date {text!r}") from error


def check_value(value: Any, kind: str) -> Any:
    """Return `value` converted to parameter type `kind`; raise ValueError if it is not one."""
    if value is None:
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
    elif kind in ("number", "money"):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            number = Decimal(value)
            if kind == "money":
                to_fen(number)
            return number
        if isinstance(value, float):
            return check_value(Decimal(repr(value)), kind)
    elif kind == "str":
        if isinstance(value, str):
            return value
    elif kind == "list":
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
    elif kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
    raise ValueError(f"expected a value of type {kind}, got {value!r}")


def _infer_type(unit: str, values: list[Any]) -> str:
    if unit.upper().startswith("CNY"):
        return "money"
    present = [v for v in values if v is not None]
    if not present:
        return "number"
    if all(isinstance(v, bool) for v in present):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if all(isinstance(v, (int, Decimal)) and not isinstance(v, bool) for v in present):
        return "number"
    if all(isinstance(v, str) for v in present):
        return "str"
    if all(isinstance(v, list) for v in present):
        return "list"
    if all(isinstance(v, dt.date) for v in present):
        return "date"
    return "mixed"


def _label(node: Node, path: Path, key: str) -> dict[str, str]:
    if not isinstance(node.value, dict) or set(node.value) != {"zh", "en"}:
        raise ParameterError(path, node.where, f"{key} needs exactly zh and en texts")
    texts = {lang: child.value for lang, child in node.value.items()}
    if not all(isinstance(t, str) and t.strip() for t in texts.values()):
        raise ParameterError(path, node.where, f"{key} texts must be non-empty strings")
    return texts


def load_parameter(
    path: Path, name: str, departments: set[str] | None = None
) -> Parameter:
    """Read one parameter file; raise ParameterError naming the file and line."""
    try:
        root = read_yaml(path)
    except ParameterError:
        raise
    except YamlError as error:
        raise ParameterError(error.path, error.line, error.message) from error
    if root is None or not isinstance(root.value, dict):
        raise ParameterError(path, root.line if root else None, "expected a mapping")
    data: dict[str, Node] = root.value
    for key, child in data.items():
        if key not in _KEYS:
            raise ParameterError(
                path,
                child.where,
                f"unknown key {key!r} (allowed: {', '.join(sorted(_KEYS))})",
            )
    for key in _REQUIRED:
        if key not in data:
            raise ParameterError(path, root.line, f"missing key {key!r}")
    if "values" not in data:
        raise ParameterError(path, root.line, "missing key 'values'")

    def text(key: str) -> str:
        value = data[key].value
        if not isinstance(value, str) or not value.strip():
            raise ParameterError(
                path, data[key].where, f"{key} must be a non-empty string"
            )
        return value

    status = text("status")
    if status not in STATUSES:
        raise ParameterError(
            path,
            data["status"].where,
            f"status {status!r} is not one of {', '.join(STATUSES)}",
        )
    owner = text("owner")
    if departments is not None and owner not in departments:
        raise ParameterError(
            path, data["owner"].where, f"owner {owner!r} is not a known department"
        )
    period = data["period"].value if "period" in data else "date"
    if period not in PERIODS:
        raise ParameterError(
            path, data["period"].where, f"period must be date or year, not {period!r}"
        )
    metadata = data["metadata"]
    if not isinstance(metadata.value, dict):
        raise ParameterError(path, metadata.where, "metadata must be a mapping")
    for key, child in metadata.value.items():
        if key not in _METADATA_KEYS:
            raise ParameterError(path, child.where, f"unknown metadata key {key!r}")
    reference = metadata.value.get("reference")
    if (
        reference is None
        or not isinstance(reference.value, str)
        or not reference.value.strip()
    ):
        raise ParameterError(path, metadata.where, "metadata.reference is missing")
    clause = data["clause"].value
    if not isinstance(clause, str):
        raise ParameterError(
            path, data["clause"].where, 'clause must be a quoted string such as "3.4.3"'
        )

    values_node = data["values"]
    if not isinstance(values_node.value, dict) or not values_node.value:
        raise ParameterError(
            path, values_node.where, "values must be a non-empty mapping"
        )
    raw: list[tuple[str, Node, Node | None]] = []
    for key, child in values_node.value.items():
        if not isinstance(child.value, dict):
            raise ParameterError(
                path,
                child.where,
                f"value {key} must be a mapping with value and reference",
            )
        for value_key, grandchild in child.value.items():
            if value_key not in _VALUE_KEYS:
                raise ParameterError(
                    path, grandchild.where, f"unknown key {value_key!r} in value {key}"
                )
        if "value" not in child.value:
            raise ParameterError(path, child.where, f"value {key} has no 'value'")
        raw.append((key, child, child.value.get("reference")))

    unit = data["unit"].value
    if not isinstance(unit, str):
        raise ParameterError(path, data["unit"].where, "unit must be a string")
    kind = (
        data["type"].value
        if "type" in data
        else _infer_type(unit, [child.value["value"].plain() for _, child, _ in raw])
    )
    if kind not in TYPES:
        raise ParameterError(
            path,
            (data.get("type") or values_node).where,
            f"type {kind!r} is not one of {', '.join(TYPES)}",
        )

    values: list[ParameterValue] = []
    for key, child, ref in raw:
        try:
            start = parse_period(key, period)
        except ValueError as error:
            raise ParameterError(path, child.where, str(error)) from error
        if ref is None or not isinstance(ref.value, str) or not ref.value.strip():
            raise ParameterError(path, child.where, f"value {key} has no reference")
        value_status = (
            child.value["status"].value if "status" in child.value else status
        )
        if value_status not in STATUSES:
            raise ParameterError(
                path,
                child.value["status"].where,
                f"status {value_status!r} is not one of {', '.join(STATUSES)}",
            )
        try:
            value = check_value(child.value["value"].plain(), kind)
        except ValueError as error:
            raise ParameterError(
                path, child.value["value"].where, str(error)
            ) from error
        values.append(
            ParameterValue(start, value, ref.value, value_status, child.where)
        )
    values.sort(key=lambda v: v.start)
    return Parameter(
        name=name,
        description=text("description"),
        label=_label(data["label"], path, "label"),
        unit=unit,
        type=kind,
        period=period,
        clause=clause,
        status=status,
        owner=owner,
        reference=reference.value,
        values=tuple(values),
        file=path,
        line=root.line,
    )


def load_parameters(
    directory: Path, departments: set[str] | None = None
) -> dict[str, Parameter]:
    """Read every `*.yaml` under `directory`; the relative path is the name."""
    parameters: dict[str, Parameter] = {}
    for path in sorted(directory.rglob("*.yaml")):
        relative = path.relative_to(directory).with_suffix("")
        name = ".".join(relative.parts)
        if not _NAME.match(name):
            raise ParameterError(
                path, None, f"file name gives an invalid parameter name {name!r}"
            )
        parameters[name] = load_parameter(path, name, departments)
    return parameters


def override_values(
    parameter: Parameter, mapping: dict[str, Any]
) -> tuple[Parameter | None, list[tuple[str, str, dict]]]:
    """Return `parameter` with `mapping` ({period: value}) as its values, or errors.

    Errors are (period key, message key, arguments) for the contract's messages.
    """
    errors: list[tuple[str, str, dict]] = []
    values: list[ParameterValue] = []
    for key, raw in mapping.items():
        try:
            start = parse_period(str(key), parameter.period)
        except ValueError:
            errors.append(
                (
                    str(key),
                    "bad_period_year"
                    if parameter.period == "year"
                    else "bad_period_date",
                    {"value": key},
                )
            )
            continue
        try:
            value = check_value(raw, parameter.type)
        except (ValueError, ArithmeticError):
            errors.append(
                (
                    str(key),
                    "bad_parameter_value",
                    {"type": parameter.type, "value": raw},
                )
            )
            continue
        if (
            value is not None
            and parameter.type in ("money", "number", "int")
            and value < 0
        ):
            errors.append((str(key), "negative", {"value": raw}))
            continue
        values.append(ParameterValue(start, value, "what-if override", OVERRIDE))
    if errors:
        return None, errors
    return parameter.with_values(values), []
