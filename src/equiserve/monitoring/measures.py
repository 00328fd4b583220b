"""Equality measures of an indicator across towns and groups, via `equiserve.equality`.

Each town's (or village's) value is weighted by its denominator — the people,
households or places the rate is of — so a weighted mean over the towns is the
city's value, and Theil's T is population-weighted when the denominator counts
people. Indicators without a denominator (counts) are measured unweighted.
"""

from __future__ import annotations

from typing import Any

from equiserve import equality
from equiserve.monitoring.definitions import (
    CITY,
    HUKOU,
    TOWN,
    URBAN_RURAL,
    VILLAGE,
    Definitions,
    Indicator,
    load_definitions,
)
from equiserve.monitoring.periods import Period, periods_through
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.stored import stored_values
from equiserve.monitoring.values import Value

SUMMARY_KEYS = (
    "n",
    "mean",
    "theil_t",
    "theil_t_between",
    "theil_t_within",
    "theil_t_between_share",
    "theil_l",
    "theil_l_between",
    "theil_l_within",
    "theil_l_between_share",
    "gini",
    "cv",
    "range",
    "notes",
)
PAIRS = {HUKOU: ("zhongshan", "elsewhere"), URBAN_RURAL: ("urban", "rural")}


def _rows(values: list[Value], weighted: bool) -> tuple[list, list | None, list]:
    kept = [v for v in values if v.value is not None and (not weighted or v.weight)]
    weights = [v.weight for v in kept] if weighted else None
    return [v.value for v in kept], weights, kept


def _summary(values, groups=None, weights=None) -> dict[str, Any]:
    """Return the equality package's summary, or the reason it cannot be measured."""
    if len(values) < 2:
        return {"n": len(values), "error": "fewer than two places have a value"}
    try:
        result = equality.summary(values, groups, weights)
    except equality.InputError as error:
        return {"n": len(values), "error": str(error)}
    keep = {key: result[key] for key in SUMMARY_KEYS}
    keep["weighted"] = weights is not None
    keep["groups"] = {
        label: {
            "mean": group["mean"],
            "population_share": group["population_share"],
            "theil_t_contribution": group["theil_t_contribution"],
            "share": group["share"],
        }
        for label, group in result["groups"].items()
    }
    return keep


def across_towns(values: list[Value], indicator: Indicator) -> dict[str, Any]:
    """Return Theil T/L, Gini and CV of the towns' values (weighted by denominator)."""
    weighted = indicator.denominator is not None
    ys, weights, kept = _rows(values, weighted)
    result = _summary(ys, None, weights)
    result["places"] = [v.place for v in kept]
    return result


def city_to_towns(values: list[Value], indicator: Indicator, town_of) -> dict:
    """Decompose inequality among villages into between- and within-town parts."""
    weighted = indicator.denominator is not None
    ys, weights, kept = _rows(values, weighted)
    return _summary(ys, [town_of[v.place] for v in kept], weights)


def group_gap(values: list[Value], indicator: Indicator, dimension: str) -> dict:
    """Return the gap and ratio between the two groups of a dimension.

    Computed over the towns' group values weighted by their denominators, so the
    group means are the city's figures for each group.
    """
    first, second = PAIRS[dimension]
    weighted = indicator.denominator is not None
    ys, weights, kept = _rows(values, weighted)
    labels = [v.group for v in kept]
    if first not in labels or second not in labels:
        return {"first": first, "second": second, "error": "a group has no value"}
    result: dict[str, Any] = {"first": first, "second": second}
    result["gap"] = equality.gap(ys, labels, first, second, weights)
    try:
        result["ratio"] = equality.ratio(ys, labels, first, second, weights)
    except equality.InputError:
        result["ratio"] = None
    decomposed = _summary(ys, labels, weights)
    result["theil_t_between_share"] = decomposed.get("theil_t_between_share")
    return result


def convergence(values: list[Value], indicator: Indicator) -> dict[str, Any]:
    """Return sigma convergence (CV and Theil T across towns) over the periods."""
    weighted = indicator.denominator is not None
    ys, weights, kept = _rows(values, weighted)
    periods = [v.period.id for v in kept]
    if len(set(periods)) < 2:
        return {"error": "fewer than two periods have values"}
    result = {}
    for measure in ("cv", "theil_t"):
        try:
            sigma = equality.sigma_convergence(ys, periods, weights, measure=measure)
        except equality.InputError as error:
            result[measure] = {"error": str(error)}
            continue
        result[measure] = {
            "periods": list(sigma.periods),
            "values": list(sigma.values),
            "change": sigma.change,
            "relative_change": sigma.relative_change,
            "converging": sigma.converging,
        }
    return result


def equality_report(
    indicator: Indicator,
    period: Period,
    *,
    definitions: Definitions | None = None,
) -> dict[str, Any]:
    """Return every equality measure of one indicator in one period, for the city."""
    definitions = definitions or load_definitions()
    report: dict[str, Any] = {"indicator": indicator.code, "period": period.id}
    if TOWN not in indicator.levels:
        report["error"] = "the indicator is not counted by town"
        return report
    towns = stored_values(
        [indicator], periods=[period], levels=[TOWN], definitions=definitions
    )
    report["across_towns"] = across_towns(
        towns.select(indicator.code, period), indicator
    )
    if VILLAGE in indicator.levels:
        from equiserve.geography.models import Village

        villages = stored_values(
            [indicator], periods=[period], levels=[VILLAGE], definitions=definitions
        )
        town_of = dict(Village.objects.values_list("code", "town_id"))
        report["city_to_towns"] = city_to_towns(
            villages.select(indicator.code, period), indicator, town_of
        )
    for dimension in (HUKOU, URBAN_RURAL):
        if dimension in indicator.disaggregations:
            split = stored_values(
                [indicator],
                periods=[period],
                levels=[CITY, TOWN],
                by=dimension,
                definitions=definitions,
            )
            rows = split.select(indicator.code, period, group=None)
            by_town = [v for v in rows if v.place != CITY_PLACE]
            # Some sources split by group only for the whole city (the circle).
            if not {v.group for v in by_town if v.value is not None} >= set(
                PAIRS[dimension]
            ):
                by_town = [v for v in rows if v.place == CITY_PLACE]
            report[f"{dimension}_gap"] = group_gap(by_town, indicator, dimension)
    history = stored_values(
        [indicator],
        periods=periods_through(period),
        levels=[TOWN],
        definitions=definitions,
    )
    report["convergence"] = convergence(history.select(indicator.code), indicator)
    return report
