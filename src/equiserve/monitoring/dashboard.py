"""What the dashboard shows: target status per domain, the off-track list, the map,
registered vs migrant coverage per programme, and trends over the periods.

The office sees the city and every town; a town officer the same for their own
town. Everything is read from the stored values (`stored.stored_values`), which
the worker keeps fresh; nothing is computed for a request (issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from equiserve.charts import against_target
from equiserve.geography.models import Town
from equiserve.monitoring.definitions import (
    AT_LEAST,
    CITY,
    HUKOU,
    TOWN,
    Definitions,
    Indicator,
    load_definitions,
)
from equiserve.monitoring.periods import PERIODS, Period, periods_through
from equiserve.monitoring.selectors import Figure, judged
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.stored import Summary, stored_values, summary
from equiserve.monitoring.targets import JUDGED, OFF_TRACK, baseline_of, judge


@dataclass
class Dashboard:
    period: Period
    home: str  # "city" or the town officer's town
    towns: list[str] | None
    domains: list[dict] = field(default_factory=list)
    off_track: list[dict] = field(default_factory=list)
    coverage: list[dict] = field(default_factory=list)
    map_indicators: list[Indicator] = field(default_factory=list)
    map_default: str = ""
    trend_indicators: list[Indicator] = field(default_factory=list)
    # When the values at home were computed; values the worker is updating.
    freshness: Summary | None = None


def dashboard(
    period: Period,
    towns: list[str] | None,
    definitions: Definitions | None = None,
) -> Dashboard:
    """Return the dashboard for the city (`towns` None) or one town's officer."""
    from equiserve.portal.catalogue import load_catalogue

    definitions = definitions or load_definitions()
    home = CITY_PLACE if towns is None else towns[0]
    levels = [CITY, TOWN] if towns is None else [TOWN]
    # The dashboard judges targets: indicators without one are listed, and
    # computed on their own pages (the fitness circle alone costs more than all
    # the targets together at full scale, see bench/bench_monitoring.py).
    targeted = [i for i in definitions.indicators if i.targets]
    figures = judged(
        targeted, period, levels=levels, towns=towns, definitions=definitions
    )
    result = Dashboard(
        period=period, home=home, towns=towns, freshness=summary(period, home)
    )
    at_home = {f.indicator.code: f for f in figures if f.place == home}
    for domain in load_catalogue().domains:
        indicators = definitions.in_domain(domain.id)
        rows = [at_home[i.code] for i in indicators if i.code in at_home]
        counts = {status: sum(f.status == status for f in rows) for status in JUDGED}
        result.domains.append(
            {
                "domain": domain,
                "figures": rows,
                "counts": counts,
                "monitored": [i for i in indicators if not i.targets],
            }
        )
    result.off_track = off_track(figures, home, definitions)
    result.coverage = coverage(period, towns, definitions)
    result.map_indicators = [i for i in definitions.indicators if TOWN in i.levels]
    # Open the map on the targeted indicator known in the most towns.
    known: dict[str, int] = {}
    for f in figures:
        if f.place != CITY_PLACE and f.value is not None and f.indicator.targets:
            known[f.indicator.code] = known.get(f.indicator.code, 0) + 1
    order = [i.code for i in result.map_indicators]
    if known:
        result.map_default = max(
            known, key=lambda code: (known[code], -order.index(code))
        )
    elif order:
        result.map_default = order[0]
    result.trend_indicators = [
        i for i in definitions.indicators if (TOWN if towns else CITY) in i.levels
    ]
    return result


def off_track(figures: list[Figure], home: str, definitions: Definitions) -> list[dict]:
    """Return each indicator off track at home or in some towns, worst first.

    One row per indicator: the home figure when it is off track, and the towns
    off track (a town officer's home is their town: no list of others).
    """
    rows: dict[str, dict] = {}
    for f in figures:
        if f.status != OFF_TRACK:
            continue
        row = rows.setdefault(
            f.indicator.code, {"indicator": f.indicator, "home": None, "towns": []}
        )
        if f.place == home:
            row["home"] = f
        else:
            row["towns"].append(f)
    counted = {
        code: sum(1 for f in figures if f.indicator.code == code and f.place != home)
        for code in rows
    }
    for code, row in rows.items():
        row["counted"] = counted[code]
    order = [i.code for i in definitions.indicators]
    return sorted(
        rows.values(),
        key=lambda row: (row["home"] is None, order.index(row["indicator"].code)),
    )


def coverage(
    period: Period, towns: list[str] | None, definitions: Definitions
) -> list[dict]:
    """Return registered vs migrant coverage of each programme with a hukou split."""
    programmes = [
        i for i in definitions.indicators if i.programme and HUKOU in i.disaggregations
    ]
    if not programmes:
        return []
    home = CITY_PLACE if towns is None else towns[0]
    values = stored_values(
        programmes,
        periods=[period],
        levels=[CITY] if towns is None else [TOWN],
        towns=towns,
        by=HUKOU,
        definitions=definitions,
    )
    rows = []
    for indicator in programmes:
        registered = values.get(indicator.code, period, home, "zhongshan")
        migrant = values.get(indicator.code, period, home, "elsewhere")
        rows.append(
            {
                "indicator": indicator,
                "registered": registered.shown if registered else None,
                "migrant": migrant.shown if migrant else None,
                "registered_count": registered.numerator if registered else None,
                "migrant_count": migrant.numerator if migrant else None,
            }
        )
    return rows


def map_data(
    indicator: Indicator,
    period: Period,
    towns: list[str] | None,
    lang: str,
    definitions: Definitions | None = None,
) -> dict:
    """Return the town areas (GeoJSON) with the indicator's value in each town."""
    definitions = definitions or load_definitions()
    english = not (lang or "").lower().startswith("zh")
    values = stored_values(
        [indicator],
        periods=[period],
        levels=[TOWN],
        towns=towns,
        definitions=definitions,
    )
    rule = indicator.target_on(period.end)
    features = []
    for town in Town.objects.order_by("code"):
        if not town.area_geometry:
            continue
        value = values.get(indicator.code, period, town.code)
        visible = towns is None or town.code in towns
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": town.code,
                    "label": town.name_en if english else town.short_name_zh,
                    "value": value.shown if value and visible else None,
                    "visible": visible,
                    # Coloured against the target, not by size (issue 14, d. 7).
                    "status": against_target(
                        value.shown if value and visible else None,
                        rule.value_on(period.end) if rule else None,
                        rule.direction if rule else AT_LEAST,
                    ),
                },
                "geometry": town.area_geometry,
            }
        )
    return {
        "indicator": indicator.code,
        "label": indicator.label_in(lang),
        "unit": indicator.unit,
        "period": period.id,
        "target": rule.value_on(period.end) if rule else None,
        "direction": rule.direction if rule else None,
        "towns": {"type": "FeatureCollection", "features": features},
        "updating": values.updating,
    }


def trend_data(
    indicator: Indicator,
    place: str,
    lang: str,
    through: Period | None = None,
    definitions: Definitions | None = None,
) -> dict:
    """Return the indicator's value, target and status in every period for a place."""
    definitions = definitions or load_definitions()
    periods = periods_through(through) if through else PERIODS
    town = None if place == CITY_PLACE else [place]
    values = stored_values(
        [indicator],
        periods=periods,
        levels=[CITY] if town is None else [TOWN],
        towns=town,
        definitions=definitions,
    )
    series = [(p, values.get(indicator.code, p, place)) for p in periods]
    shown = [(p, v.shown if v else None) for p, v in series]
    baseline = baseline_of(shown)
    points = []
    for period, value in shown:
        judgement = judge(
            indicator,
            value,
            period,
            baseline=baseline,
            tolerance=definitions.tolerance,
        )
        points.append(
            {
                "period": period.id,
                "value": value,
                "target": judgement.target,
                "expected": judgement.expected,
                "status": judgement.status,
            }
        )
    return {
        "indicator": indicator.code,
        "label": indicator.label_in(lang),
        "unit": indicator.unit,
        "place": place,
        "points": points,
        "computed_at": values.computed_at,
        "updating": values.updating,
    }
