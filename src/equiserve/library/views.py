"""Pages: the public catalogue search and a work's copies; circulation and digital use for staff."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equiserve.accounts.scope import visible_towns
from equiserve.formatting import town_name
from equiserve.library import permissions, selectors, services
from equiserve.library.models import (
    DigitalResource,
    Item,
    Patron,
    ResourceCategory,
    Work,
)


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


@require_http_methods(["GET", "POST"])
def desk(request):
    """Lend and take back at one library's desk (the Culture Bureau's staff)."""
    permissions.require_worker(request.user)
    libraries = permissions.library_list_for(request.user)
    code = request.POST.get("library") or request.GET.get("library", "")
    library = permissions.access_library(request.user, code) if code else None
    if request.method == "POST" and library is not None:
        level, text = _desk_act(request.POST, library)
        messages.add_message(request, level, text)
        return redirect(f"{request.path}?library={library.code}")
    return render(
        request,
        "library/desk.html",
        {
            "libraries": libraries,
            "library": library,
            "transfers": selectors.transfers_open(
                libraries.filter(pk=library.pk) if library else libraries.none()
            ),
        },
    )


def _desk_act(data, library) -> tuple[int, str]:
    """Lend (a card and a barcode) or take back (a barcode) at `library`."""
    item = Item.objects.select_related("work").filter(barcode=data.get("barcode", ""))
    item = item.first()
    if item is None:
        return messages.ERROR, _("No copy has this barcode.")
    if data.get("action") == "lend":
        patron = Patron.objects.filter(card=data.get("card", "")).first()
        if patron is None:
            return messages.ERROR, _("No reader has this card.")
        try:
            loan = services.loan_checkout(patron=patron, item=item, library=library)
        except services.CirculationError as refusal:
            return messages.ERROR, str(refusal.message)
        return messages.SUCCESS, _("%(title)s lent to card %(card)s, due %(due)s.") % {
            "title": item.work.title,
            "card": patron.card,
            "due": loan.due_on.isoformat(),
        }
    outcome = services.loan_return(item=item, library=library)
    if outcome.destination is None:
        return messages.SUCCESS, _("%(title)s taken back: it stays here.") % {
            "title": item.work.title
        }
    return messages.SUCCESS, _("%(title)s taken back: in transit to %(library)s.") % {
        "title": item.work.title,
        "library": outcome.destination.name,
    }


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
