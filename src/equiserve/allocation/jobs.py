"""Match job seekers to vacancies and count the labour register's figures (3.7).

Plain numpy and Polars, no Django (issue 15): the employment app hands in its
register as frames, benchmarks hand in a synthetic city of the same shape.

- `match_jobs(seekers, vacancies, ...)`: each seeker's best vacancies. A pair is
  considered only within one middle group of the national occupational
  classification (职业分类 中类, which names its major group too), when the
  wage offered reaches the seeker's asking wage and the commute is within the
  limit. The commute is the straight-line distance in the accessibility
  package's local projection times a detour factor, at a travel speed. Pairs
  are scored on the skills asked that the seeker has, the wage above the asking
  one and the commute; vectorized per occupation group in bounded chunks.
- `unemployment_rates(register)`: registered urban unemployed ÷ (urban employed +
  registered urban unemployed) by town and for the city.
- `community_assessment(register, ...)`: each community against the
  full-employment criteria (rate and zero-employment families).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import polars as pl

from equiserve.accessibility import LocalProjection

EMPLOYED, UNEMPLOYED, INACTIVE = "employed", "unemployed", "inactive"
# At most this many seeker × vacancy pairs are scored at once (≈ 100 MB).
CHUNK_PAIRS = 2_000_000

# Zhongshan's south-west corner in the local projection (metres), so that the
# float32 coordinates are small.
ORIGIN = LocalProjection().xy([113.1], [22.2])[0]

SEEKER_COLUMNS = ("seeker", "occupation", "skills", "wage_min", "lon", "lat")
VACANCY_COLUMNS = ("vacancy", "occupation", "skills", "wage", "lon", "lat")


@dataclass(frozen=True)
class Commute:
    """How far a seeker may travel: minutes at a speed, roads longer than a line."""

    max_minutes: float = 60.0
    speed_m_per_min: float = 500.0  # 30 km/h by bus or e-bike, an assumption
    detour_factor: float = 1.3

    def minutes(self, metres: np.ndarray) -> np.ndarray:
        return metres * self.detour_factor / self.speed_m_per_min


def _skill_share(have: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Return the share of the skills asked (bit sets) that the seeker has; 1 if none asked."""
    asked_n = np.bitwise_count(asked).astype(np.float32)
    held = np.bitwise_count(np.bitwise_and.outer(have, asked)).astype(np.float32)
    return np.divide(held, asked_n, out=np.ones_like(held), where=asked_n > 0)


def _score_block(s, v, commute: Commute):
    """Return (score, minutes) for every pair of a block; -inf where a pair is out.

    float32 and in-place arithmetic: the pairs of a city are many, the
    precision needed (minutes, a wage ratio) is small.
    """
    minutes = np.subtract.outer(s["x"], v["x"])
    minutes *= minutes
    dy = np.subtract.outer(s["y"], v["y"])
    dy *= dy
    minutes += dy
    np.sqrt(minutes, out=minutes)
    minutes *= np.float32(commute.detour_factor / commute.speed_m_per_min)
    gap = np.subtract.outer(-s["wage_min"], -v["wage"])  # wage offered − asked
    out = (gap < 0) | (minutes > commute.max_minutes)
    gap /= np.maximum(s["wage_min"], 1.0)[:, None]
    np.minimum(gap, np.float32(0.5), out=gap)
    score = _skill_share(s["skills"], v["skills"])
    score *= 2
    score += gap
    score -= minutes / np.float32(max(commute.max_minutes, 1.0))
    score[out] = -np.inf
    return score, minutes


def _top_k(score: np.ndarray, k: int) -> np.ndarray:
    """Return the columns of each row's k best scores, best first (ties: lower column)."""
    if k < score.shape[1]:
        candidates = np.argpartition(-score, k - 1, axis=1)[:, :k]
    else:
        candidates = np.broadcast_to(np.arange(score.shape[1]), score.shape)
    picked = np.take_along_axis(score, candidates, axis=1)
    # Sort the k by score, then column, so the order does not depend on the partition.
    order = np.lexsort((candidates, -picked), axis=1)
    return np.take_along_axis(candidates, order, axis=1)


def _arrays(frame: pl.DataFrame, projection: LocalProjection, wage: str) -> dict:
    xy = projection.xy(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    return {
        "id": frame[frame.columns[0]].to_numpy(),
        "skills": frame["skills"].cast(pl.UInt64).to_numpy(),
        wage: frame[wage].cast(pl.Float32).to_numpy(),
        # Metres from the projection's origin: float32 keeps a metre's precision
        # after subtracting the city's first point.
        "x": (xy[:, 0] - ORIGIN[0]).astype(np.float32),
        "y": (xy[:, 1] - ORIGIN[1]).astype(np.float32),
    }


def _take(arrays: dict, index: np.ndarray) -> dict:
    return {key: value[index] for key, value in arrays.items()}


def match_jobs(
    seekers: pl.DataFrame,
    vacancies: pl.DataFrame,
    *,
    top: int = 3,
    commute: Commute | None = None,
) -> pl.DataFrame:
    """Return each seeker's best `top` vacancies: seeker, vacancy, rank, score, minutes.

    `seekers` has the columns of SEEKER_COLUMNS (asking wage `wage_min`),
    `vacancies` those of VACANCY_COLUMNS; `skills` are bit sets (UInt64),
    `occupation` the middle-group code. Ties keep the vacancy listed first.
    """
    commute = commute or Commute()
    projection = LocalProjection()
    s_all = _arrays(seekers.select(SEEKER_COLUMNS), projection, "wage_min")
    v_all = _arrays(vacancies.select(VACANCY_COLUMNS), projection, "wage")
    s_occ = seekers["occupation"].cast(pl.Utf8).to_numpy()
    v_occ = vacancies["occupation"].cast(pl.Utf8).to_numpy()
    parts = []
    v_order = np.argsort(v_occ, kind="stable")
    v_groups, v_starts = np.unique(v_occ[v_order], return_index=True)
    v_stops = [*v_starts[1:], len(v_order)]
    v_bounds = dict(zip(v_groups, zip(v_starts, v_stops, strict=True), strict=True))
    s_order = np.argsort(s_occ, kind="stable")
    s_groups, s_starts = np.unique(s_occ[s_order], return_index=True)
    for group, start, stop in zip(
        s_groups, s_starts, [*s_starts[1:], len(s_order)], strict=True
    ):
        if group not in v_bounds:
            continue
        v_index = v_order[slice(*v_bounds[group])]
        v = _take(v_all, v_index)
        k = min(top, len(v_index))
        rows = max(1, CHUNK_PAIRS // len(v_index))
        for first in range(start, stop, rows):
            s_index = s_order[first : min(first + rows, stop)]
            score, minutes = _score_block(_take(s_all, s_index), v, commute)
            best = _top_k(score, k)
            best_score = np.take_along_axis(score, best, axis=1)
            keep = np.isfinite(best_score)
            seeker_at = np.repeat(np.arange(len(s_index)), k).reshape(-1, k)
            parts.append(
                {
                    "seeker": s_all["id"][s_index][seeker_at[keep]],
                    "vacancy": v["id"][best[keep]],
                    "rank": (np.tile(np.arange(1, k + 1), (len(s_index), 1)))[keep],
                    "score": best_score[keep],
                    "minutes": np.take_along_axis(minutes, best, axis=1)[keep],
                }
            )
    if not parts:
        return pl.DataFrame(
            schema={
                "seeker": seekers.schema[seekers.columns[0]],
                "vacancy": vacancies.schema[vacancies.columns[0]],
                "rank": pl.Int64,
                "score": pl.Float64,
                "minutes": pl.Float64,
            }
        )
    return pl.concat([pl.DataFrame(part) for part in parts]).sort("seeker", "rank")


def _percent(numerator: int, denominator: int) -> Decimal | None:
    """Return 100 × numerator ÷ denominator to two decimals (half up); None over 0."""
    if not denominator:
        return None
    value = Decimal(100 * numerator) / Decimal(denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rate_row(unemployed: int, employed: int) -> dict:
    labour_force = unemployed + employed
    return {
        "rate": _percent(unemployed, labour_force),
        "unemployed": unemployed,
        "employed": employed,
        "labour_force": labour_force,
    }


def unemployment_rates(register: pl.DataFrame) -> dict:
    """Return the registered urban unemployment rate by town and for the city (3.7).

    `register` has one row per person of working age on the day: `town`,
    `status` (employed, unemployed, inactive) and `urban`. The rate is a
    percentage to two decimals: urban unemployed ÷ (urban employed + urban
    unemployed) × 100; a town with no urban labour force has no rate (None).
    """
    counts = (
        register.lazy()
        .filter(pl.col("urban"))
        .group_by("town")
        .agg(
            (pl.col("status") == UNEMPLOYED).sum().alias("unemployed"),
            (pl.col("status") == EMPLOYED).sum().alias("employed"),
        )
        .sort("town")
        .collect()
    )
    towns = {
        row["town"]: _rate_row(int(row["unemployed"]), int(row["employed"]))
        for row in counts.iter_rows(named=True)
    }
    city = _rate_row(
        sum(t["unemployed"] for t in towns.values()),
        sum(t["employed"] for t in towns.values()),
    )
    return {"city": city, "towns": towns}


def community_assessment(
    register: pl.DataFrame,
    *,
    max_rate: Decimal,
    max_zero_employment_families: int,
) -> pl.DataFrame:
    """Return each community's figures and whether it meets the full-employment standard.

    `register` has `community`, `household`, `status` for the working-age
    residents of communities. A zero-employment family (零就业家庭) is a
    household with someone in the labour force and no one employed. A
    community meets the standard when its rate (unemployed ÷ labour force, in
    %) is at most `max_rate` and it has at most `max_zero_employment_families`.
    """
    households = register.group_by("community", "household").agg(
        (pl.col("status") != INACTIVE).any().alias("active"),
        (pl.col("status") == EMPLOYED).any().alias("earning"),
    )
    zero = households.group_by("community").agg(
        (pl.col("active") & ~pl.col("earning")).sum().alias("zero_employment_families")
    )
    counts = register.group_by("community").agg(
        (pl.col("status") == UNEMPLOYED).sum().alias("unemployed"),
        (pl.col("status") != INACTIVE).sum().alias("labour_force"),
    )
    # Compare exactly: unemployed × 100 ≤ max_rate × labour force.
    limit = float(max_rate)
    return (
        counts.join(zero, on="community", how="left")
        .with_columns(
            (
                (pl.col("unemployed") * 100 <= pl.col("labour_force") * limit)
                & (pl.col("zero_employment_families") <= max_zero_employment_families)
            ).alias("meets")
        )
        .sort("community")
    )
