"""The vocabulary rule modules are written in: variables, formulas, conditions, links.

A rule module (``plans/<plan>/rules/clause_3_4_3.py``) declares variables::

    @variable(entity="person", type="bool", clause="3.3.4", start="2014-01-01",
              label={"zh": "免费孕前优生健康检查", "en": "Free pre-pregnancy check"})
    def prepregnancy_check_free(p):
        \"\"\"Migrants resident six months or more get a free check (3.3.4).\"\"\"
        return all_of(
            condition("migrant", pl.col("hukou") == "elsewhere",
                      zh="户籍不在本市", en="registered outside Zhongshan"),
            ...
        ).alias("prepregnancy_check_free")

A formula is a pure function of the parameter accessor `p` (see
`equiserve.policy.compiler.Params`) returning one of:

- a Polars expression ending in ``.alias(<name>)``;
- `all_of(condition(...), ...)`, an eligibility made of named conditions (the
  explanation reports the first that fails). Eligibility is three-valued
  (issue 12): a condition whose expression is null (a fact not given) is
  undetermined, and so is the eligibility unless another condition fails on
  known facts (Kleene logic: false & null is false, true & null is null). An
  unknown fact never counts in the person's favour; the answer lists the facts
  still needed. To read an absent nested object as "no such event", test its
  presence column (``pl.col("death_given")``);
- a link to another row: `household(column)` and `guardian(column)` for persons,
  `members(column, how)` for households.

A rule change over time is a second formula with a later start
(``@name.formula(start="2015-01-01")``), never an ``if`` on the date. Before a
variable's first start its value is the type's default (false, 0, null) and its
explanation says the programme had not yet taken effect.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

ENTITIES = ("person", "household")
DTYPES: dict[str, pl.DataType] = {
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "money": pl.Int64(),  # integer fen
    "float": pl.Float64(),
    "date": pl.Date(),
    "str": pl.String(),
    "list": pl.List(pl.String()),
}
DEFAULTS: dict[str, Any] = {
    "bool": False,
    "int": 0,
    "money": 0,
    "float": 0.0,
    "date": None,
    "str": None,
    "list": [],
}
AGGREGATIONS = ("count", "any", "all", "sum", "max", "min")


def _text(zh: str, en: str) -> dict[str, str]:
    if not (isinstance(zh, str) and zh.strip() and isinstance(en, str) and en.strip()):
        raise ValueError("a text needs non-empty zh and en versions")
    return {"zh": zh, "en": en}


@dataclass
class Condition:
    """One named requirement of an eligibility; `text` states it in zh and en.

    Texts may hold `{column}` or `{parameter.name}` placeholders, filled from the
    row and the parameters when explaining.
    """

    key: str
    expr: pl.Expr
    text: dict[str, str]
    when: pl.Expr | None = None

    def holds(self) -> pl.Expr:
        """Return the condition: true, false, or null where an unknown fact decides it.

        With `when`, it is true where `when` is false (the requirement of the
        other route); where `when` itself is unknown, the requirement still
        decides when it fails (Kleene: ¬null ∨ false is null).
        """
        if self.when is None:
            return self.expr
        return self.when.not_() | self.expr


def condition(
    key: str,
    expr: pl.Expr,
    *,
    zh: str,
    en: str,
    when: pl.Expr | None = None,
) -> Condition:
    """Return a requirement named `key`: `expr` must be true.

    Where `expr` is null (a fact not given) the requirement is undetermined: it
    neither passes nor fails, and the facts it reads that are null are the ones
    the answer says it still needs (issue 12). With `when`, the requirement
    applies only to rows where `when` is true (one route of an eligibility with
    two, e.g. registered and migrant households).
    """
    if not isinstance(expr, pl.Expr) or (
        when is not None and not isinstance(when, pl.Expr)
    ):
        raise TypeError(f"condition {key!r} needs Polars expressions")
    return Condition(key, expr, _text(zh, en), when)


class Eligibility:
    """All of a list of conditions; the compiler makes it one three-valued expression."""

    def __init__(self, conditions: list[Condition], name: str | None = None):
        self.conditions = conditions
        self.name = name

    def alias(self, name: str) -> Eligibility:
        return Eligibility(self.conditions, name)

    def condition_roots(self, index: int) -> set[str]:
        """Return the columns condition `index` reads (its guard's too)."""
        item = self.conditions[index]
        names = set(item.expr.meta.root_names())
        if item.when is not None:
            names.update(item.when.meta.root_names())
        return names

    def roots(self) -> set[str]:
        names: set[str] = set()
        for item in self.conditions:
            names.update(item.expr.meta.root_names())
            if item.when is not None:
                names.update(item.when.meta.root_names())
        return names


def all_of(*conditions: Condition) -> Eligibility:
    """Return an eligibility that holds when every condition holds."""
    if not conditions:
        raise ValueError("all_of needs at least one condition")
    keys = [c.key for c in conditions]
    if len(set(keys)) != len(keys):
        raise ValueError(f"condition keys repeat: {keys}")
    return Eligibility(list(conditions))


@dataclass
class Link:
    """A value read from another row: the household, the guardian, or the members."""

    kind: str  # household | guardian | members
    column: str | None
    how: str | None = None
    name: str | None = None

    def alias(self, name: str) -> Link:
        return Link(self.kind, self.column, self.how, name)


def household(column: str) -> Link:
    """Return, for a person, `column` of the household the person belongs to."""
    return Link("household", column)


def guardian(column: str) -> Link:
    """Return, for a person, `column` of the person named as their guardian."""
    return Link("guardian", column)


def members(column: str | None = None, how: str = "count") -> Link:
    """Return, for a household, `how` (count, any, all, sum, max, min) of its members' `column`."""
    if how not in AGGREGATIONS:
        raise ValueError(f"members(how={how!r}): use one of {', '.join(AGGREGATIONS)}")
    if how != "count" and column is None:
        raise ValueError(f"members(how={how!r}) needs a column")
    return Link("members", column, how)


def _parse_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


@dataclass
class Formula:
    """One dated formula of a variable; `function(p)` returns its expression."""

    function: Callable | None  # None: repealed from `start`
    start: dt.date | None
    file: Path
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Variable:
    """A computed value of a person or household, with its formulas over time."""

    name: str
    entity: str
    type: str
    clause: str | None
    label: dict[str, str]
    unit: str | None = None
    description: str = ""
    output: bool = True
    gate: str | None = None
    formulas: list[Formula] = field(default_factory=list)
    explain_steps: Callable | None = None
    file: Path | None = None
    line: int = 0

    def __post_init__(self):
        if self.entity not in ENTITIES:
            raise ValueError(f"{self.name}: entity must be person or household")
        if self.type not in DTYPES:
            raise ValueError(f"{self.name}: type must be one of {', '.join(DTYPES)}")
        if self.output and not self.clause:
            raise ValueError(
                f"{self.name}: an output must cite the clause it implements"
            )
        _text(**self.label)

    @property
    def dtype(self) -> pl.DataType:
        return DTYPES[self.type]

    @property
    def default(self) -> Any:
        return DEFAULTS[self.type]

    @property
    def start(self) -> dt.date | None:
        """Return the first day the variable has a formula (None: always)."""
        return self.formulas[0].start if self.formulas else None

    def formula(self, start: str | dt.date | None = None) -> Callable:
        """Add a formula in force from `start` (decorator)."""

        def decorator(function: Callable) -> Variable:
            self._add(Formula(function, _parse_date(start), *_where(function)))
            return self

        return decorator

    def repeal(self, start: str | dt.date) -> None:
        """End the variable's formulas on `start`; from then it takes its default."""
        frame = inspect.stack()[1]
        self._add(Formula(None, _parse_date(start), Path(frame.filename), frame.lineno))

    def steps(self, function: Callable) -> Callable:
        """Set the function giving the arithmetic steps of an explanation.

        `function(row)` returns a list of strings; `row` is an
        `equiserve.policy.explain.Row` (values, formatting, ``row.t(zh=, en=)``).
        """
        self.explain_steps = function
        return function

    def _add(self, formula: Formula) -> None:
        starts = [f.start for f in self.formulas]
        if formula.start in starts:
            raise ValueError(
                f"{formula.where}: {self.name} already has a formula from {formula.start}"
            )
        if formula.start is None and self.formulas:
            raise ValueError(
                f"{formula.where}: only the first formula of {self.name} may have no start"
            )
        self.formulas.append(formula)
        self.formulas.sort(key=lambda f: f.start or dt.date.min)

    def active(self, day: dt.date) -> Formula | None:
        """Return the formula in force on `day` (None before the first or after a repeal)."""
        found = None
        for formula in self.formulas:
            if formula.start is None or formula.start <= day:
                found = formula
        if found is None or found.function is None:
            return None
        return found


def _where(function: Callable) -> tuple[Path, int]:
    code = function.__code__
    return Path(code.co_filename), code.co_firstlineno


def variable(
    *,
    entity: str,
    type: str,
    label: dict[str, str],
    clause: str | None = None,
    unit: str | None = None,
    start: str | dt.date | None = None,
    output: bool = True,
    gate: str | None = None,
) -> Callable[[Callable], Variable]:
    """Declare a variable whose first formula is the decorated function.

    `gate` names the eligibility whose conditions explain this value (an amount
    is 0 because its eligibility failed). `output=False` keeps a helper value out
    of answers.
    """

    def decorator(function: Callable) -> Variable:
        file, line = _where(function)
        doc = inspect.getdoc(function) or ""
        result = Variable(
            name=function.__name__,
            entity=entity,
            type=type,
            clause=clause,
            label=label,
            unit=unit,
            description=doc.split("\n\n")[0].replace("\n", " "),
            output=output,
            gate=gate,
            file=file,
            line=line,
        )
        result._add(Formula(function, _parse_date(start), file, line))
        return result

    return decorator
