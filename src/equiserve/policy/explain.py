"""Explain an output for one person or household: the clause, why, and the steps.

An explanation is ``{"clause", "text", "steps"}``. The text says which condition
held or failed (eligibilities are lists of named conditions; the first failing
one is reported), that it cannot be decided yet and which facts it needs (an
undetermined eligibility, issue 12), or that the programme had not yet taken
effect. The steps list
the inputs read, each parameter value with its effective date and status, and the
arithmetic (from the variable's `steps` function).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from equiserve.policy.compiler import (
    Compiled,
    Use,
    VarInfo,
    condition_column,
    foreign_fact,
    guard_column,
    key_column,
    missing_column,
)
from equiserve.policy.messages import departments, message, unit

if TYPE_CHECKING:
    from equiserve.policy.plan import Plan

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


def format_money(fen: int | None, lang: str, with_unit: bool = False) -> str:
    """Return integer fen as money: 22000000 → "¥220,000.00" (issue 14).

    The same form as `equiserve.formatting.money`, written here because the engine
    imports no Django; `with_unit` is kept for callers and changes nothing.
    """
    if fen is None:
        return message("explain", "not_given", lang)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def format_value(value: Any, kind: str, lang: str, unit_name: str | None = None) -> str:
    """Return `value` of type `kind` as readable text in `lang`."""
    if value is None:
        return message("explain", "not_given", lang)
    if kind == "money":
        return format_money(value, lang, with_unit=True)
    if kind == "bool":
        return message("explain", "true" if value else "false", lang)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        if not value:
            return message("explain", "empty_list", lang)
        return message("explain", "list_separator", lang).join(str(v) for v in value)
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    suffix = unit(unit_name, lang, count=value)
    if not suffix:
        return text
    return f"{text}{suffix}" if lang == "zh" else f"{text} {suffix}"


def format_parameter_value(value: Any, kind: str, unit_name: str, lang: str) -> str:
    """Return a parameter value (money as Decimal CNY) as text."""
    if value is None:
        return message("explain", "not_given", lang)
    if kind == "money":
        from equiserve.policy.parameters import to_fen

        return format_money(to_fen(value), lang, with_unit=True)
    if kind in ("number", "int"):
        number = float(value)
        return format_value(
            int(number) if number.is_integer() else number, "float", lang, unit_name
        )
    return format_value(
        list(value) if isinstance(value, tuple) else value, kind, lang, unit_name
    )


class Row:
    """One row's values, handed to a variable's `steps` function."""

    def __init__(
        self,
        values: dict[str, Any],
        types: dict[str, tuple[str, str | None]],
        lang: str,
        compiled: Compiled | None = None,
    ):
        self.values = values
        self.types = types
        self.lang = lang
        self.compiled = compiled

    def param(self, name: str) -> Any:
        """Return parameter `name` as in force on the evaluation date (None if none)."""
        found = self.compiled.parameters[name].at(self.compiled.date)
        return None if found is None else found.value

    def number(self, value: Any) -> str:
        """Return a number without trailing zeros: Decimal('3.0') → "3", 0.8 → "0.8"."""
        if value is None:
            return format_value(None, "float", self.lang)
        number = float(value)
        return (
            f"{int(number):,}" if number.is_integer() else f"{number:,.4f}".rstrip("0")
        )

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    def t(self, *, zh: str, en: str) -> str:
        """Return the text for the row's language."""
        return zh if self.lang == "zh" else en

    def money(self, name: str) -> str:
        """Return money column `name` as "¥60,000.00"."""
        return format_money(self.values.get(name), self.lang)

    def fmt(self, name: str) -> str:
        """Return column `name` formatted by its type, with its unit."""
        kind, unit_name = self.types.get(name, ("str", None))
        return format_value(self.values.get(name), kind, self.lang, unit_name)


@dataclass
class Closure:
    """What one output rests on: inputs, values linked from other rows, parameters."""

    inputs: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    uses: list[tuple[str, Use, int | None]] = field(
        default_factory=list
    )  # owner, use, key index


class Explainer:
    """Explain the outputs of one compiled evaluation (reused: see `explainer`)."""

    def __init__(self, plan: Plan, compiled: Compiled, lang: str):
        self.plan = plan
        self.compiled = compiled
        self.lang = lang
        self._closures: dict[str, Closure] = {}
        self._static: dict[str, list[str]] = {}
        self._fields = {
            e: {f.column: f for f in plan.inputs.of(e)} for e in ("person", "household")
        }
        self._types: dict[str, dict[str, tuple[str, str | None]]] = {
            "person": {},
            "household": {},
        }
        for item in plan.inputs.fields:
            self._types[item.entity][item.column] = (_input_kind(item.type), None)
        for variable in plan.variables.values():
            self._types[variable.entity][variable.name] = (variable.type, variable.unit)

    def closure(self, name: str) -> Closure:
        found = self._closures.get(name)
        if found is not None:
            return found
        info = self.compiled.info
        root = info[name]
        result = Closure()
        seen: set[str] = set()
        stack = [name]
        if root.variable.gate:
            stack.append(root.variable.gate)
        entity = root.entity
        inputs = self.compiled.inputs[entity]
        while stack:
            current = stack.pop(0)
            if current in seen:
                continue
            seen.add(current)
            item = info[current]
            if item.kind == "link" and current != name:
                result.linked.append(current)
                continue
            key_index = 0
            for use in item.uses:
                if use.key is not None:
                    result.uses.append((current, use, key_index))
                    key_index += 1
                else:
                    result.uses.append((current, use, None))
            for dep_entity, dep in sorted(item.deps):
                if dep_entity != entity:
                    continue
                if dep in info and info[dep].entity == entity:
                    stack.append(dep)
                elif dep in inputs and dep not in result.inputs:
                    result.inputs.append(dep)
        self._closures[name] = result
        return result

    def explain(self, name: str, row: dict[str, Any]) -> dict[str, Any]:
        """Return the explanation of output `name` for the row `row`."""
        info = self.compiled.info[name]
        variable = info.variable
        lang = self.lang
        types = self._types[variable.entity]
        view = Row(row, types, lang, self.compiled)
        value_text = (
            view.fmt(name)
            if row.get(name) is not None
            else message("explain", "no_value", lang)
        )
        label = variable.label[lang]
        clause = variable.clause or ""
        steps: list[str] = []
        if info.kind == "default":
            text = self._not_in_force(variable, value_text)
            return {"clause": clause, "text": _sentence(text, lang), "steps": steps}
        gate_holds = True
        if info.kind == "eligibility":
            text, gate_holds = self._eligibility(info, row)
        elif variable.gate:
            gate = self.compiled.info[variable.gate]
            if gate.kind == "default":
                text = self._not_in_force(variable, value_text)
                return {"clause": clause, "text": _sentence(text, lang), "steps": steps}
            reason, gate_holds = self._eligibility(gate, row)
            text = message(
                "explain",
                "gated_value",
                lang,
                label=label,
                clause=clause,
                value=value_text,
                reason=reason,
            )
        else:
            key = "value" if clause else "value_no_clause"
            text = message(
                "explain", key, lang, label=label, clause=clause, value=value_text
            )
        if info.kind == "link":
            link = info.link
            steps.append(
                message(
                    "explain",
                    f"link_{link.kind}",
                    lang,
                    how=link.how or "",
                    column=link.column or "*",
                )
            )
        steps.extend(self._input_steps(name, row, types))
        steps.extend(self._parameter_steps(name, row))
        if gate_holds and variable.explain_steps is not None:
            steps.extend(variable.explain_steps(view))
        return {"clause": clause, "text": _sentence(text, lang), "steps": steps}

    def _not_in_force(self, variable, value_text: str) -> str:
        lang = self.lang
        day = self.compiled.date
        start = variable.start
        common = {
            "label": variable.label[lang],
            "clause": variable.clause or "",
            "value": value_text,
        }
        if start is not None and day < start:
            return message(
                "explain",
                "not_in_force",
                lang,
                start=start.isoformat(),
                date=day.isoformat(),
                **common,
            )
        ended = max(
            (f.start for f in variable.formulas if f.start and f.start <= day),
            default=day,
        )
        return message("explain", "repealed", lang, start=ended.isoformat(), **common)

    def _eligibility(self, info: VarInfo, row: dict[str, Any]) -> tuple[str, bool]:
        """Return the eligibility's sentence and whether it holds (False: fails or undetermined)."""
        lang = self.lang
        variable = info.variable
        label = variable.label[lang]
        clause = variable.clause or ""
        conditions = info.eligibility.conditions
        texts, open_ = [], []
        for index, item in enumerate(conditions):
            if row.get(guard_column(variable.name, index)) is False:
                continue  # a requirement of the other route
            held = row.get(condition_column(variable.name, index))
            statement = self.fill(item.text[lang], row, variable.entity)
            if held is False:
                return (
                    message(
                        "explain",
                        "not_eligible",
                        lang,
                        label=label,
                        clause=clause,
                        condition=statement,
                    ),
                    False,
                )
            (texts if held else open_).append(statement)
        separator = message("explain", "list_separator", lang)
        if open_:
            facts = self.fact_labels(
                variable.entity, row.get(missing_column(variable.name))
            )
            return message(
                "explain",
                "undetermined",
                lang,
                label=label,
                clause=clause,
                conditions=separator.join(f"“{text}”" for text in open_),
                facts=separator.join(facts) or message("explain", "empty_list", lang),
            ), False
        return message(
            "explain",
            "eligible",
            lang,
            label=label,
            clause=clause,
            conditions=separator.join(texts),
        ), True

    def fact_labels(self, entity: str, tokens: list[str] | None) -> list[str]:
        """Return the labels of the facts an undetermined eligibility needs."""
        labels = []
        for token in tokens or []:
            foreign = foreign_fact(token)
            if foreign is None:
                labels.append(self._fact_label(entity, token))
                continue
            other, _row_id, column = foreign
            key = "guardian_fact" if other == "person" else "household_fact"
            labels.append(
                message(
                    "explain", key, self.lang, label=self._fact_label(other, column)
                )
            )
        return list(dict.fromkeys(labels))

    def _value(self, entity: str, column: str, value: Any) -> str:
        """Return a column's value as text; a vocabulary code as its label (issue 14)."""
        item = self._fields[entity].get(column)
        if item is not None and item.value_labels and value is not None:
            if isinstance(value, (list, tuple)):
                return message("explain", "list_separator", self.lang).join(
                    item.value_label(str(code), self.lang) for code in value
                ) or message("explain", "empty_list", self.lang)
            return item.value_label(str(value), self.lang)
        kind, unit_name = self._types[entity][column]
        return format_value(value, kind, self.lang, unit_name)

    def _parameter_value(self, value: Any, parameter) -> str:
        """Return a parameter value as text; a list of vocabulary codes as labels.

        A list (causes, school stages) names codes of the one vocabulary holding
        them all; it reads as their labels, never as the codes (issue 14).
        """
        if isinstance(value, (list, tuple)) and value:
            codes = {str(code) for code in value}
            for item in self.plan.inputs.enums().values():
                if codes <= set(item.values):
                    return message("explain", "list_separator", self.lang).join(
                        item.value_label(str(code), self.lang) for code in value
                    )
        return format_parameter_value(value, parameter.type, parameter.unit, self.lang)

    def _fact_label(self, entity: str, column: str) -> str:
        item = self.plan.inputs.field(entity, column)
        return column if item is None else item.label[self.lang]

    def fill(self, template: str, row: dict[str, Any], entity: str) -> str:
        """Fill `{column}` and `{parameter.name}` placeholders of a condition text."""
        types = self._types[entity]

        def replace(match: re.Match) -> str:
            key = match.group(1)
            if key in types:
                return self._value(entity, key, row.get(key))
            parameter = self.compiled.parameters.get(key)
            if parameter is not None and parameter.period == "date":
                found = parameter.at(self.compiled.date)
                value = None if found is None else found.value
                return self._parameter_value(value, parameter)
            if key == "date":
                return self.compiled.date.isoformat()
            return match.group(0)

        return _PLACEHOLDER.sub(replace, template)

    def _input_steps(self, name: str, row: dict[str, Any], types) -> list[str]:
        lang = self.lang
        closure = self.closure(name)
        entity = self.compiled.info[name].entity
        steps = []
        fields = self._fields[entity]
        for column in closure.inputs:
            item = fields.get(column)
            if item is None:
                continue  # an object's presence: its fields are the inputs shown
            steps.append(
                message(
                    "explain",
                    "input",
                    lang,
                    label=item.label[lang],
                    name=item.json_name,
                    value=self._value(entity, column, row.get(column)),
                )
            )
        for linked in closure.linked:
            variable = self.plan.variables[linked]
            kind, unit_name = types[linked]
            steps.append(
                message(
                    "explain",
                    "linked",
                    lang,
                    label=variable.label[lang],
                    name=linked,
                    value=format_value(row.get(linked), kind, lang, unit_name),
                )
            )
        return steps

    def _parameter_steps(self, name: str, row: dict[str, Any]) -> list[str]:
        """Return one step per parameter read: value, effective date, status, source."""
        static = self._static.get(name)
        if static is None:
            static = self._static[name] = self._dated_parameter_steps(name)
        keyed = [
            (owner, use, index)
            for owner, use, index in self.closure(name).uses
            if index is not None
        ]
        if not keyed:
            return list(static)
        lang = self.lang
        steps: list[str] = list(static)
        seen: set[tuple[str, Any]] = set()
        for owner, use, key_index in keyed:
            parameter = self.compiled.parameters[use.name]
            year = row.get(key_column(owner, key_index))
            if year is None or (use.name, year) in seen:
                continue
            seen.add((use.name, year))
            label = parameter.label[lang]
            found = parameter.for_year(int(year))
            if found is None:
                steps.append(
                    message(
                        "explain",
                        "parameter_year_missing",
                        lang,
                        label=label,
                        name=use.name,
                        year=year,
                    )
                )
                continue
            steps.append(
                message(
                    "explain",
                    "parameter_year",
                    lang,
                    label=label,
                    name=use.name,
                    year=year,
                    value=self._parameter_value(found.value, parameter),
                    status=self._status(found.status, parameter.owner),
                    reference=found.reference,
                )
            )
        return steps

    def _dated_parameter_steps(self, name: str) -> list[str]:
        lang = self.lang
        steps: list[str] = []
        seen: set[str] = set()
        for _, use, key_index in self.closure(name).uses:
            if key_index is not None or use.name in seen:
                continue
            seen.add(use.name)
            parameter = self.compiled.parameters[use.name]
            label = parameter.label[lang]
            found = parameter.at(self.compiled.date)
            if found is None:
                steps.append(
                    message(
                        "explain",
                        "parameter_missing",
                        lang,
                        label=label,
                        name=use.name,
                        date=self.compiled.date.isoformat(),
                    )
                )
                continue
            steps.append(
                message(
                    "explain",
                    "parameter",
                    lang,
                    label=label,
                    name=use.name,
                    value=self._parameter_value(found.value, parameter),
                    start=found.start_text,
                    status=self._status(found.status, parameter.owner),
                    reference=found.reference,
                )
            )
        return steps

    def _status(self, status: str, owner: str) -> str:
        owner_text = departments().get(owner, {}).get(self.lang, owner)
        return message("statuses", status, self.lang, owner=owner_text)


def _sentence(text: str, lang: str) -> str:
    return text[:1].upper() + text[1:] if lang == "en" else text


def _input_kind(kind: str) -> str:
    return {
        "count": "int",
        "number": "float",
        "money": "money",
        "date": "date",
        "bool": "bool",
    }.get(kind, "str")


def explainer(plan: Plan, compiled: Compiled, lang: str) -> Explainer:
    """Return the explainer of `compiled` in `lang`, made once and kept on it."""
    key = (id(plan), lang)
    found = compiled.explainers.get(key)
    if found is None:
        found = compiled.explainers[key] = Explainer(plan, compiled, lang)
    return found
