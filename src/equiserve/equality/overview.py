"""All equality measures of one indicator at once, as a JSON-ready dict."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from equiserve.equality._input import (
    InputError,
    Prepared,
    prepare,
    require_positive_mean,
)
from equiserve.equality.measures import (
    _cv_parts,
    _gini_parts,
    _theil_l_parts,
    _theil_t_parts,
    _totals,
    share_of,
)

__all__ = ["summary"]


def _share(part: float, total: float | None) -> float | None:
    return None if total is None else share_of(part, total)


def summary(
    values: Any,
    groups: Any = None,
    weights: Any = None,
    *,
    data: Any = None,
    compare: tuple[Any, Any] | None = None,
) -> dict[str, Any]:
    """Return every measure of `values`, decomposed by `groups` when given.

    Keys: n (rows counted), weight (N), weighted, mean (μ), theil_t,
    theil_t_between, theil_t_within, theil_t_between_share, theil_l,
    theil_l_between, theil_l_within, theil_l_between_share, gini, cv, groups,
    range, compare, notes. The formulas are those of `equiserve.equality.measures`
    (the functions of the same names), computed from one check of the input and
    one sort (for the Gini).

    `groups` maps each label (as a string) to: n, weight (N_g),
    population_share (p_g), mean (μ_g), value_share (s_g), theil_t (T_g),
    theil_t_contribution (s_g·T_g), share (s_g·T_g / T: the group's share of the
    total Theil T, so the shares plus theil_t_between_share add up to 1),
    theil_l (L_g), theil_l_contribution (p_g·L_g), theil_l_share (p_g·L_g / L),
    gini and cv of the group's own values. Shares are 0 when the total is
    below 1e-12 (all values equal to rounding).

    `range` compares the groups with the highest and lowest mean (gap and
    ratio; the ratio is None when the lowest mean is 0). `compare=(a, b)` adds
    the gap μ_a − μ_b and ratio μ_a / μ_b of two groups, named by their labels
    as text (the ratio is None when μ_b is 0).

    Without groups the between/within keys are None and `groups` is empty.
    Theil L is undefined when a value is zero: its keys are then None and
    `notes` says why; the other measures are still given.
    """
    prep = prepare(values, groups, weights, data=data, measure="summary")
    require_positive_mean(prep, "summary")
    tot = _totals(prep)
    notes: list[str] = []
    has_groups = prep.codes is not None

    # The Gini's sort is the slowest step; run it on a second thread (Polars
    # and numpy release the GIL) while the other measures are computed.
    with ThreadPoolExecutor(max_workers=1) as pool:
        gini_parts = pool.submit(_gini_parts, prep, by_group=True)
        parts = _other_parts(prep, tot)
        gini_total, gini_groups = gini_parts.result()
    t_total, t_between, t_groups, l_parts, cv_total, cv_groups, zeros = parts
    if zeros:
        notes.append(zeros_note(zeros))
    l_total, l_between, l_groups = l_parts

    result: dict[str, Any] = {
        "n": int(prep.y.size),
        "weight": tot.n_people,
        "weighted": prep.weighted,
        "mean": tot.mean,
        "theil_t": t_total,
        "theil_t_between": None,
        "theil_t_within": None,
        "theil_t_between_share": None,
        "theil_l": l_total,
        "theil_l_between": None,
        "theil_l_within": None,
        "theil_l_between_share": None,
        "gini": gini_total,
        "cv": cv_total,
        "groups": {},
        "range": None,
        "compare": None,
        "notes": notes,
    }
    if not has_groups:
        if compare is not None:
            raise InputError("compare needs groups")
        return result

    pop = tot.group_weight / tot.n_people
    value_share = pop * tot.group_mean / tot.mean
    t_contribution = value_share * t_groups
    l_contribution = pop * l_groups
    result["theil_t_between"] = t_between
    result["theil_t_within"] = float(t_contribution.sum())
    result["theil_t_between_share"] = _share(t_between, t_total)
    if l_total is not None:
        result["theil_l_between"] = l_between
        result["theil_l_within"] = float(l_contribution.sum())
        result["theil_l_between_share"] = _share(l_between, l_total)
    for g, label in enumerate(prep.labels):
        result["groups"][str(label)] = {
            "n": int(tot.group_n[g]),
            "weight": float(tot.group_weight[g]),
            "population_share": float(pop[g]),
            "mean": float(tot.group_mean[g]),
            "value_share": float(value_share[g]),
            "theil_t": float(t_groups[g]),
            "theil_t_contribution": float(t_contribution[g]),
            "share": _share(float(t_contribution[g]), t_total),
            "theil_l": None if l_total is None else float(l_groups[g]),
            "theil_l_contribution": None
            if l_total is None
            else float(l_contribution[g]),
            "theil_l_share": None
            if l_total is None
            else _share(float(l_contribution[g]), l_total),
            "gini": float(gini_groups[g]),
            "cv": float(cv_groups[g]),
        }
    high, low = int(np.argmax(tot.group_mean)), int(np.argmin(tot.group_mean))
    high_mean, low_mean = float(tot.group_mean[high]), float(tot.group_mean[low])
    result["range"] = {
        "highest": str(prep.labels[high]),
        "lowest": str(prep.labels[low]),
        "gap": high_mean - low_mean,
        "ratio": high_mean / low_mean if low_mean > 0 else None,
    }
    if compare is not None:
        result["compare"] = _compare(prep.labels, tot.group_mean, compare)
    return result


def zeros_note(zeros: int) -> str:
    """Say why Theil L is missing: `zeros` values are zero."""
    return (
        f"theil_l is undefined: {zeros} value(s) are zero and Theil L takes "
        "the log of each value"
    )


def _other_parts(prep: Prepared, tot: Any) -> tuple:
    """Return Theil T, Theil L (None parts when a value is zero), CV, zero count."""
    t_total, t_between, t_groups = _theil_t_parts(prep, tot)
    zeros = int(np.count_nonzero(prep.y == 0))
    if zeros:
        l_parts = (None, None, np.full(prep.k, np.nan))
    else:
        l_parts = _theil_l_parts(prep, tot)
    cv_total, cv_groups = _cv_parts(prep, tot)
    return t_total, t_between, t_groups, l_parts, cv_total, cv_groups, zeros


def _compare(labels: list[Any], means: np.ndarray, pair: tuple[Any, Any]) -> dict:
    by_text = {str(label): g for g, label in enumerate(labels)}
    found = []
    for which, label in zip(("first", "second"), pair, strict=True):
        if str(label) not in by_text:
            shown = ", ".join(str(x) for x in labels[:30])
            raise InputError(
                f"the {which} group {label!r} is not in the groups; they are: {shown}"
            )
        found.append(float(means[by_text[str(label)]]))
    first, second = found
    return {
        "first": str(pair[0]),
        "second": str(pair[1]),
        "mean_first": first,
        "mean_second": second,
        "gap": first - second,
        "ratio": first / second if second != 0 else None,
    }
