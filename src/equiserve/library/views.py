"""Pages: the public catalogue search and a work's copies; circulation and digital use for staff."""

import datetime as dt

from django.shortcuts import get_object_or_404, render

from equiserve.accounts.scope import visible_towns
from equiserve.formatting import town_name
from equiserve.library import permissions, selectors
from equiserve.library.models import DigitalResource, ResourceCategory, Work


def catalogue(request):
    """Search the union catalogue by title, author, ISBN or subject: open to everyone."""
    query = request.GET.get("q", "")[:200]
    results = selectors.work_results(query)
    return render(
        request, "library/catalogue.html", {"query": query, "results": results}
    )


def work_detail(request, pk: int):
    work = get_object_or_404(Work, pk=pk)
    return render(
        request,
        "library/work.html",
        {"work": work, "items": selectors.work_holdings(work)},
    )


def circulation(request):
    """Per library: copies, loans, transfers on their way (the user's libraries only)."""
    libraries = permissions.library_list_for(request.user)
    return render(
        request,
        "library/circulation.html",
        {
            "rows": selectors.library_circulation(libraries),
            "transfers": selectors.transfers_open(libraries),
        },
    )


def digital(request):
    """The five categories' resources, their use, and the villages' e-reading rooms."""
    permissions.library_list_for(request.user)
    towns = visible_towns(request.user)
    labels = dict(ResourceCategory.choices)
    usage = selectors.digital_usage(towns)
    for row in usage["by_category"]:
        row["label"] = labels.get(row["resource__category"], "")
    for row in usage["by_town"]:
        row["name"] = town_name(row["town_id"])
    rooms = selectors.e_reading_room_villages(dt.date.today(), towns)
    return render(
        request,
        "library/digital.html",
        {
            "resources": DigitalResource.objects.select_related("library").order_by(
                "category", "code"
            ),
            "usage": usage,
            "villages": len(rooms),
            "covered": sum(rooms.values()),
        },
    )
