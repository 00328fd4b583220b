"""The dashboard, and the JSON its map and trend charts load."""

from django.http import Http404, JsonResponse
from django.shortcuts import render

from equiserve.monitoring import permissions
from equiserve.monitoring.dashboard import dashboard, map_data, trend_data
from equiserve.monitoring.definitions import load_definitions
from equiserve.monitoring.periods import PERIODS
from equiserve.monitoring.selectors import place_names
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.views.common import lang_of, monitoring_view, period_from


def _indicator(code: str):
    try:
        return load_definitions().get(code)
    except KeyError:
        raise Http404("no such indicator") from None


@monitoring_view
def dashboard_page(request):
    """Show target status per domain, the off-track list, map, coverage, trends."""
    period = period_from(request)
    towns = permissions.visible_towns(request.user)
    data = dashboard(period, towns)
    context = {
        "board": data,
        "period": period,
        "periods": PERIODS,
        "names": place_names(lang_of(request)),
        "coverage_json": [
            {
                "label": row["indicator"].label_in(lang_of(request)),
                "registered": row["registered"],
                "migrant": row["migrant"],
            }
            for row in data.coverage
        ],
    }
    return render(request, "monitoring/dashboard.html", context)


@monitoring_view
def map_json(request):
    """Return the town map of one indicator (?indicator=, ?period=)."""
    indicator = _indicator(request.GET.get("indicator", ""))
    period = period_from(request)
    towns = permissions.visible_towns(request.user)
    return JsonResponse(map_data(indicator, period, towns, lang_of(request)))


@monitoring_view
def trend_json(request):
    """Return one indicator over the periods for the city or a visible town."""
    indicator = _indicator(request.GET.get("indicator", ""))
    towns = permissions.visible_towns(request.user)
    place = request.GET.get("place") or (CITY_PLACE if towns is None else towns[0])
    if place != CITY_PLACE or towns is not None:
        place = permissions.access_town(request.user, place).code
    if place == CITY_PLACE and "city" not in indicator.levels:
        raise Http404("not counted for the city")
    return JsonResponse(trend_data(indicator, place, lang_of(request)))
