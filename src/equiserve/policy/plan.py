"""Load a plan (inputs, parameters, rule modules), check it, and evaluate it."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
import yaml

from equiserve.policy.compiler import (
    Compiled,
    PlanLoadError,
    compile_plan,
    foreign_fact,
    missing_column,
)
from equiserve.policy.inputs import InputSchema, load_inputs
from equiserve.policy.messages import check_language, departments
from equiserve.policy.model import Variable
from equiserve.policy.parameters import Parameter, load_parameters, override_values
from equiserve.policy.programmes import (
    ENTITIES,
    Known,
    Programme,
    catalogue_titles,
    load_programmes,
)
from equiserve.policy.yamlio import YamlError

_CACHE_SIZE = 256
# The day before every plan's rules: a checkpoint where nothing is yet in force.
_EARLIEST = dt.date(1900, 1, 1)

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


class OverrideError(ValueError):
    """What-if parameter values that cannot be used; `errors` are contract errors.

    Each error is (path, message key, arguments), e.g.
    ``('parameters["x"]', "unknown_parameter", {"value": "x"})``.
    """

    def __init__(self, errors: list[tuple[str, str, dict]]):
        self.errors = errors
        super().__init__(
            "; ".join(f"{path}: {key} {args}" for path, key, args in errors)
        )


def default_plan_dir() -> Path:
    """Return the plan directory: $EQUISERVE_PLAN_DIR, else plans/zhongshan_2014."""
    if path := os.environ.get("EQUISERVE_PLAN_DIR"):
        return Path(path)
    home = os.environ.get("EQUISERVE_HOME")
    root = Path(home) if home else Path(__file__).resolve().parents[3]
    return root / "plans" / "zhongshan_2014"


def _module_name(path: Path) -> str:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    return f"equiserve_plan_{digest}.{path.stem}"


def load_rule_module(path: Path) -> list[Variable]:
    """Execute one rule module and return the variables it declares."""
    name = _module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PlanLoadError(str(path), "cannot import rule module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except PlanLoadError:
        raise
    except Exception as error:
        line = _traceback_line(error, path)
        raise PlanLoadError(
            f"{path}:{line}" if line else str(path), f"{type(error).__name__}: {error}"
        ) from error
    found: list[Variable] = []
    for value in vars(module).values():
        if isinstance(value, Variable) and all(value is not v for v in found):
            found.append(value)
    return found


def _traceback_line(error: BaseException, path: Path) -> int | None:
    line = None
    trace = error.__traceback__
    while trace is not None:
        if Path(trace.tb_frame.f_code.co_filename) == path:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _read_catalogue(path: Path) -> dict | None:
    """Return the parsed catalogue.yaml (None without one): read here only, once."""
    catalogue = path / "catalogue.yaml"
    if not catalogue.exists():
        return None
    return yaml.safe_load(catalogue.read_text(encoding="utf-8"))


@dataclass
class Reform:
    """A what-if change: parameter overrides and replacement or extra variables.

    See the package docstring for the YAML format.
    """

    name: str
    description: str = ""
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    variables: list[Variable] = field(default_factory=list)
    source: str = ""

    @property
    def key(self) -> str:
        names = ",".join(sorted(v.name + str(id(v)) for v in self.variables))
        overrides = json.dumps(self.parameters, sort_keys=True, default=str)
        return f"{self.name}|{self.source}|{names}|{overrides}"


def load_reform(path: Path | str) -> Reform:
    """Read a reform YAML file (and the rule module it names)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PlanLoadError(str(path), f"not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise PlanLoadError(
            str(path), "a reform is a mapping with name, parameters and module"
        )
    unknown = set(data) - {"name", "description", "parameters", "module"}
    if unknown:
        raise PlanLoadError(str(path), f"unknown keys {sorted(unknown)}")
    if not isinstance(data.get("name"), str):
        raise PlanLoadError(str(path), "a reform needs a name")
    parameters = data.get("parameters") or {}
    if not isinstance(parameters, dict) or not all(
        isinstance(v, dict) for v in parameters.values()
    ):
        raise PlanLoadError(str(path), "parameters maps names to {period: value}")
    parameters = {
        name: {
            (k.isoformat() if isinstance(k, dt.date) else str(k)): v
            for k, v in values.items()
        }
        for name, values in parameters.items()
    }
    variables: list[Variable] = []
    if data.get("module"):
        module_path = (path.parent / data["module"]).resolve()
        if not module_path.exists():
            raise PlanLoadError(str(path), f"module {data['module']} not found")
        variables = load_rule_module(module_path)
    return Reform(
        name=data["name"],
        description=data.get("description") or "",
        parameters=parameters,
        variables=variables,
        source=str(path.resolve()),
    )


class Plan:
    """A loaded and checked plan; evaluates persons and households on a date."""

    def __init__(
        self,
        path: Path,
        inputs: InputSchema,
        parameters: dict[str, Parameter],
        variables: dict[str, Variable],
        *,
        reform: Reform | None = None,
        base: Plan | None = None,
    ):
        self.path = path
        self.inputs = inputs
        self.parameters = parameters
        self.variables = variables
        self.reform = reform
        self.base = base
        self._compiled: OrderedDict[tuple, Compiled] = OrderedDict()
        self._reforms: dict[str, Plan] = {}
        self._lock = threading.Lock()
        # catalogue.yaml as parsed, and programmes.yaml checked (set by load).
        self.catalogue: dict | None = base.catalogue if base else None
        self.programmes: dict[str, Programme] = base.programmes if base else {}

    # ----------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: Path | str | None = None) -> Plan:
        """Read and check the plan in directory `path`; raise PlanLoadError on a defect."""
        path = Path(path) if path is not None else default_plan_dir()
        if not path.is_dir():
            raise PlanLoadError(str(path), "plan directory not found")
        try:
            inputs = load_inputs(path / "inputs.yaml")
            parameters = load_parameters(path / "parameters", set(departments()))
        except YamlError as error:
            raise PlanLoadError(
                f"{error.path}:{error.line}" if error.line else str(error.path),
                error.message,
            ) from error
        catalogue = _read_catalogue(path)
        titles = catalogue_titles(catalogue)
        clauses = set(titles) if titles is not None else None
        variables: dict[str, Variable] = {}
        for module_path in sorted((path / "rules").glob("*.py")):
            if module_path.name.startswith("_"):
                continue
            for variable in load_rule_module(module_path):
                _add_variable(variables, variable, replace=False)
        for parameter in parameters.values():
            if clauses is not None and parameter.clause not in clauses:
                raise PlanLoadError(
                    f"{parameter.file}:{parameter.line}",
                    f"clause {parameter.clause!r} is not in catalogue.yaml",
                )
        for variable in variables.values():
            if (
                clauses is not None
                and variable.clause
                and variable.clause not in clauses
            ):
                raise PlanLoadError(
                    f"{variable.file}:{variable.line}",
                    f"clause {variable.clause!r} is not in catalogue.yaml",
                )
        plan = cls(path, inputs, parameters, variables)
        plan.check()
        plan.catalogue = catalogue
        plan.programmes = load_programmes(
            path / "programmes.yaml",
            Known(
                catalogue_titles=titles,
                departments=set(departments()),
                outputs={entity: set(plan.outputs(entity)) for entity in ENTITIES},
                parameters=set(parameters),
                columns={entity: set(inputs.columns(entity)) for entity in ENTITIES},
            ),
        )
        return plan

    def check(self) -> None:
        """Compile the plan on every date a formula or parameter changes, checking types."""
        columns = {
            entity: self.inputs.columns(entity) for entity in ("person", "household")
        }
        for variable in self.variables.values():
            for entity in ("person", "household"):
                if variable.name in columns[entity]:
                    raise PlanLoadError(
                        f"{variable.file}:{variable.line}",
                        f"{variable.name} is already an input",
                    )
        for day in self.checkpoints():
            compiled = compile_plan(
                self.variables, columns, self.parameters, day, probe=True
            )
            persons, households = compiled.apply(
                self.inputs.empty_frame("person"),
                self.inputs.empty_frame("household"),
                explain=True,
                cast=False,
            )
            schemas = {
                "person": persons.collect_schema(),
                "household": households.collect_schema(),
            }
            for info in compiled.info.values():
                variable = info.variable
                actual = schemas[variable.entity].get(variable.name)
                if actual != variable.dtype and not _compatible(actual, variable.type):
                    where = (
                        info.formula.where
                        if info.formula
                        else f"{variable.file}:{variable.line}"
                    )
                    raise PlanLoadError(
                        where,
                        f"{variable.name} is declared {variable.type} ({variable.dtype}) "
                        f"but its formula gives {actual} (on {day})",
                    )

    def checkpoints(self) -> list[dt.date]:
        """Return the dates the compiled rules can change on."""
        days = {_EARLIEST}
        for variable in self.variables.values():
            days.update(f.start for f in variable.formulas if f.start)
        for parameter in self.parameters.values():
            days.update(parameter.change_dates())
        return sorted(days)

    # ---------------------------------------------------------------- what-if
    def with_overrides(
        self, overrides: Mapping[str, Mapping[str, Any]] | None
    ) -> dict[str, Parameter]:
        """Return the parameters with `overrides` ({name: {period: value}}) in place.

        An override replaces all shipped values of that parameter. Raises
        OverrideError listing every unknown name and bad value.
        """
        if not overrides:
            return self.parameters
        errors: list[tuple[str, str, dict]] = []
        result = dict(self.parameters)
        for name, values in overrides.items():
            path = f'parameters["{name}"]'
            parameter = self.parameters.get(name)
            if parameter is None:
                errors.append((path, "unknown_parameter", {"value": name}))
                continue
            if not isinstance(values, Mapping):
                errors.append((path, "not_object", {}))
                continue
            replaced, problems = override_values(parameter, dict(values))
            errors.extend(
                (f'{path}["{key}"]', message, args) for key, message, args in problems
            )
            if replaced is not None:
                result[name] = replaced
        if errors:
            raise OverrideError(errors)
        return result

    def with_reform(self, reform: Reform | Path | str) -> Plan:
        """Return this plan changed by `reform` (checked like a plan; cached)."""
        if not isinstance(reform, Reform):
            reform = load_reform(reform)
        with self._lock:
            found = self._reforms.get(reform.key)
        if found is not None:
            return found
        variables = dict(self.variables)
        for variable in reform.variables:
            _add_variable(variables, variable, replace=True)
        try:
            parameters = self.with_overrides(reform.parameters)
        except OverrideError as error:
            raise PlanLoadError(reform.source, f"reform parameters: {error}") from error
        changed = Plan(
            self.path, self.inputs, parameters, variables, reform=reform, base=self
        )
        changed.check()
        with self._lock:
            self._reforms[reform.key] = changed
        return changed

    # ------------------------------------------------------------- evaluation
    def compile(
        self, date: dt.date, overrides: Mapping[str, Mapping[str, Any]] | None = None
    ) -> Compiled:
        """Return the rules compiled for `date` and `overrides` (cached)."""
        key = (
            date,
            json.dumps(overrides, sort_keys=True, default=str) if overrides else "",
        )
        with self._lock:
            found = self._compiled.get(key)
            if found is not None:
                self._compiled.move_to_end(key)
                return found
        parameters = self.with_overrides(overrides)
        columns = {
            entity: self.inputs.columns(entity) for entity in ("person", "household")
        }
        compiled = compile_plan(self.variables, columns, parameters, date)
        with self._lock:
            self._compiled[key] = compiled
            while len(self._compiled) > _CACHE_SIZE:
                self._compiled.popitem(last=False)
        return compiled

    def outputs(self, entity: str) -> list[str]:
        """Return the names of the outputs of `entity`, in declaration order."""
        return [
            v.name for v in self.variables.values() if v.entity == entity and v.output
        ]

    def query(
        self,
        persons: pl.DataFrame | pl.LazyFrame,
        households: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        date: dt.date,
        overrides: Mapping[str, Mapping[str, Any]] | None = None,
        reform: Reform | Path | str | None = None,
        outputs: Iterable[str] | None = None,
        keep: Iterable[str] = (),
        explain: bool = False,
        facts: bool = False,
    ) -> tuple[pl.LazyFrame, pl.LazyFrame]:
        """Return lazy (persons, households) queries with the outputs added.

        Money columns are integer fen (Int64); enum inputs are Polars Enums. `keep`
        names input columns to carry through (e.g. ``town``, ``hukou``) besides
        ``id``. With `explain` every column, including condition results, is kept.
        The two queries share their inputs but Polars runs them separately: for a
        whole city from Parquet, `evaluate` (which reads the inputs once) is faster.
        """
        if reform is not None:
            return self.with_reform(reform).query(
                persons,
                households,
                date=date,
                overrides=overrides,
                outputs=outputs,
                keep=keep,
                explain=explain,
                facts=facts,
            )
        compiled = self.compile(date, overrides)
        wanted = None if outputs is None else set(outputs)
        keep = list(keep)
        frame_p, frame_h = self._inputs(
            compiled, persons, households, wanted, keep, explain
        )
        return self._apply(compiled, frame_p, frame_h, wanted, keep, explain, facts)

    def _inputs(
        self,
        compiled: Compiled,
        persons: pl.DataFrame | pl.LazyFrame,
        households: pl.DataFrame | pl.LazyFrame | None,
        wanted: set[str] | None,
        keep: list[str],
        explain: bool,
    ) -> tuple[pl.LazyFrame, pl.LazyFrame]:
        """Return the normalized input frames, holding only the columns the rules read."""
        unknown = (wanted or set()) - set(self.variables)
        if unknown:
            raise KeyError(f"unknown outputs: {sorted(unknown)}")
        frame_p = self.inputs.normalize(persons, "person")
        if households is None:
            households = (
                frame_p.select(pl.col("household").alias("id"))
                .drop_nulls()
                .unique(maintain_order=True)
            )
        frame_h = self.inputs.normalize(households, "household")
        if not explain:
            # Read only what the rules need: a self-join would otherwise carry every
            # column of a 4-million-row file through each layer.
            frame_p = frame_p.select(
                list(dict.fromkeys([*compiled.input_columns(wanted, "person"), *keep]))
            )
            frame_h = frame_h.select(compiled.input_columns(wanted, "household"))
        return frame_p, frame_h

    def _apply(
        self,
        compiled: Compiled,
        frame_p: pl.LazyFrame,
        frame_h: pl.LazyFrame,
        wanted: set[str] | None,
        keep: list[str],
        explain: bool,
        facts: bool = False,
        missing: bool = True,
    ) -> tuple[pl.LazyFrame, pl.LazyFrame]:
        result_p, result_h = compiled.apply(
            frame_p,
            frame_h,
            outputs=wanted,
            explain=explain,
            facts=facts,
            missing=missing,
        )
        if explain or not missing:
            return result_p, result_h
        return self._select(compiled, result_p, result_h, wanted, keep, facts)

    def _select(
        self,
        compiled: Compiled,
        result_p: FrameT,
        result_h: FrameT,
        wanted: set[str] | None,
        keep: list[str],
        facts: bool,
    ) -> tuple[FrameT, FrameT]:
        """Return the results holding only the ids, `keep` and the outputs."""
        selected = {}
        for entity in ("person", "household"):
            names = [n for n in self.outputs(entity) if wanted is None or n in wanted]
            if facts:
                names += [
                    missing_column(n) for n in self._eligibilities(compiled, names)
                ]
            selected[entity] = names
        select_p = list(dict.fromkeys(["id", *keep, *selected["person"]]))
        select_h = ["id", *selected["household"]]
        return _columns(result_p, select_p), _columns(result_h, select_h)

    def _eligibilities(self, compiled: Compiled, outputs: list[str]) -> list[str]:
        """Return the eligibilities that decide `outputs` (themselves or their gates)."""
        found: list[str] = []
        for name in outputs:
            variable = self.variables[name]
            for candidate in (name, variable.gate):
                info = compiled.info.get(candidate) if candidate else None
                if info is not None and info.kind == "eligibility":
                    found.append(candidate)
        return list(dict.fromkeys(found))

    def evaluate(
        self,
        persons: pl.DataFrame | pl.LazyFrame,
        households: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        date: dt.date,
        overrides: Mapping[str, Mapping[str, Any]] | None = None,
        reform: Reform | Path | str | None = None,
        outputs: Iterable[str] | None = None,
        keep: Iterable[str] = (),
        explain: bool = False,
        lang: str = "zh",
        facts: bool = False,
    ) -> Evaluation:
        """Evaluate every output for `persons` and `households` on `date`.

        With `facts` (implied by `explain`), `Evaluation.undetermined()` lists the
        facts each undetermined output still needs (issue 12).

        Below `SMALL` rows (a single case) the query runs unoptimized, which is
        faster at that size; larger inputs are read once (streaming, only the
        columns the rules need) and then evaluated with the optimizer.
        """
        check_language(lang)
        plan = self.with_reform(reform) if reform is not None else self
        compiled = plan.compile(date, overrides)
        wanted = None if outputs is None else set(outputs)
        keep = list(keep)
        frame_p, frame_h = plan._inputs(
            compiled, persons, households, wanted, keep, explain
        )
        small = _small(persons, households)
        if not small:
            # Read the inputs once: the persons' and the households' queries both
            # start from them, and Polars does not share work between two queries.
            inputs_p, inputs_h = pl.collect_all([frame_p, frame_h], engine="streaming")
            frame_p, frame_h = inputs_p.lazy(), inputs_h.lazy()
        # A single case's fact lists are computed after the run, and only for
        # an eligibility left undetermined (`Compiled.add_missing`).
        deferred = small and (facts or explain)
        frame_p, frame_h = plan._apply(
            compiled, frame_p, frame_h, wanted, keep, explain, facts, not deferred
        )
        flags = pl.QueryOptFlags.none() if small else pl.QueryOptFlags()
        result_p, result_h = pl.collect_all([frame_p, frame_h], optimizations=flags)
        if deferred:
            result_p = compiled.add_missing(result_p, "person", wanted)
            result_h = compiled.add_missing(result_h, "household", wanted)
            if not explain:
                result_p, result_h = plan._select(
                    compiled, result_p, result_h, wanted, keep, True
                )
        return Evaluation(
            plan=plan,
            compiled=compiled,
            persons=result_p,
            households=result_h,
            person_outputs=[
                n for n in plan.outputs("person") if wanted is None or n in wanted
            ],
            household_outputs=[
                n for n in plan.outputs("household") if wanted is None or n in wanted
            ],
            explained=explain,
            lang=lang,
            facts=facts or explain,
        )

    def compare(
        self,
        persons: pl.DataFrame | pl.LazyFrame,
        households: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        date: dt.date,
        reform: Reform | Path | str | None = None,
        overrides: Mapping[str, Mapping[str, Any]] | None = None,
        outputs: Iterable[str] | None = None,
    ) -> Comparison:
        """Evaluate the baseline and the reform (or overrides) and set them side by side."""
        baseline = self.evaluate(persons, households, date=date, outputs=outputs)
        changed = self.evaluate(
            persons,
            households,
            date=date,
            reform=reform,
            overrides=overrides,
            outputs=outputs,
        )
        return Comparison(baseline, changed)


# Below this many rows the query optimizer costs more than it saves (a single case
# evaluates in about 2 ms unoptimized against 3.5 ms optimized); results are the same.
SMALL = 10_000


def _small(*frames: Any) -> bool:
    return all(
        f is None or (isinstance(f, pl.DataFrame) and f.height < SMALL) for f in frames
    )


def _compatible(actual: pl.DataType | None, kind: str) -> bool:
    if actual is None:
        return False
    if kind in ("int", "money"):
        return actual.is_integer()
    return False


def _add_variable(
    variables: dict[str, Variable], variable: Variable, *, replace: bool
) -> None:
    existing = variables.get(variable.name)
    if existing is not None and not replace:
        raise PlanLoadError(
            f"{variable.file}:{variable.line}",
            f"variable {variable.name} is already declared at {existing.file}:{existing.line}",
        )
    variables[variable.name] = variable


@dataclass
class Evaluation:
    """The result of one evaluation: frames of outputs and, on demand, explanations."""

    plan: Plan
    compiled: Compiled
    persons: pl.DataFrame  # id + outputs (all columns when explained); money in fen
    households: pl.DataFrame
    person_outputs: list[str]
    household_outputs: list[str]
    explained: bool = False
    lang: str = "zh"
    facts: bool = False

    def explanations(
        self, lang: str | None = None
    ) -> dict[str, dict[str, dict[str, dict]]]:
        """Return {"persons": {id: {output: explanation}}, "households": {...}}."""
        from equiserve.policy.explain import explainer as get_explainer

        if not self.explained:
            raise ValueError("evaluate with explain=True to get explanations")
        explainer = get_explainer(self.plan, self.compiled, lang or self.lang)
        result: dict[str, dict] = {"persons": {}, "households": {}}
        for entity, frame, names in (
            ("persons", self.persons, self.person_outputs),
            ("households", self.households, self.household_outputs),
        ):
            for row in frame.iter_rows(named=True):
                result[entity][row["id"]] = {
                    name: explainer.explain(name, row) for name in names
                }
        return result

    def undetermined(self) -> dict[str, dict[str, dict[str, list[str]]]]:
        """Return {"persons": {id: {output: [path]}}, "households": {...}}.

        Lists, for each output left null by an unknown fact, the facts still
        needed, as request paths (``persons[0].hukou``, ``persons[2].points`` for
        a guardian's points): rows are indexed in the order they were given.
        Only undetermined outputs appear. Evaluate with `facts` or `explain`.
        """
        if not self.facts:
            raise ValueError("evaluate with facts=True to list undetermined outputs")
        index = {
            "person": {v: i for i, v in enumerate(self.persons.get_column("id"))},
            "household": {v: i for i, v in enumerate(self.households.get_column("id"))},
        }
        result: dict[str, dict] = {"persons": {}, "households": {}}
        for entity, key, frame, names in (
            ("person", "persons", self.persons, self.person_outputs),
            ("household", "households", self.households, self.household_outputs),
        ):
            deciding = {
                name: gate for name in names for gate in self._eligibilities_of(name)
            }
            if not deciding:
                continue
            columns = list(dict.fromkeys(missing_column(g) for g in deciding.values()))
            for position, row in enumerate(
                _columns(frame, ["id", *deciding, *columns]).iter_rows(named=True)
            ):
                block = {}
                for name, gate in deciding.items():
                    needed = row[missing_column(gate)]
                    if row[name] is None and needed is not None:
                        block[name] = [
                            self._path(entity, position, token, index)
                            for token in needed
                        ]
                if block:
                    result[key][row["id"]] = block
        return result

    def _eligibilities_of(self, name: str) -> list[str]:
        return self.plan._eligibilities(self.compiled, [name])[:1]

    def _path(
        self, entity: str, position: int, token: str, index: dict[str, dict]
    ) -> str:
        """Return the request path of a fact (see `undetermined`)."""
        prefix = "persons" if entity == "person" else "households"
        foreign = foreign_fact(token)
        if foreign is not None:
            other, row_id, column = foreign
            other_position = index[other].get(row_id)
            if other_position is not None:
                other_prefix = "persons" if other == "person" else "households"
                return f"{other_prefix}[{other_position}].{self._json(other, column)}"
            link = "guardian" if other == "person" else "household"
            return f"{prefix}[{position}].{link}"
        return f"{prefix}[{position}].{self._json(entity, token)}"

    def _json(self, entity: str, column: str) -> str:
        item = self.plan.inputs.field(entity, column)
        if item is None:
            return column
        return item.json_name if hasattr(item, "json_name") else item.name

    def answer(self, lang: str | None = None) -> dict[str, Any]:
        """Return the contract's answer: outputs per id, money in CNY, dates as text.

        With facts evaluated, ``undetermined`` (persons) and
        ``household_undetermined`` list the facts each null output still needs;
        they are left out when nothing is undetermined.
        """
        answer: dict[str, Any] = {"date": self.compiled.date.isoformat()}
        for entity, frame, names in (
            ("persons", self.persons, self.person_outputs),
            ("households", self.households, self.household_outputs),
        ):
            converters = [
                (n, _json_converter(self.plan.variables[n].type)) for n in names
            ]
            block = {}
            for row in _columns(frame, ["id", *names]).iter_rows(named=True):
                block[row["id"]] = {n: convert(row[n]) for n, convert in converters}
            answer[entity] = block
        if self.facts:
            undetermined = self.undetermined()
            if undetermined["persons"]:
                answer["undetermined"] = undetermined["persons"]
            if undetermined["households"]:
                answer["household_undetermined"] = undetermined["households"]
        if self.explained:
            explanations = self.explanations(lang)
            answer["explanations"] = explanations["persons"]
            answer["household_explanations"] = explanations["households"]
        return answer


def _columns(frame: FrameT, names: list[str]) -> FrameT:
    """Return `frame`'s columns `names`; a result's without running a query.

    `DataFrame.select` builds and runs a query even for plain names: for a
    single household, a fifth of the answer's time.
    """
    names = list(dict.fromkeys(names))
    return frame[names] if isinstance(frame, pl.DataFrame) else frame.select(names)


def _json_converter(kind: str):
    if kind == "money":
        return lambda v: None if v is None else v / 100
    if kind == "date":
        return lambda v: None if v is None else v.isoformat()
    if kind == "list":
        return lambda v: None if v is None else list(v)  # None: undetermined
    return lambda v: v


@dataclass
class Comparison:
    """A baseline and a changed evaluation of the same people."""

    baseline: Evaluation
    reform: Evaluation

    def persons(self) -> pl.DataFrame:
        """Return id, then `<output>_baseline`, `<output>_reform` for every person output."""
        return _side_by_side(
            self.baseline.persons, self.reform.persons, self.baseline.person_outputs
        )

    def households(self) -> pl.DataFrame:
        return _side_by_side(
            self.baseline.households,
            self.reform.households,
            self.baseline.household_outputs,
        )


def _side_by_side(
    base: pl.DataFrame, changed: pl.DataFrame, names: list[str]
) -> pl.DataFrame:
    left = base.select("id", *[pl.col(n).alias(f"{n}_baseline") for n in names])
    right = changed.select(
        "id", *[pl.col(n).alias(f"{n}_reform") for n in names if n in changed.columns]
    )
    return left.join(right, on="id", how="left", maintain_order="left")


_plans: dict[Path, Plan] = {}
_plans_lock = threading.Lock()


def load_plan(path: Path | str | None = None, *, reload: bool = False) -> Plan:
    """Return the plan in `path` (default: the shipped plan), loaded once per process."""
    key = (Path(path) if path is not None else default_plan_dir()).resolve()
    with _plans_lock:
        if not reload and key in _plans:
            return _plans[key]
        plan = Plan.load(key)
        _plans[key] = plan
        return plan
