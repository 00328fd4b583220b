"""Inequality measures of an indicator across towns, groups or people.

Notation used in every docstring: values y_i ≥ 0, weights w_i > 0 (the number of
people value i stands for; 1 each when no weights are given), N = Σ w_i,
Y = Σ w_i y_i, mean μ = Y / N. For a group g: N_g, Y_g, μ_g = Y_g / N_g,
population share p_g = N_g / N and value share s_g = Y_g / Y.

With unit weights the measures follow PySAL `inequality` 1.1
(`inequality.theil.Theil`, `TheilD`, `inequality.gini.Gini`; `Gini_Spatial.g`
is the same Gini). A weight acts as a count of people: a value of weight 3
gives exactly the figure of the same value written out three times. Rows of
weight zero are ignored.

Every function accepts numpy arrays, Polars Series, lists, or column names with
`data=` a DataFrame, and raises `InputError` (a `ValueError`) on bad input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from equiserve.equality._input import (
    InputError,
    Prepared,
    prepare,
    require_positive,
    require_positive_mean,
)

__all__ = [
    "Decomposition",
    "GroupTerm",
    "cv",
    "gap",
    "gini",
    "ratio",
    "theil_l",
    "theil_l_decomposition",
    "theil_t",
    "theil_t_decomposition",
]


@dataclass(frozen=True)
class GroupTerm:
    """One group's part in a Theil decomposition."""

    label: Any
    n: int  # rows
    weight: float  # N_g, people
    mean: float  # μ_g
    population_share: float  # p_g = N_g / N
    value_share: float  # s_g = Y_g / Y
    index: float  # the group's own Theil (T_g or L_g)
    contribution: float  # its term of the within part: s_g·T_g or p_g·L_g
    share: float  # contribution / total (0 when the total is negligible)


@dataclass(frozen=True)
class Decomposition:
    """Theil index split into between-group and within-group parts.

    total == between + within (to rounding), and the groups' contributions
    add up to within.
    """

    measure: str  # "theil_t" or "theil_l"
    total: float
    between: float
    within: float
    groups: dict[Any, GroupTerm]

    @property
    def between_share(self) -> float:
        """Return the between part as a share of the total (see `share_of`)."""
        return share_of(self.between, self.total)


# Below this a Theil index is rounding noise (all values equal to 15 digits),
# and shares of it would be noise too.
NEGLIGIBLE = 1e-12


def share_of(part: float, total: float) -> float:
    """Return part / total, or 0 when the total is negligible (no inequality)."""
    return part / total if total > NEGLIGIBLE else 0.0


# Kernels: vectorized over all rows and all groups at once (np.bincount sums
# per group in one pass), so 4 million values take tens of milliseconds.


def _per_group(prep: Prepared, x: np.ndarray) -> np.ndarray:
    return np.bincount(prep.codes, weights=x, minlength=prep.k)


_TINY = np.finfo(np.float64).tiny


def _xlogx(x: np.ndarray) -> np.ndarray:
    """Return x·ln x with 0·ln 0 = 0 (its limit): 0 · ln(tiny) is exactly 0."""
    # Clamping is several times faster than np.log(..., where=x > 0).
    return x * np.log(np.maximum(x, _TINY))


@dataclass(frozen=True)
class _Totals:
    n_people: float
    mean: float
    group_n: np.ndarray | None = None  # rows per group
    group_weight: np.ndarray | None = None  # N_g
    group_mean: np.ndarray | None = None  # μ_g


def _totals(prep: Prepared) -> _Totals:
    n_people = float(prep.w.sum())
    mean = float(np.dot(prep.w, prep.y)) / n_people
    if prep.codes is None:
        return _Totals(n_people, mean)
    group_weight = _per_group(prep, prep.w)
    group_mean = _per_group(prep, prep.w * prep.y) / group_weight
    group_n = np.bincount(prep.codes, minlength=prep.k)
    return _Totals(n_people, mean, group_n, group_weight, group_mean)


def _clip(x: float) -> float:
    """Return max(x, 0): these indices are ≥ 0, and rounding must not print -0."""
    return x if x > 0 else 0.0


def _safe(x: np.ndarray) -> np.ndarray:
    """Return x with zeros replaced by 1, to divide by a group mean that may be 0."""
    return np.where(x > 0, x, 1.0)


def _theil_t_parts(prep: Prepared, tot: _Totals) -> tuple[float, float, np.ndarray]:
    """Return T, between, and each group's T_g (groups empty without codes).

    With groups, T is between + Σ_g s_g T_g: the identity, which saves a
    second pass of logs over all rows.
    """
    if prep.codes is None:
        z = prep.y / tot.mean
        return _clip(float(np.dot(prep.w, _xlogx(z))) / tot.n_people), 0.0, np.empty(0)
    rel = tot.group_mean / tot.mean  # μ_g / μ
    pop = tot.group_weight / tot.n_people
    between = float(np.dot(pop, _xlogx(rel)))  # Σ s_g ln(μ_g/μ), s_g = p_g·μ_g/μ
    r = prep.y / _safe(tot.group_mean)[prep.codes]  # y_i / μ_g
    group_index = _per_group(prep, prep.w * _xlogx(r)) / tot.group_weight
    group_index = np.where(group_index > 0, group_index, 0.0)
    total = between + float(np.dot(pop * rel, group_index))
    return _clip(total), _clip(between), group_index


def _theil_l_parts(prep: Prepared, tot: _Totals) -> tuple[float, float, np.ndarray]:
    """Return L, between, and each group's L_g (needs every y_i > 0)."""
    log_z = np.log(prep.y / tot.mean)
    total = -float(np.dot(prep.w, log_z)) / tot.n_people
    if prep.codes is None:
        return _clip(total), 0.0, np.empty(0)
    log_rel = np.log(tot.group_mean / tot.mean)
    pop = tot.group_weight / tot.n_people
    between = -float(np.dot(pop, log_rel))  # Σ p_g ln(μ/μ_g)
    log_r = log_z - log_rel[prep.codes]  # ln(y_i / μ_g)
    group_index = -_per_group(prep, prep.w * log_r) / tot.group_weight
    return _clip(total), _clip(between), np.where(group_index > 0, group_index, 0.0)


def _cv_parts(prep: Prepared, tot: _Totals) -> tuple[float, np.ndarray]:
    """Return the CV and each group's CV (0 for a group whose values are all 0).

    With groups, the total variance is Σ_g p_g (var_g + (μ_g − μ)²), the law
    of total variance, which saves a second pass over all rows.
    """
    if prep.codes is None:
        variance = np.dot(prep.w, (prep.y - tot.mean) ** 2) / tot.n_people
        return math.sqrt(variance) / tot.mean, np.empty(0)
    dev = prep.y - tot.group_mean[prep.codes]
    group_variance = _per_group(prep, prep.w * dev * dev) / tot.group_weight
    pop = tot.group_weight / tot.n_people
    variance = float(np.dot(pop, group_variance + (tot.group_mean - tot.mean) ** 2))
    group_cv = np.sqrt(group_variance) / _safe(tot.group_mean)
    return math.sqrt(variance) / tot.mean, np.where(tot.group_mean > 0, group_cv, 0.0)


def _gini_parts(prep: Prepared, *, by_group: bool) -> tuple[float, np.ndarray]:
    """Return the Gini and, if asked, each group's Gini from one sort of the values.

    After sorting by value, G = Σ_i w_i y_i (2 C_i − w_i − N) / (N·Y) with
    C_i = Σ_{j ≤ i} w_j; with unit weights this is PySAL's
    (2 Σ_i i·y_(i) − (n + 1)·Y) / (n·Y).
    """
    by_group = by_group and prep.codes is not None
    # The sort is the costly step. The bits of a non-negative float sort as an
    # unsigned integer in the same order, a little faster than as a float
    # (+ 0.0 turns a -0.0 into 0.0). Polars' multithreaded sort loses on 2
    # cores, and summary() runs this beside other work.
    key = (prep.y + 0.0).view(np.uint64)
    if not prep.weighted and not by_group:
        ys = pl.Series(key).sort(multithreaded=False).to_numpy().view(np.float64)
        return _gini_sorted(ys, np.ones_like(ys)), np.empty(0)
    frame = {"y": key}
    if prep.weighted:
        frame["w"] = prep.w
    if by_group:
        # numpy's stable sort is a radix sort for 8- and 16-bit keys.
        key_type = (
            np.uint8 if prep.k <= 2**8 else np.uint16 if prep.k <= 2**16 else np.uint32
        )
        frame["g"] = prep.codes.astype(key_type)
    ordered = pl.DataFrame(frame).sort("y", multithreaded=False)
    ys = ordered["y"].to_numpy().view(np.float64)
    ws = ordered["w"].to_numpy() if prep.weighted else np.ones_like(ys)
    total = _gini_sorted(ys, ws)
    if not by_group:
        return total, np.empty(0)
    # A stable sort by group keeps each group's rows in value order; the
    # groups are then contiguous blocks, summed with reduceat.
    order = np.argsort(ordered["g"].to_numpy(), kind="stable")
    ys, ws = np.take(ys, order), np.take(ws, order)
    counts = np.bincount(prep.codes, minlength=prep.k)  # every group has rows
    starts = np.cumsum(counts) - counts
    wy = ws * ys
    cum = np.cumsum(ws)
    # Within group g, C_i = cum_i − before_g, so Σ_g w y (2 C − w − N_g)
    # = Σ_g w y (2 cum − w) − (2 before_g + N_g)·Y_g.
    before = cum[starts] - ws[starts]
    group_weight = np.add.reduceat(ws, starts)
    group_value = np.add.reduceat(wy, starts)
    numerator = np.add.reduceat(wy * (2.0 * cum - ws), starts)
    numerator -= (2.0 * before + group_weight) * group_value
    denominator = group_weight * group_value
    return total, np.where(group_value > 0, numerator / _safe(denominator), 0.0)


def _gini_sorted(ys: np.ndarray, ws: np.ndarray) -> float:
    cum = np.cumsum(ws)
    n_people = cum[-1]
    value = float(np.dot(ws, ys))
    return float(np.dot(ws * ys, 2.0 * cum - ws - n_people)) / (n_people * value)


# Public measures.


def cv(values: Any, weights: Any = None, *, data: Any = None) -> float:
    """Return the coefficient of variation: the standard deviation over the mean.

    CV = sqrt(Σ w_i (y_i − μ)² / N) / μ, the population (ddof = 0) standard
    deviation, so unit weights give the unweighted CV and population weights
    give Williamson's (1965) weighted CV. Needs non-negative values that are
    not all zero.
    """
    prep = prepare(values, weights=weights, data=data, measure="cv")
    require_positive_mean(prep, "cv")
    return _cv_parts(prep, _totals(prep))[0]


def gini(values: Any, weights: Any = None, *, data: Any = None) -> float:
    """Return the Gini coefficient (0 = all equal, towards 1 = all held by one).

    G = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 N² μ), the mean absolute difference
    over all pairs of people (each person also paired with themselves) divided
    by twice the mean, as PySAL's `Gini` (`_gini`) with unit weights. Computed
    from one sort: with values sorted ascending and C_i the weight up to and
    including row i, G = Σ_i w_i y_i (2 C_i − w_i − N) / (N·Y). Zeros are
    allowed; needs non-negative values that are not all zero.
    """
    prep = prepare(values, weights=weights, data=data, measure="gini")
    require_positive_mean(prep, "gini")
    return _gini_parts(prep, by_group=False)[0]


def theil_t(values: Any, weights: Any = None, *, data: Any = None) -> float:
    """Return Theil's T (GE(1)): the population-weighted mean of (y/μ)·ln(y/μ).

    T = (1/N) Σ_i w_i (y_i/μ) ln(y_i/μ). With unit weights this equals PySAL's
    `Theil`: Σ_i s_i ln(n·s_i) with s_i = y_i / Σ y. A zero value contributes
    0·ln 0 = 0 (the limit; PySAL adds a tiny number to zeros to the same
    effect). 0 means all equal; the maximum is ln N. Needs non-negative values
    that are not all zero.
    """
    prep = prepare(values, weights=weights, data=data, measure="theil_t")
    require_positive_mean(prep, "theil_t")
    return _theil_t_parts(prep, _totals(prep))[0]


def theil_l(values: Any, weights: Any = None, *, data: Any = None) -> float:
    """Return Theil's L, the mean log deviation (GE(0)).

    L = (1/N) Σ_i w_i ln(μ/y_i). Undefined when a value is zero (ln 0), so
    zeros raise `InputError`: use `theil_t` or `gini` for indicators with
    zeros. PySAL has no Theil L; this is the standard definition (Theil 1967;
    Shorrocks 1980).
    """
    prep = prepare(values, weights=weights, data=data, measure="theil_l")
    require_positive(prep, "theil_l")
    return _theil_l_parts(prep, _totals(prep))[0]


def _decomposition(
    prep: Prepared, tot: _Totals, measure: str, parts: tuple[float, float, np.ndarray]
) -> Decomposition:
    total, between, index = parts
    pop = tot.group_weight / tot.n_people
    value_share = pop * tot.group_mean / tot.mean
    contribution = (value_share if measure == "theil_t" else pop) * index
    within = float(contribution.sum())
    groups = {
        label: GroupTerm(
            label=label,
            n=int(tot.group_n[g]),
            weight=float(tot.group_weight[g]),
            mean=float(tot.group_mean[g]),
            population_share=float(pop[g]),
            value_share=float(value_share[g]),
            index=float(index[g]),
            contribution=float(contribution[g]),
            share=share_of(float(contribution[g]), total),
        )
        for g, label in enumerate(prep.labels)
    }
    return Decomposition(measure, total, between, within, groups)


def theil_t_decomposition(
    values: Any, groups: Any, weights: Any = None, *, data: Any = None
) -> Decomposition:
    """Split Theil's T into between-group and within-group inequality.

    between = Σ_g s_g ln(μ_g/μ) = Σ_g s_g ln(s_g/p_g), PySAL `TheilD.bg`
    (which writes it Σ_g s_g ln(n/n_g·s_g) with unit weights);
    within = Σ_g s_g T_g, where T_g is the group's own T; T = between + within.
    Each group's `contribution` is s_g·T_g and its `share` is s_g·T_g / T, so
    the shares plus `between_share` add up to 1 (shares are 0 when T is below
    1e-12, i.e. all values equal to rounding). A group whose values are all
    zero has s_g = 0 and adds nothing; its own T_g is reported as 0 (all equal).
    """
    prep = prepare(values, groups, weights, data=data, measure="theil_t")
    require_positive_mean(prep, "theil_t")
    tot = _totals(prep)
    return _decomposition(prep, tot, "theil_t", _theil_t_parts(prep, tot))


def theil_l_decomposition(
    values: Any, groups: Any, weights: Any = None, *, data: Any = None
) -> Decomposition:
    """Split Theil's L into between-group and within-group inequality.

    between = Σ_g p_g ln(μ/μ_g); within = Σ_g p_g L_g, where L_g is the
    group's own mean log deviation; L = between + within. Each group's
    `contribution` is p_g·L_g and its `share` p_g·L_g / L. Zeros raise
    `InputError`, as in `theil_l`.
    """
    prep = prepare(values, groups, weights, data=data, measure="theil_l")
    require_positive(prep, "theil_l")
    tot = _totals(prep)
    return _decomposition(prep, tot, "theil_l", _theil_l_parts(prep, tot))


def _group_index(prep: Prepared, label: Any, which: str) -> int:
    if label in prep.labels:
        return prep.labels.index(label)
    shown = ", ".join(map(repr, prep.labels[:30]))
    raise InputError(
        f"the {which} group {label!r} is not in the groups; they are: {shown}"
    )


def _two_means(
    values: Any,
    groups: Any,
    first: Any,
    second: Any,
    weights: Any,
    data: Any,
    measure: str,
) -> tuple[float, float]:
    prep = prepare(
        values, groups, weights, data=data, measure=measure, nonnegative=False
    )
    tot = _totals(prep)
    a = _group_index(prep, first, "first")
    b = _group_index(prep, second, "second")
    return float(tot.group_mean[a]), float(tot.group_mean[b])


def gap(
    values: Any,
    groups: Any,
    first: Any,
    second: Any,
    weights: Any = None,
    *,
    data: Any = None,
) -> float:
    """Return the gap between two groups' means: μ_first − μ_second.

    Group means are population-weighted: μ_g = Σ_{i∈g} w_i y_i / N_g. For the
    registered–migrant gap pass the registry's hukou labels, e.g.
    `gap(rate, hukou, "zhongshan", "elsewhere", weights=people)`; for the
    urban–rural gap, "urban" and "rural". Any finite values are accepted.
    """
    mean_first, mean_second = _two_means(
        values, groups, first, second, weights, data, "gap"
    )
    return mean_first - mean_second


def ratio(
    values: Any,
    groups: Any,
    first: Any,
    second: Any,
    weights: Any = None,
    *,
    data: Any = None,
) -> float:
    """Return the ratio of two groups' means: μ_first / μ_second.

    Means are weighted as in `gap`. 1 means parity; e.g. the migrant rate over
    the registered rate, `ratio(rate, hukou, "elsewhere", "zhongshan")`, is the
    share of the registered residents' level that migrants reach. Raises
    `InputError` when the second group's mean is zero.
    """
    mean_first, mean_second = _two_means(
        values, groups, first, second, weights, data, "ratio"
    )
    if mean_second == 0:
        raise InputError(
            f"the ratio is undefined: the mean of the second group {second!r} is zero"
        )
    return mean_first / mean_second
