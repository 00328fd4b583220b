"""Sigma and beta convergence, by hand-worked cases."""

import math

import numpy as np
import polars as pl
import pytest

from equiserve.equality import InputError, beta_convergence, sigma_convergence

# Two towns over three half-years; weights are people.
PERIODS = ["2014H1", "2014H1", "2014H2", "2014H2", "2015H1", "2015H1"]
RATES = [1.0, 3.0, 2.0, 3.0, 2.0, 2.0]


def test_sigma_convergence_of_the_cv_by_hand():
    result = sigma_convergence(RATES, PERIODS)
    # 2014H1: 1 and 3, μ = 2, sd = 1, CV = 0.5
    # 2014H2: 2 and 3, μ = 2.5, sd = 0.5, CV = 0.2
    # 2015H1: 2 and 2, CV = 0
    assert result.periods == ("2014H1", "2014H2", "2015H1")
    assert result.values == pytest.approx((0.5, 0.2, 0.0), abs=1e-15)
    assert result.change == pytest.approx(-0.5)
    assert result.relative_change == pytest.approx(-1.0)
    assert result.converging is True


def test_sigma_convergence_orders_periods_by_label_not_by_row():
    shuffled = [4, 5, 2, 3, 0, 1]
    result = sigma_convergence(
        [RATES[i] for i in shuffled], [PERIODS[i] for i in shuffled]
    )
    assert result.values == pytest.approx((0.5, 0.2, 0.0), abs=1e-15)


def test_sigma_convergence_weighted_theil_t_and_sd_log_by_hand():
    values = [1.0, 2.0, 1.0, 1.0]
    periods = [2014, 2014, 2015, 2015]
    weights = [1, 3, 2, 2]
    # 2014 is case A of test_weighted: T = (1/7) ln(4/7) + (6/7) ln(8/7); 2015: 0.
    t_2014 = math.log(4 / 7) / 7 + 6 / 7 * math.log(8 / 7)
    result = sigma_convergence(values, periods, weights, measure="theil_t")
    assert result.periods == (2014, 2015)
    assert result.values == pytest.approx((t_2014, 0.0), abs=1e-15)
    assert result.converging is True
    # sd of logs in 2014: ln 1 = 0 (1 person), ln 2 (3 people);
    # mean ¾ ln 2, sd = sqrt(¼·(¾ ln 2)² + ¾·(¼ ln 2)²) = ln 2 · √3/4
    sd_log = sigma_convergence(values, periods, weights, measure="sd_log")
    assert sd_log.values[0] == pytest.approx(math.log(2) * math.sqrt(3) / 4)


def test_sigma_divergence_and_every_measure_from_a_data_frame():
    frame = pl.DataFrame(
        {"rate": [2.0, 2.0, 1.0, 3.0], "half": ["2014H1", "2014H1", "2014H2", "2014H2"]}
    )
    for measure in ("cv", "gini", "theil_t", "theil_l", "sd_log"):
        result = sigma_convergence("rate", "half", measure=measure, data=frame)
        assert result.values[0] == 0.0 and result.values[1] > 0
        assert result.converging is False
        assert result.relative_change is None  # the first period has no dispersion
    # Gini of 1 and 3: ΣΣ|diff| = 4, G = 4 / (2·4·2) = 0.25
    assert (
        sigma_convergence("rate", "half", measure="gini", data=frame).values[1] == 0.25
    )


def test_beta_convergence_by_hand():
    # Initial levels 1, e, e²: ln = 0, 1, 2. Growth per year over 2 years
    # 0.2, 0.1, 0.0 (final = initial·e^(2g)): growth = 0.2 − 0.1·ln(initial).
    initial = [1.0, math.e, math.e**2]
    final = [math.exp(0.4), math.exp(1.2), math.exp(2.0)]
    result = beta_convergence(initial, final, span=2)
    assert result.beta == pytest.approx(-0.1, abs=1e-12)
    assert result.alpha == pytest.approx(0.2, abs=1e-12)
    assert result.r_squared == pytest.approx(1.0, abs=1e-12)
    assert result.n == 3 and result.converging is True
    # λ = −ln(1 + β·span)/span = −ln(0.8)/2 = 0.111572; half-life ln 2/λ = 6.2126
    assert result.speed == pytest.approx(-math.log(0.8) / 2, abs=1e-12)
    assert result.half_life == pytest.approx(math.log(2) / (-math.log(0.8) / 2))


def test_beta_convergence_weights_count_units():
    rng = np.random.default_rng(7)
    initial = rng.lognormal(0, 0.5, 12)
    final = initial * rng.lognormal(0.1, 0.2, 12)
    weights = rng.integers(1, 5, 12)
    weighted = beta_convergence(initial, final, weights)
    replicated = beta_convergence(
        np.repeat(initial, weights), np.repeat(final, weights)
    )
    assert weighted.beta == pytest.approx(replicated.beta, rel=1e-12)
    assert weighted.alpha == pytest.approx(replicated.alpha, rel=1e-12)
    assert weighted.r_squared == pytest.approx(replicated.r_squared, rel=1e-12)
    # Against numpy's least squares on the replicated rows.
    x = np.log(np.repeat(initial, weights))
    g = np.log(np.repeat(final, weights) / np.repeat(initial, weights))
    slope, intercept = np.polyfit(x, g, 1)
    assert weighted.beta == pytest.approx(slope, rel=1e-10)
    assert weighted.alpha == pytest.approx(intercept, rel=1e-10)


def test_beta_divergence_has_no_half_life():
    # Growth 0.1·ln(initial): the rich grow faster.
    result = beta_convergence([1.0, math.e], [1.0, math.e * math.exp(0.1)])
    assert result.beta == pytest.approx(0.1)
    assert result.converging is False
    assert result.speed == pytest.approx(-math.log(1.1))
    assert result.half_life is None


def test_convergence_errors():
    with pytest.raises(InputError, match="^unknown measure 'iqr'; choose one of cv, "):
        sigma_convergence(RATES, PERIODS, measure="iqr")
    with pytest.raises(
        InputError,
        match=r"^sigma convergence needs at least two periods; got 1 \(2014H1\)$",
    ):
        sigma_convergence([1.0, 2.0], ["2014H1", "2014H1"])
    with pytest.raises(
        InputError,
        match="^values are all zero in period\\(s\\) 2014H2, so cv is undefined",
    ):
        sigma_convergence([1.0, 2.0, 0.0], ["2014H1", "2014H1", "2014H2"])
    with pytest.raises(InputError, match="^theil_l needs strictly positive values"):
        sigma_convergence([1.0, 0.0], [1, 2], measure="theil_l")
    with pytest.raises(InputError, match="^span must be positive; got 0$"):
        beta_convergence([1.0, 2.0], [1.0, 2.0], span=0)
    with pytest.raises(
        InputError, match="^final values have 1 rows but initial values have 2$"
    ):
        beta_convergence([1.0, 2.0], [1.0])
    with pytest.raises(
        InputError,
        match="^beta_convergence needs strictly positive initial values because it "
        "takes the log of each one; 1 initial values are zero",
    ):
        beta_convergence([0.0, 2.0], [1.0, 2.0])
    with pytest.raises(
        InputError,
        match="^beta_convergence needs strictly positive final values because it takes "
        "the log of each one; 1 are zero or negative$",
    ):
        beta_convergence([1.0, 2.0], [1.0, 0.0])
    with pytest.raises(
        InputError,
        match="^beta_convergence needs initial values that differ; all 2 are 3$",
    ):
        beta_convergence([3.0, 3.0], [1.0, 2.0])
