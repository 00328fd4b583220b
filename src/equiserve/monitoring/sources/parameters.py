"""Read a rules-engine parameter as an indicator term (city-wide)."""

from __future__ import annotations

from equiserve.monitoring.definitions import CITY
from equiserve.monitoring.sources import CITY_PLACE, Key, Request, TermRef


def parameter_amount(name: str, day, repealed) -> float | None:
    """Return a parameter's value on `day`; `repealed` once a null value repeals it.

    None before the parameter's first value (nothing is in force yet).
    """
    from equiserve.rules import plan_gateway

    parameter = plan_gateway.plan().parameters[name]
    started = [value for value in parameter.values if value.start <= day]
    if not started:
        return None
    latest = started[-1].value
    if latest is None:
        return None if repealed is None else float(repealed)
    return float(latest)


def collect_parameters(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    if CITY not in request.levels or not request.whole_city or request.by:
        return
    for ref in refs:
        options = ref.term.options
        for period in ref.periods:
            amount = parameter_amount(
                options["name"], period.end, options.get("repealed")
            )
            if amount is not None:
                out[(ref.indicator.code, ref.role, period.id, CITY_PLACE, "")] = amount
