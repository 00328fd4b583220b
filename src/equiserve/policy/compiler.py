"""Compile a plan's formulas, for one date and parameter set, into layered Polars steps.

`compile_plan` calls every formula in force on the date with a `Params`
accessor (which records the parameters it reads), checks the dependency graph
(unknown names, cycles), and orders the variables by dependency depth. `Compiled.
apply` then builds ONE lazy query over the persons and households frames: per
layer one `with_columns` per entity, a group-by + join for household aggregates,
a join for household values read by persons, and a self-join for guardians.

Eligibilities are three-valued (issue 12): true, false, or null where an unknown
fact decides. With `facts`, the query also gives, per eligibility, the list of
facts still needed (`missing_column`): the inputs that are null in a condition
that is null. A fact is an input column of the row (``hukou``) or of the row a
link reads (``@person:<id>:points`` for a guardian's points). A value gated on
an eligibility (``gate=``) is null where its eligibility is undetermined. The
conditions are then columns of their own, computed once; a single case lists
its facts after the run (`Compiled.add_missing`), where some are undetermined.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from equiserve.policy.model import Eligibility, Formula, Link, Variable
from equiserve.policy.parameters import Parameter, ParameterValue, to_fen

MONEY = pl.Int64()


class PlanLoadError(Exception):
    """A defect in a plan: the message names the file and line."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class UnknownParameter(Exception):
    def __init__(self, name: str, known: list[str]):
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        super().__init__(f"unknown parameter {name!r}{hint}")
        self.name = name


class MissingParameterValue(Exception):
    def __init__(self, name: str, day: dt.date):
        super().__init__(f"parameter {name!r} has no value in force on {day}")


@dataclass
class Use:
    """A parameter read by a formula; `key` is the row's year for a series lookup."""

    name: str
    key: pl.Expr | None = None


class Params:
    """The parameters as in force on `date`, handed to formulas.

    ``p("name")`` gives the Python value (money as Decimal CNY); ``p.fen``,
    ``p.lit``, ``p.ratio`` and ``p.by_year`` give it in the form a formula needs.
    A parameter with no value in force gives None (a null literal) so that the
    conditions reading it fail and say why; under `probe` (plan loading) it is an
    error instead, since a formula in force must have its parameters.
    """

    def __init__(
        self, parameters: dict[str, Parameter], day: dt.date, probe: bool = False
    ):
        self._parameters = parameters
        self.date = day
        self.probe = probe
        self.used: list[Use] = []

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise UnknownParameter(name, list(self._parameters)) from None

    def entry(self, name: str) -> ParameterValue | None:
        """Return the value record in force on the date (None if there is none)."""
        parameter = self.parameter(name)
        if parameter.period == "year":
            raise TypeError(f"{name} is a yearly series: read it with p.by_year")
        self.used.append(Use(name))
        found = parameter.at(self.date)
        if found is None and self.probe:
            raise MissingParameterValue(name, self.date)
        return found

    def __call__(self, name: str) -> Any:
        found = self.entry(name)
        return None if found is None else found.value

    def fen(self, name: str) -> int | None:
        """Return a money parameter as integer fen."""
        if self.parameter(name).type != "money":
            raise TypeError(f"{name} is not money")
        value = self(name)
        return None if value is None else to_fen(value)

    def ratio(self, name: str) -> Fraction | None:
        """Return a number parameter as an exact fraction."""
        value = self(name)
        return None if value is None else Fraction(Decimal(value))

    def lit(self, name: str) -> pl.Expr:
        """Return the value as a typed Polars literal (money in fen)."""
        parameter = self.parameter(name)
        value = self(name)
        return _literal(value, parameter.type)

    def by_year(self, name: str, year: pl.Expr) -> pl.Expr:
        """Return, per row, the series value for the year in `year` (null if absent)."""
        parameter = self.parameter(name)
        if parameter.period != "year":
            raise TypeError(f"{name} is keyed by date: read it with p(...)")
        self.used.append(Use(name, year))
        mapping = {
            v.start: _python(v.value, parameter.type)
            for v in parameter.values
            if v.value is not None
        }
        dtype = _dtype(parameter.type)
        if not mapping:
            # Null, but still read from `year`: the rules it comes from are then
            # computed, and the explanation can name the year that has no value.
            return pl.when(year.is_null()).then(None).otherwise(None).cast(dtype)
        return year.cast(pl.Int64).replace_strict(
            mapping, default=None, return_dtype=dtype
        )


def _dtype(kind: str) -> pl.DataType:
    return {
        "money": MONEY,
        "int": pl.Int64(),
        "number": pl.Float64(),
        "str": pl.String(),
        "bool": pl.Boolean(),
        "list": pl.List(pl.String()),
        "date": pl.Date(),
    }[kind]


def _python(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "money":
        return to_fen(value)
    if kind == "number":
        return float(value)
    if kind == "list":
        return list(value)
    return value


def _literal(value: Any, kind: str) -> pl.Expr:
    return pl.lit(_python(value, kind), dtype=_dtype(kind))


def mul_fraction(fen: pl.Expr, factor: Fraction | None) -> pl.Expr:
    """Return `fen` × `factor` in integer fen, rounded half up (non-negative amounts)."""
    if factor is None:
        return pl.lit(None, dtype=MONEY)
    numerator, denominator = factor.numerator, factor.denominator
    if denominator == 1:
        return fen * numerator
    return (fen * (2 * numerator) + denominator) // (2 * denominator)


def div_round(fen: pl.Expr, divisor: int) -> pl.Expr:
    """Return `fen` / `divisor` in integer fen, rounded half up (non-negative amounts)."""
    return (fen * 2 + divisor) // (2 * divisor)


@dataclass
class VarInfo:
    """A variable as compiled for one date."""

    variable: Variable
    formula: Formula | None
    kind: str  # expr | eligibility | link | default
    expr: pl.Expr | None = None
    eligibility: Eligibility | None = None
    link: Link | None = None
    deps: set[tuple[str, str]] = field(default_factory=set)
    uses: list[Use] = field(default_factory=list)
    layer: int = 0

    @property
    def name(self) -> str:
        return self.variable.name

    @property
    def entity(self) -> str:
        return self.variable.entity


def condition_column(name: str, index: int) -> str:
    return f"__c__{name}__{index}"


def missing_column(name: str) -> str:
    """Return the column listing the facts an undetermined `name` still needs."""
    return f"__m__{name}"


FOREIGN = "@"  # prefix of a fact of another row: "@person:<id>:<column>"


def foreign_fact(token: str) -> tuple[str, str, str] | None:
    """Return (entity, id, column) of a fact of another row, None for the row's own."""
    if not token.startswith(FOREIGN):
        return None
    entity, rest = token[len(FOREIGN) :].split(":", 1)
    row_id, column = rest.rsplit(":", 1)
    return entity, row_id, column


def guard_column(name: str, index: int) -> str:
    return f"__g__{name}__{index}"


def key_column(name: str, index: int) -> str:
    return f"__k__{name}__{index}"


@dataclass
class Compiled:
    """The plan's variables compiled for one date and parameter set."""

    date: dt.date
    parameters: dict[str, Parameter]
    info: dict[str, VarInfo]
    inputs: dict[str, dict[str, pl.DataType]]  # entity -> input columns
    layers: int
    explainers: dict = field(default_factory=dict)  # (plan id, lang) -> Explainer
    _steps: dict = field(default_factory=dict)
    _facts: dict = field(default_factory=dict)

    def null_facts(self, entity: str, name: str) -> list[tuple[pl.Expr, pl.Expr]]:
        """Return (is missing, fact) pairs for the inputs behind column `name`.

        `name` is an input (its own fact) or a variable (the facts of what it
        reads, through links to the guardian's or household's row). A fact is
        missing where its column is null.
        """
        key = (entity, name)
        found = self._facts.get(key)
        if found is not None:
            return found
        self._facts[key] = []  # a cycle cannot happen, but never recurse forever
        pairs: list[tuple[pl.Expr, pl.Expr]] = []
        info = self.info.get(name)
        if name in self.inputs[entity]:
            pairs.append((pl.col(name).is_null(), pl.lit(name)))
        elif info is None or info.entity != entity or info.kind == "default":
            pass
        elif info.kind == "link" and info.link.kind in ("guardian", "household"):
            key_name = info.link.kind
            other = "person" if key_name == "guardian" else "household"
            pairs.append((pl.col(key_name).is_null(), pl.lit(key_name)))
            if info.link.column in self.inputs[other]:
                pairs.append(
                    (
                        pl.col(key_name).is_not_null() & pl.col(name).is_null(),
                        pl.concat_str(
                            pl.lit(f"{FOREIGN}{other}:"),
                            pl.col(key_name).cast(pl.String),
                            pl.lit(f":{info.link.column}"),
                        ),
                    )
                )
        elif info.kind != "link":
            for dep_entity, dep in sorted(info.deps):
                if dep_entity == entity:
                    pairs.extend(self.null_facts(entity, dep))
        self._facts[key] = pairs
        return pairs

    def condition_facts(
        self, info: VarInfo, index: int
    ) -> list[tuple[pl.Expr, pl.Expr]]:
        """Return the (is missing, fact) pairs behind condition `index` of an eligibility."""
        pairs: dict[str, tuple[pl.Expr, pl.Expr]] = {}
        for root in sorted(info.eligibility.condition_roots(index)):
            for missing, fact in self.null_facts(info.entity, root):
                pairs.setdefault(str(fact), (missing, fact))
        return list(pairs.values())

    def condition_value(self, info: VarInfo, index: int) -> pl.Expr:
        """Return condition `index`: null only where a fact it reads is missing.

        A null that no missing fact explains (a parameter with no value in force)
        fails the condition: no fact could decide it.
        """
        value = info.eligibility.conditions[index].holds()
        missing = [test for test, _ in self.condition_facts(info, index)]
        if not missing:
            return value.fill_null(False)
        # The condition's expression appears once: unoptimized (single cases),
        # Polars would compute it again for each mention.
        unexplained = pl.when(pl.any_horizontal(missing)).then(None).otherwise(False)
        return value.fill_null(unexplained)

    def eligibility_expr(self, info: VarInfo) -> pl.Expr:
        """Return the eligibility: true, false, or null (Kleene AND of its conditions)."""
        count = len(info.eligibility.conditions)
        values = [self.condition_value(info, index) for index in range(count)]
        return pl.all_horizontal(values).alias(info.name)

    def condition_columns(self, info: VarInfo) -> list[pl.Expr]:
        """Return each condition of an eligibility as its own column."""
        return [
            self.condition_value(info, index).alias(condition_column(info.name, index))
            for index in range(len(info.eligibility.conditions))
        ]

    def eligibility_from_columns(self, info: VarInfo) -> pl.Expr:
        """Return the eligibility from the columns `condition_columns` computed.

        Read as columns, rather than as the conditions' expressions, each
        condition is computed once: the facts list and the explanation read
        them too.
        """
        name = info.name
        values = [
            pl.col(condition_column(name, index))
            for index in range(len(info.eligibility.conditions))
        ]
        return pl.all_horizontal(values).alias(name)

    def missing_expr(self, info: VarInfo) -> pl.Expr:
        """Return the facts an undetermined eligibility still needs (null when determined).

        Reads the columns of `condition_columns`.
        """
        tokens: list[pl.Expr] = []
        values: list[pl.Expr] = []
        for index in range(len(info.eligibility.conditions)):
            value = pl.col(condition_column(info.name, index))
            values.append(value)
            for missing, fact in self.condition_facts(info, index):
                tokens.append(pl.when(value.is_null() & missing).then(fact))
        empty = pl.lit(None, dtype=pl.List(pl.String()))
        needed = (
            pl.concat_list(tokens).list.drop_nulls().list.unique(maintain_order=True)
            if tokens
            else empty
        )
        return (
            pl.when(pl.all_horizontal(values).is_null())
            .then(needed)
            .otherwise(empty)
            .alias(missing_column(info.name))
        )

    def needed(self, outputs: set[str] | None) -> set[str]:
        """Return the variables `outputs` depend on (all when None)."""
        if outputs is None:
            return set(self.info)
        seen: set[str] = set()
        stack = list(outputs)
        while stack:
            name = stack.pop()
            if name in seen or name not in self.info:
                continue
            seen.add(name)
            info = self.info[name]
            stack.extend(dep for _, dep in info.deps)
            if info.variable.gate:
                stack.append(info.variable.gate)
        return seen

    def _join_free(self, aggregate: VarInfo) -> set[str] | None:
        """Return the person variables an aggregate needs, or None if one is a link."""
        needed: set[str] = set()
        stack = [aggregate.link.column] if aggregate.link.column else []
        while stack:
            name = stack.pop()
            if name in needed or name not in self.info:
                continue
            item = self.info[name]
            if item.entity != "person":
                continue
            if item.kind == "link":
                return None
            needed.add(name)
            stack.extend(dep for entity, dep in item.deps if entity == "person")
        return needed

    def input_columns(self, outputs: set[str] | None, entity: str) -> list[str]:
        """Return the input columns of `entity` the needed variables read (with the ids)."""
        keys = {"person": ("id", "household", "guardian"), "household": ("id",)}[entity]
        read = set(keys)
        for name in self.needed(outputs):
            read.update(
                dep for dep_entity, dep in self.info[name].deps if dep_entity == entity
            )
        return [column for column in self.inputs[entity] if column in read]

    def steps(
        self,
        outputs: set[str] | None,
        explain: bool,
        cast: bool = True,
        facts: bool = False,
        missing: bool = True,
    ) -> list[tuple[str, Any]]:
        """Return the query's operations, layer by layer (built once per outputs and mode).

        With `cast`, int and money values are cast to Int64; the load check
        builds without it, to see the type each formula really gives. With
        `facts` (implied by `explain`), each eligibility also lists the facts it
        still needs where it is undetermined; without `missing`, the query
        leaves that list to `add_missing`, after it has run.
        """
        facts = facts or explain
        key = (
            frozenset(outputs) if outputs is not None else None,
            explain,
            cast,
            facts,
            missing,
        )
        found = self._steps.get(key)
        if found is not None:
            return found
        wanted = self.needed(outputs)
        operations: list[tuple[str, Any]] = []
        # Household aggregates whose person values need no join are computed in
        # ONE group-by straight from the input persons, so the households' query
        # does not repeat the persons' joins.
        plain = [
            i
            for i in self.info.values()
            if i.name in wanted and i.kind == "link" and i.link.kind == "members"
        ]
        early = {
            i.name: prerequisites
            for i in plain
            if (prerequisites := self._join_free(i)) is not None
        }
        early_done = False
        for layer in range(1, self.layers + 1):
            group = [
                i for i in self.info.values() if i.layer == layer and i.name in wanted
            ]
            if not group:
                continue
            aggregates = [
                i
                for i in group
                if i.kind == "link" and i.link.kind == "members" and i.name not in early
            ]
            if early and not early_done and any(i.name in early for i in group):
                items = [self.info[name] for name in early]
                needed_vars = set().union(*early.values())
                layers = [
                    [
                        e
                        for i in self.info.values()
                        if i.layer == depth and i.name in needed_vars
                        for e in _expression(self, i, False, cast, False)[1]
                    ]
                    for depth in range(1, self.layers + 1)
                ]
                operations.append(
                    (
                        "members_from_inputs",
                        ([e for e in layers if e], *_aggregations(items)),
                    )
                )
                early_done = True
            if aggregates:
                operations.append(("members", _aggregations(aggregates)))
            household = [
                _expression(self, i, explain, cast, facts, missing)
                for i in group
                if i.entity == "household" and i.kind != "link"
            ]
            operations.extend(_with_columns("household", household))
            from_household = [
                pl.col(i.link.column).alias(i.name)
                for i in group
                if i.kind == "link" and i.link.kind == "household"
            ]
            if from_household:
                operations.append(("from_household", from_household))
            from_guardian = [
                pl.col(i.link.column).alias(i.name)
                for i in group
                if i.kind == "link" and i.link.kind == "guardian"
            ]
            if from_guardian:
                operations.append(("from_guardian", from_guardian))
            person = [
                _expression(self, i, explain, cast, facts, missing)
                for i in group
                if i.entity == "person" and i.kind != "link"
            ]
            operations.extend(_with_columns("person", person))
        self._steps[key] = operations
        return operations

    def apply(
        self,
        persons: pl.LazyFrame,
        households: pl.LazyFrame,
        *,
        outputs: set[str] | None = None,
        explain: bool = False,
        cast: bool = True,
        facts: bool = False,
        missing: bool = True,
    ) -> tuple[pl.LazyFrame, pl.LazyFrame]:
        """Return the lazy queries adding every needed variable to both frames."""
        frame_p, frame_h = persons, households
        for operation, payload in self.steps(outputs, explain, cast, facts, missing):
            if operation in ("members", "members_from_inputs"):
                if operation == "members":
                    source, (exprs, fills) = frame_p, payload
                else:
                    source = persons
                    prerequisites, exprs, fills = payload
                    for layer_exprs in prerequisites:
                        source = source.with_columns(layer_exprs)
                grouped = (
                    source.filter(pl.col("household").is_not_null())
                    .group_by("household")
                    .agg(exprs)
                    .rename({"household": "id"})
                )
                # Group keys are unique by construction: no validation pass needed.
                frame_h = frame_h.join(
                    grouped, on="id", how="left", maintain_order="left"
                )
                if fills:
                    frame_h = frame_h.with_columns(fills)
            elif operation == "household":
                frame_h = frame_h.with_columns(payload)
            elif operation == "from_household":
                right = frame_h.select(pl.col("id").alias("household"), *payload)
                frame_p = frame_p.join(
                    right,
                    on="household",
                    how="left",
                    maintain_order="left",
                    validate="m:1",
                )
            elif operation == "from_guardian":
                # Index only the persons someone names as guardian: hashing every
                # id of a city would cost hundreds of megabytes.
                named = frame_p.select(pl.col("guardian").drop_nulls().unique())
                right = frame_p.select(pl.col("id").alias("guardian"), *payload).join(
                    named, on="guardian", how="semi"
                )
                frame_p = frame_p.join(
                    right,
                    on="guardian",
                    how="left",
                    maintain_order="left",
                    validate="m:1",
                )
            else:
                frame_p = frame_p.with_columns(payload)
        return frame_p, frame_h

    def add_missing(
        self, frame: pl.DataFrame, entity: str, outputs: set[str] | None
    ) -> pl.DataFrame:
        """Add to a run's result the facts each undetermined eligibility still needs.

        For a query built without `missing`: `frame` holds the condition columns
        and the inputs. Only an eligibility with an undetermined row gets the
        expression listing them: for a single case that is a few of them, and
        all of them in the query had been half its cost.
        """
        exprs = []
        for name in sorted(self.needed(outputs)):
            info = self.info[name]
            if info.entity != entity or info.kind != "eligibility":
                continue
            if frame.get_column(name).null_count():
                exprs.append(self.missing_expr(info))
            else:
                exprs.append(
                    pl.lit(None, dtype=pl.List(pl.String())).alias(missing_column(name))
                )
        if not exprs:
            return frame
        return (
            frame.lazy()
            .with_columns(exprs)
            .collect(optimizations=pl.QueryOptFlags.none())
        )


def _with_columns(
    entity: str, expressions: list[tuple[list[pl.Expr], list[pl.Expr]]]
) -> list[tuple[str, list[pl.Expr]]]:
    """Return a layer's steps for `entity`: the columns its values read first."""
    before = [e for first, _ in expressions for e in first]
    exprs = [e for _, own in expressions for e in own]
    return [(entity, step) for step in (before, exprs) if step]


def _aggregations(items: list[VarInfo]) -> tuple[list[pl.Expr], list[pl.Expr]]:
    exprs = [_aggregate(i.link).alias(i.name) for i in items]
    fills = [_fill(i) for i in items if i.link.how in ("count", "any", "all", "sum")]
    return exprs, fills


def _aggregate(link: Link) -> pl.Expr:
    if link.how == "count":
        return (
            pl.len().cast(pl.Int64)
            if link.column is None
            else pl.col(link.column).count().cast(pl.Int64)
        )
    column = pl.col(link.column)
    return {
        "any": column.any(),
        "all": column.all(),
        "sum": column.sum(),
        "max": column.max(),
        "min": column.min(),
    }[link.how]


def _fill(item: VarInfo) -> pl.Expr:
    how = item.link.how
    value = {"count": 0, "any": False, "all": True, "sum": 0}[how]
    return pl.col(item.name).fill_null(value)


def _expression(
    compiled: Compiled,
    info: VarInfo,
    explain: bool,
    cast: bool = True,
    facts: bool = False,
    missing: bool = True,
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """Return the expressions computing `info`: those of a step before, then its own.

    With `facts`, an eligibility's conditions are columns computed in the step
    before, from which it also lists the facts it needs where undetermined.
    """
    variable = info.variable
    before: list[pl.Expr] = []
    exprs: list[pl.Expr] = []
    if info.kind == "default":
        exprs.append(
            pl.lit(variable.default, dtype=variable.dtype).alias(variable.name)
        )
        return before, exprs
    if info.kind == "eligibility":
        if facts:
            before.extend(compiled.condition_columns(info))
            exprs.append(compiled.eligibility_from_columns(info))
            if missing:
                exprs.append(compiled.missing_expr(info))
        else:
            exprs.append(compiled.eligibility_expr(info))
        if explain:
            for index, item in enumerate(info.eligibility.conditions):
                if item.when is not None:
                    exprs.append(item.when.alias(guard_column(variable.name, index)))
    else:
        expr = info.expr
        if cast and variable.type in ("int", "money"):
            expr = expr.cast(pl.Int64).alias(variable.name)
        if variable.gate:
            # Undetermined eligibility, undetermined value: never a silent 0 (issue 12).
            expr = pl.when(pl.col(variable.gate).is_not_null()).then(expr)
            expr = expr.alias(variable.name)
        exprs.append(expr)
    if explain:
        for index, use in enumerate(u for u in info.uses if u.key is not None):
            exprs.append(use.key.cast(pl.Int64).alias(key_column(variable.name, index)))
    return before, exprs


def _classify(variable: Variable, formula: Formula, result: Any) -> VarInfo:
    if isinstance(result, Eligibility):
        if result.name != variable.name:
            raise PlanLoadError(
                formula.where,
                f"formula of {variable.name} must end in .alias({variable.name!r}), not {result.name!r}",
            )
        deps = {(variable.entity, name) for name in result.roots()}
        return VarInfo(variable, formula, "eligibility", eligibility=result, deps=deps)
    if isinstance(result, Link):
        if result.name != variable.name:
            raise PlanLoadError(
                formula.where,
                f"formula of {variable.name} must end in .alias({variable.name!r}), not {result.name!r}",
            )
        if result.kind in ("household", "guardian") and variable.entity != "person":
            raise PlanLoadError(
                formula.where,
                f"{result.kind}(...) is for person variables; {variable.name} is a household variable",
            )
        if result.kind == "members" and variable.entity != "household":
            raise PlanLoadError(
                formula.where,
                f"members(...) is for household variables; {variable.name} is a person variable",
            )
        source_entity = "household" if result.kind == "household" else "person"
        deps: set[tuple[str, str]] = set()
        if result.column is not None:
            deps.add((source_entity, result.column))
        if result.kind == "guardian":
            deps.add(("person", "guardian"))
        if result.kind == "household":
            deps.add(("person", "household"))
        return VarInfo(variable, formula, "link", link=result, deps=deps)
    if isinstance(result, pl.Expr):
        name = result.meta.output_name(raise_if_undetermined=False)
        if name != variable.name:
            raise PlanLoadError(
                formula.where,
                f"formula of {variable.name} must end in .alias({variable.name!r}), not {name!r}",
            )
        deps = {(variable.entity, root) for root in result.meta.root_names()}
        if variable.gate:
            deps.add((variable.entity, variable.gate))  # null where the gate is
        return VarInfo(variable, formula, "expr", expr=result, deps=deps)
    raise PlanLoadError(
        formula.where,
        f"formula of {variable.name} returned {type(result).__name__}; "
        "return a Polars expression, all_of(...) or a link",
    )


def compile_plan(
    variables: dict[str, Variable],
    input_columns: dict[str, dict[str, pl.DataType]],
    parameters: dict[str, Parameter],
    day: dt.date,
    *,
    probe: bool = False,
) -> Compiled:
    """Compile every variable as in force on `day`; raise PlanLoadError on a defect."""
    info: dict[str, VarInfo] = {}
    for variable in variables.values():
        formula = variable.active(day)
        if formula is None:
            info[variable.name] = VarInfo(variable, None, "default")
            continue
        accessor = Params(parameters, day, probe=probe)
        try:
            result = formula.function(accessor)
        except UnknownParameter as error:
            raise PlanLoadError(
                formula.where, f"formula of {variable.name} reads an {error}"
            ) from error
        except MissingParameterValue as error:
            raise PlanLoadError(
                formula.where,
                f"formula of {variable.name} is in force on {day} but its {error}",
            ) from error
        except PlanLoadError:
            raise
        except Exception as error:  # a formula that cannot be built is a plan defect
            raise PlanLoadError(
                formula.where,
                f"formula of {variable.name} failed: {type(error).__name__}: {error}",
            ) from error
        item = _classify(variable, formula, result)
        item.uses = accessor.used
        info[variable.name] = item
    _check_names(info, variables, input_columns)
    layers = _layer(info)
    return Compiled(day, parameters, info, input_columns, layers)


def _check_names(
    info: dict[str, VarInfo],
    variables: dict[str, Variable],
    input_columns: dict[str, dict[str, pl.DataType]],
) -> None:
    for item in info.values():
        for entity, name in sorted(item.deps):
            if name in input_columns[entity]:
                continue
            known = variables.get(name)
            if known is not None and known.entity == entity:
                continue
            where = item.formula.where if item.formula else ""
            if known is not None:
                how = (
                    "household(...)" if known.entity == "household" else "members(...)"
                )
                raise PlanLoadError(
                    where,
                    f"{item.name} ({item.entity}) reads {name!r}, a {known.entity} variable; read it with {how}",
                )
            candidates = list(input_columns[entity]) + [
                v.name for v in variables.values() if v.entity == entity
            ]
            close = difflib.get_close_matches(name, candidates, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise PlanLoadError(
                where, f"{item.name} reads unknown {entity} variable {name!r}{hint}"
            )


def _layer(info: dict[str, VarInfo]) -> int:
    state: dict[str, int] = {}  # 1 = visiting, 2 = done
    trail: list[str] = []

    def visit(name: str) -> int:
        item = info[name]
        if state.get(name) == 2:
            return item.layer
        if state.get(name) == 1:
            cycle = trail[trail.index(name) :] + [name]
            where = item.formula.where if item.formula else ""
            raise PlanLoadError(where, "dependency cycle: " + " → ".join(cycle))
        state[name] = 1
        trail.append(name)
        depth = 0
        for entity, dep in item.deps:
            if dep in info and info[dep].entity == entity:
                depth = max(depth, visit(dep))
        trail.pop()
        state[name] = 2
        item.layer = depth + 1
        return item.layer

    deepest = 0
    for name in info:
        deepest = max(deepest, visit(name))
    return deepest
