"""Indicator pages: the list, one indicator in full, and entering values by hand."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from equiserve.monitoring import permissions, services
from equiserve.monitoring.definitions import CITY, TOWN, load_definitions
from equiserve.monitoring.measures import equality_report
from equiserve.monitoring.models import IndicatorEntry
from equiserve.monitoring.periods import PERIODS
from equiserve.monitoring.selectors import (
    counts_rule,
    judged,
    place_names,
    town_list,
)
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.stored import stored_values, summary
from equiserve.monitoring.views.common import lang_of, monitoring_view, period_from


def _indicator(code: str):
    try:
        return load_definitions().get(code)
    except KeyError:
        raise Http404("no such indicator") from None


def _home(user):
    towns = permissions.visible_towns(user)
    return towns, (CITY_PLACE if towns is None else towns[0])


@monitoring_view
def indicator_list(request):
    """List every indicator with its definition, target and value at home."""
    period = period_from(request)
    towns, home = _home(request.user)
    levels = [CITY] if towns is None else [TOWN]
    figures = {
        f.indicator.code: f
        for f in judged(None, period, levels=levels, towns=towns)
        if f.place == home
    }
    definitions = load_definitions()
    rows = [
        {"indicator": i, "figure": figures.get(i.code)} for i in definitions.indicators
    ]
    context = {"rows": rows, "period": period, "periods": PERIODS, "home": home}
    return render(request, "monitoring/indicator_list.html", context)


def _entry_places(user, indicator) -> list[str]:
    towns = permissions.visible_towns(user)
    places = [] if towns is not None else [CITY_PLACE]
    places += list(town_list(towns).values_list("code", flat=True))
    return [place for place in places if permissions.enters(user, indicator, place)]


@monitoring_view
def indicator_detail(request, code):
    """Show one indicator: values by place, splits, equality measures, targets."""
    indicator = _indicator(code)
    period = period_from(request)
    towns, home = _home(request.user)
    levels = [level for level in (CITY, TOWN) if level in indicator.levels]
    if towns is not None:
        levels = [TOWN] if TOWN in indicator.levels else []
        if not levels:
            raise Http404("not counted by town")
    figures = sorted(
        judged([indicator], period, levels=levels, towns=towns),
        key=lambda f: (f.place != CITY_PLACE, f.place),
    )
    splits = []
    for dimension in indicator.disaggregations:
        values = stored_values(
            [indicator],
            periods=[period],
            levels=[CITY] if towns is None else [TOWN],
            towns=towns,
            by=dimension,
        )
        splits.append(
            {
                "dimension": dimension,
                "rows": values.select(
                    indicator.code, period, places=[home], group=None
                ),
            }
        )
    equality = None
    if towns is None and TOWN in indicator.levels:
        equality = equality_report(indicator, period)
    context = {
        "indicator": indicator,
        "period": period,
        "periods": PERIODS,
        "figures": figures,
        "splits": splits,
        "equality": equality,
        "names": place_names(lang_of(request)),
        "home": home,
        "enters": bool(_entry_places(request.user, indicator)),
        "freshness": summary(period, home),
        # A rule counted by the engine leaves some undetermined (issue 13).
        "undetermined": counts_rule(indicator),
    }
    return render(request, "monitoring/indicator_detail.html", context)


def _fields(indicator):
    """Return the entered fields: (role, group, label) for each term and group."""
    definitions = load_definitions()
    fields = []
    for role, term in indicator.entered_terms:
        groups = definitions.groups_of(term.groups[0]) if term.groups else ("",)
        for group in groups:
            fields.append((role, group, term.options.get("label", {})))
    return fields


def parse_entry(text: str) -> Decimal | None:
    """Return the decimal typed in a field, None for an empty one; raise ValueError."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


@monitoring_view
def entry_page(request, code):
    """Enter a term no registry holds yet, per place, for one period (audited)."""
    indicator = _indicator(code)
    period = period_from(request)
    places = _entry_places(request.user, indicator)
    if not places:
        raise Http404("nothing to enter here")
    fields = _fields(indicator)
    if request.method == "POST":
        try:
            for place in places:
                values = {
                    (role, group): parse_entry(
                        request.POST.get(f"v-{place}-{role}-{group}", "")
                    )
                    for role, group, _label in fields
                }
                services.entries_save(
                    indicator=indicator,
                    period=period.id,
                    place=place,
                    values=values,
                    actor=request.user,
                    request=request,
                )
        except ValueError as error:
            messages.error(request, _("Not a number: %(text)s") % {"text": error})
        else:
            messages.success(request, _("Values saved."))
            return redirect(
                reverse("monitoring:entry", args=[indicator.code])
                + f"?period={period.id}"
            )
    entered = {
        (e.place, e.role, e.group): e
        for e in IndicatorEntry.objects.filter(
            indicator=indicator.code, period=period.id, place__in=places
        )
    }
    names = place_names(lang_of(request))
    rows = [
        {
            "place": place,
            "name": names.get(place, place),
            "cells": [
                {
                    "name": f"v-{place}-{role}-{group}",
                    "entry": entered.get((place, role, group)),
                }
                for role, group, _label in fields
            ],
        }
        for place in places
    ]
    context = {
        "indicator": indicator,
        "period": period,
        "periods": PERIODS,
        "fields": fields,
        "rows": rows,
    }
    return render(request, "monitoring/entry.html", context)
