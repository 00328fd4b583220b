"""Convergence of an indicator across periods: sigma and beta convergence.

Sigma convergence asks whether dispersion across units (towns, groups) falls
from one period to the next; beta convergence whether units that started low
grow faster (Barro and Sala-i-Martin 1992, "Convergence", J. Polit. Econ. 100).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from equiserve.equality._input import (
    InputError,
    Prepared,
    column,
    prepare,
    require_positive,
    to_float,
)
from equiserve.equality.measures import (
    _cv_parts,
    _gini_parts,
    _theil_l_parts,
    _theil_t_parts,
    _totals,
)

__all__ = [
    "BetaConvergence",
    "SigmaConvergence",
    "beta_convergence",
    "sigma_convergence",
]

SIGMA_MEASURES = ("cv", "gini", "theil_t", "theil_l", "sd_log")


@dataclass(frozen=True)
class SigmaConvergence:
    """Dispersion per period, in period order, and its change."""

    measure: str
    periods: tuple[Any, ...]
    values: tuple[float, ...]
    change: float  # last − first
    relative_change: float | None  # change / first; None when first is 0
    converging: bool  # the last period's dispersion is below the first's


@dataclass(frozen=True)
class BetaConvergence:
    """Least-squares fit of growth on the log initial level."""

    beta: float  # slope; < 0 means low starters grow faster
    alpha: float  # intercept
    r_squared: float | None  # None when growth is the same everywhere
    n: int
    span: float
    speed: float | None  # λ = −ln(1 + β·span) / span, when 1 + β·span > 0
    half_life: float | None  # ln 2 / λ, when λ > 0
    converging: bool  # beta < 0


def sigma_convergence(
    values: Any,
    periods: Any,
    weights: Any = None,
    *,
    measure: str = "cv",
    data: Any = None,
) -> SigmaConvergence:
    """Measure the dispersion of values in each period and its change over time.

    Input is long: one row per unit and period (e.g. town × half-year), with
    optional population weights. `measure` is one of "cv", "gini", "theil_t",
    "theil_l" (the functions of the same name, applied to each period's rows)
    or "sd_log", the weighted standard deviation of ln y, the classic
    sigma of Barro and Sala-i-Martin. Periods are ordered by their labels
    ("2014H1" < "2014H2" < "2015H1"). There is sigma convergence when the
    dispersion of the last period is below that of the first. Each period is
    measured on the rows it holds, so give every period the same units.
    """
    if measure not in SIGMA_MEASURES:
        raise InputError(
            f"unknown measure {measure!r}; choose one of {', '.join(SIGMA_MEASURES)}"
        )
    prep = prepare(values, periods, weights, data=data, measure=measure)
    if prep.k < 2:
        raise InputError(
            "sigma convergence needs at least two periods; got "
            f"{prep.k} ({', '.join(map(str, prep.labels))})"
        )
    if measure in ("theil_l", "sd_log"):
        require_positive(prep, measure)
    tot = _totals(prep)
    empty = [
        str(label)
        for label, m in zip(prep.labels, tot.group_mean, strict=True)
        if m == 0
    ]
    if empty:
        raise InputError(
            f"values are all zero in period(s) {', '.join(empty)}, so {measure} "
            "is undefined there"
        )
    series = _per_period(prep, tot, measure)
    first, last = float(series[0]), float(series[-1])
    return SigmaConvergence(
        measure=measure,
        periods=tuple(prep.labels),
        values=tuple(float(v) for v in series),
        change=last - first,
        relative_change=(last - first) / first if first > 0 else None,
        converging=last < first,
    )


def _per_period(prep: Prepared, tot: Any, measure: str) -> np.ndarray:
    if measure == "cv":
        return _cv_parts(prep, tot)[1]
    if measure == "gini":
        return _gini_parts(prep, by_group=True)[1]
    if measure == "theil_t":
        return _theil_t_parts(prep, tot)[2]
    if measure == "theil_l":
        return _theil_l_parts(prep, tot)[2]
    logs = np.log(prep.y)
    weight = tot.group_weight
    log_mean = np.bincount(prep.codes, prep.w * logs, prep.k) / weight
    dev = logs - log_mean[prep.codes]
    return np.sqrt(np.bincount(prep.codes, prep.w * dev * dev, prep.k) / weight)


def beta_convergence(
    initial: Any,
    final: Any,
    weights: Any = None,
    *,
    span: float = 1.0,
    data: Any = None,
) -> BetaConvergence:
    """Fit growth on the log initial level by (weighted) least squares.

    For each unit i, growth g_i = ln(final_i / initial_i) / span (span: the
    number of years, or half-years, between the two observations) and
    x_i = ln(initial_i). The fit g = α + β·x minimizes Σ w_i (g_i − α − β x_i)²:
    β = Σ w (x − x̄)(g − ḡ) / Σ w (x − x̄)², α = ḡ − β x̄, with weighted means
    x̄, ḡ (unit weights by default). β < 0 is beta convergence; the implied
    speed is λ = −ln(1 + β·span) / span and the half-life ln 2 / λ. Both levels
    must be positive, and the initial levels must not all be equal.
    """
    if not span > 0:
        raise InputError(f"span must be positive; got {span}")
    start = to_float(column(initial, "initial values", data), "initial values")
    end = to_float(column(final, "final values", data), "final values")
    if end.size != start.size:
        raise InputError(
            f"final values have {end.size} rows but initial values have {start.size}"
        )
    prep = prepare(start, None, weights, data=data, measure="beta_convergence")
    require_positive(prep, "beta_convergence", "initial values")
    if prep.keep is not None:
        end = end[prep.keep]
    if (end <= 0).any():
        raise InputError(
            "beta_convergence needs strictly positive final values because it takes "
            f"the log of each one; {int(np.count_nonzero(end <= 0))} are zero or "
            "negative"
        )
    if np.ptp(prep.y) == 0:
        raise InputError(
            "beta_convergence needs initial values that differ; "
            f"all {prep.y.size} are {prep.y[0]:g}"
        )
    x = np.log(prep.y)
    growth = np.log(end / prep.y) / span
    w = prep.w / prep.w.sum()
    x_bar, g_bar = float(np.dot(w, x)), float(np.dot(w, growth))
    dx, dg = x - x_bar, growth - g_bar
    sxx = float(np.dot(w, dx * dx))
    beta = float(np.dot(w, dx * dg)) / sxx
    alpha = g_bar - beta * x_bar
    sst = float(np.dot(w, dg * dg))
    residual = growth - alpha - beta * x
    r_squared = 1.0 - float(np.dot(w, residual * residual)) / sst if sst > 0 else None
    base = 1.0 + beta * span
    speed = -math.log(base) / span if base > 0 else None
    return BetaConvergence(
        beta=beta,
        alpha=alpha,
        r_squared=r_squared,
        n=int(x.size),
        span=float(span),
        speed=speed,
        half_life=math.log(2) / speed if speed is not None and speed > 0 else None,
        converging=beta < 0,
    )
