"""Judge an indicator's value against its target: met, on track, at risk, off track.

The rule (the tolerance is a setting the coordinating office owns, illustrative
until it sets one):

- met: the value, as shown, reaches the target;
- a deadline with a linear path: the expected value on the period's last day
  lies on the straight line from the baseline (the value in the plan's first
  period, 2014H1; without one the whole target is expected) to the target on
  its date. At or beyond it: on track; short of it by no more
  than tolerance × |target − baseline|: at risk; further: off track;
- a deadline with a step path (a change made on one day): on track until the
  deadline;
- after the deadline: short by no more than the tolerance (of |target −
  baseline|, or of |target| without a baseline): at risk; further: off track;
- a standing target (`from:`): short by no more than tolerance × |target|: at
  risk; further: off track.

Also: no target, no data (no value yet), not due (before a standing target starts).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from equiserve.monitoring.definitions import LINEAR, STEP, Indicator, Target
from equiserve.monitoring.periods import PERIODS, Period

MET, ON_TRACK, AT_RISK, OFF_TRACK = "met", "on_track", "at_risk", "off_track"
NO_DATA, NO_TARGET, NOT_DUE = "no_data", "no_target", "not_due"
STATUSES = (MET, ON_TRACK, AT_RISK, OFF_TRACK, NOT_DUE, NO_DATA, NO_TARGET)
STATUS_LABELS = {
    MET: _("Met"),
    ON_TRACK: _("On track"),
    AT_RISK: _("At risk"),
    OFF_TRACK: _("Off track"),
    NOT_DUE: _("Not yet due"),
    NO_DATA: _("No data"),
    NO_TARGET: _("No target in the plan"),
}
# The statuses counted per domain on the dashboard, worst last.
JUDGED = (MET, ON_TRACK, AT_RISK, OFF_TRACK)


@dataclass(frozen=True)
class Judgement:
    status: str
    target: float | None = None
    expected: float | None = None
    rule: Target | None = None

    @property
    def label(self):
        return STATUS_LABELS[self.status]


def _short(rule: Target, value: float, reference: float) -> float:
    """Return how far `value` falls short of `reference` (≤ 0 when not short)."""
    return reference - value if rule.direction == "at_least" else value - reference


def _scale(target: float, baseline: float | None) -> float:
    if baseline is not None and abs(target - baseline) > 0:
        return abs(target - baseline)
    return abs(target) or 1.0


def judge(
    indicator: Indicator,
    value: float | None,
    period: Period,
    *,
    baseline: tuple[Period, float] | None,
    tolerance: float,
) -> Judgement:
    """Return the status of `value` in `period`; `baseline` is (period, value)."""
    rule = indicator.target_on(period.end)
    target = rule.value_on(period.end) if rule else None
    if rule is None or target is None:
        return Judgement(NO_TARGET)
    if value is None:
        return Judgement(NO_DATA, target, rule=rule)
    value = indicator.rounded(value)
    if rule.start is not None and period.end < rule.start:
        return Judgement(NOT_DUE, target, rule=rule)
    if rule.meets(value, target):
        return Judgement(MET, target, rule=rule)
    # A standing standard is judged against itself; a deadline against the way
    # still to go from the baseline.
    base = baseline[1] if baseline and rule.by is not None else None
    allowed = tolerance * _scale(target, base)
    if rule.by is not None and period.end < rule.by:
        if rule.path == STEP:
            return Judgement(ON_TRACK, target, rule=rule)
        if rule.path == LINEAR:
            expected = _expected(rule, target, period, baseline)
            gap = _short(rule, value, expected)
            if gap <= 1e-9:
                status = ON_TRACK
            else:
                status = AT_RISK if gap <= allowed + 1e-9 else OFF_TRACK
            return Judgement(status, target, expected, rule)
    gap = _short(rule, value, target)
    status = AT_RISK if gap <= allowed + 1e-9 else OFF_TRACK
    return Judgement(status, target, rule=rule)


def _expected(
    rule: Target, target: float, period: Period, baseline: tuple[Period, float] | None
) -> float:
    """Return the value on the straight line from the baseline to the target."""
    if baseline is None:
        return target
    start_period, start_value = baseline
    start = start_period.end
    span = (rule.by - start).days
    if span <= 0:
        return target
    share = min(max((period.end - start).days / span, 0.0), 1.0)
    return start_value + (target - start_value) * share


def baseline_of(values_by_period: list[tuple[Period, float | None]]):
    """Return (first period, value) when the plan's first period has a value, else None."""
    for period, value in values_by_period:
        if period == PERIODS[0] and value is not None:
            return period, value
    return None
