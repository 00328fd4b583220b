"""Evaluate the plan's rules: parameters and formulas as data, one Polars query per date.

Plain Python and Polars; nothing here imports Django.

Public API
==========

Loading
    ``load_plan(path=None, *, reload=False) -> Plan``
        The plan in ``path`` (default ``$EQUISERVE_PLAN_DIR``, else
        ``plans/zhongshan_2014``), loaded and checked once per process. A defect
        raises ``PlanLoadError`` whose message starts ``file:line:``: an unknown
        variable or parameter in a formula, a cycle, a declared type the formula
        does not produce, a parameter file with an unknown key, no reference, a
        bad status or date.
    ``Plan.variables: dict[str, Variable]``; ``Plan.parameters: dict[str, Parameter]``;
    ``Plan.inputs: InputSchema``; ``Plan.outputs(entity) -> list[str]``
        (entity is ``"person"`` or ``"household"``).

Evaluating
    ``Plan.evaluate(persons, households=None, *, date, overrides=None, reform=None,
    outputs=None, keep=(), explain=False, lang="zh") -> Evaluation``
        ``persons`` / ``households``: Polars DataFrame or LazyFrame, with the
        contract's fields either flat (``veteran_kind``) or as struct columns
        (``veteran`` {kind, discharged, nco_years}) as the synthetic population
        writes them; money inputs in CNY. ``households=None`` derives them from
        the persons' ``household`` ids. ``outputs`` limits the computation to
        those variables (and what they need); ``keep`` carries input columns
        (e.g. ``("town", "hukou")``) into the result.
    ``Plan.query(...same arguments but lang...) -> (LazyFrame, LazyFrame)``
        The lazy queries themselves, e.g. to ``sink_parquet`` a whole city.
    ``Evaluation.persons`` / ``.households``: DataFrames of ``id`` + outputs;
        money columns are integer fen (Int64). ``Evaluation.answer(lang) -> dict``
        gives the contract's answer (money in CNY); ``Evaluation.explanations(lang)``
        gives ``{"persons": {id: {output: {"clause", "text", "steps"}}},
        "households": {...}}`` (evaluate with ``explain=True``).
    Three-valued eligibility (issue 12): an eligibility is true, false, or null
        where a fact not given decides it (Kleene logic over its conditions);
        amounts and limits gated on it are null too. With ``facts=True`` (or
        ``explain=True``), ``Evaluation.undetermined()`` gives ``{"persons": {id:
        {output: [request path, ...]}}, "households": {...}}``, the facts still
        needed, and the answer carries them as ``undetermined`` and
        ``household_undetermined``. An absent nested object is no event: its
        presence column ``<object>_given`` tells the rules.
    ``Plan.compare(persons, households=None, *, date, reform=None, overrides=None,
    outputs=None) -> Comparison``; ``Comparison.persons()`` / ``.households()``
        give ``<output>_baseline`` and ``<output>_reform`` side by side.
    ``Plan.compile(date, overrides=None) -> Compiled`` is cached (256 entries)
    per date and overrides, so repeated single cases skip formula building.

What-if
    ``overrides``: ``{name: {period: value}}`` with periods as in the parameter
    file (``"2014-01-01"``, or ``"2014"`` for yearly series); an override
    REPLACES all shipped values of that parameter. Bad names or values raise
    ``OverrideError`` (``.errors``: path, message key, arguments).
    ``load_reform(path) -> Reform``; ``Plan.with_reform(reform) -> Plan``.

    Reform file (YAML)::

        name: higher-guardian-points            # required
        description: Raise the guardian's points needed under 3.4.2.
        parameters:                             # optional overrides, as above
          student_insurance.minimum_guardian_points: {"2014-01-01": 150}
        module: reform_rules.py                 # optional, relative to this file

    The module declares variables exactly like a rule module; a variable with
    the name of a plan variable replaces it (all its dated formulas), a new name
    adds an output. The reformed plan is checked like the plan itself.

The contract (shared spec evaluate.md)
    ``equiserve.policy.contract.parse_request(body, *, lang="zh", plan=None) -> Request``
    and ``evaluate_request(body, *, explain=False, lang="zh", plan=None) -> dict``;
    ``fact_label(path, *, lang="zh", plan=None)`` names the fact at a request path;
    invalid input raises ``ContractError`` whose ``.errors`` lists every
    ``{"path", "code", "message"}``. The answer holds ``date``, ``persons``,
    ``households``, with ``--explain`` also ``explanations`` (persons) and
    ``household_explanations``, and ``warnings`` for unknown fields and
    guardians not in the request. CLI: ``equiserve evaluate [--explain]
    [--lang zh|en] FILE`` (``-`` = stdin; exit 2 on invalid input) and
    ``equiserve test-rules [PATH]``. HTTP: ``POST /api/v1/evaluate`` (app
    ``equiserve.rules``).

Writing rules
    ``equiserve.policy.model``: ``variable``, ``condition``, ``all_of``,
    ``household``, ``guardian``, ``members``; ``equiserve.policy.compiler``:
    ``mul_fraction``, ``div_round`` for money in fen. See ``model``'s docstring.
    Test cases: ``equiserve.policy.testing`` (YAML layout in its docstring).
"""

import importlib
from typing import Any

# Names are imported on first use (PEP 562), so that `equiserve --help`, which
# imports equiserve.policy.cli, does not pay for importing Polars.
_EXPORTS = {
    "Comparison": "equiserve.policy.plan",
    "Compiled": "equiserve.policy.compiler",
    "Evaluation": "equiserve.policy.plan",
    "OverrideError": "equiserve.policy.plan",
    "Parameter": "equiserve.policy.parameters",
    "Plan": "equiserve.policy.plan",
    "PlanLoadError": "equiserve.policy.compiler",
    "Reform": "equiserve.policy.plan",
    "Variable": "equiserve.policy.model",
    "load_plan": "equiserve.policy.plan",
    "load_reform": "equiserve.policy.plan",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'equiserve.policy' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
