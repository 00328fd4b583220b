"""Population runs: evaluate a synthetic city, count and cost the plan's programmes.

Plain Python and Polars; nothing here imports Django.

Public API
==========

``run.simulate(*, date, population, out, reform=None, plan=None, on_batch=None,
batch_rows=BATCH_ROWS) -> Simulation``
    Evaluate every person and household of ``population`` (a directory with
    ``persons.parquet`` and ``households.parquet`` as ``equiserve synth`` writes
    them) on ``date`` and write to ``out``: ``persons.parquet`` /
    ``households.parquet`` (ids, town, registration and every output; money in
    integer fen), with a reform also ``reform_persons.parquet`` /
    ``reform_households.parquet``, the cost and coverage table ``costs.parquet`` /
    ``costs.csv`` and ``summary.json``. Whole households are evaluated batch by
    batch (memory bounded by a batch); see ``run``'s docstring.
``tables``: the table's columns (programme × town × registered/migrant:
    population, eligible, coverage, cost in CNY as an exact Decimal); with a
    reform ``_baseline``, ``_reform`` and ``_difference`` = reform − baseline.
``budget.budget(year, population=None, *, plan=None, scale=True) -> Budget``
    The clause 4.3 estimate per programme for ``year`` (method in ``budget``'s
    docstring); ``Budget.as_dict()`` is what ``equiserve budget --json`` prints.
``programmes.programmes(plan, entity=None)`` / ``programme(plan, name)``
    The plan's costed services (``programmes.yaml``, read by the policy engine)
    with their clause, department, eligibility output, funding source and unit
    costs (illustrative parameters under ``parameters/costs/``).

Commands: ``equiserve simulate --date D --population DIR --out DIR [--reform FILE]``
and ``equiserve budget --year Y [--population DIR] [--json]``.
"""
