"""`/api/v1/library/...`: the public catalogue, and circulation for library staff.

The catalogue (works, their copies, the libraries) is public; circulation
and digital use take a bearer token and the same scope as the pages: a
library outside it is a 404. Lending and taking back are the Culture
Bureau's (a refusal is a 409 with its stable code).
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from equiserve.accounts.api import BearerAuth
from equiserve.accounts.scope import visible_towns
from equiserve.library import permissions, selectors, services
from equiserve.library.models import Item, Library, Patron, Work

router = Router(tags=["library"])


class WorkOut(Schema):
    id: int
    title: str
    author: str
    isbn: str | None
    publisher: str
    year: str
    subjects: str
    copies: int
    available: int


class SearchIn(Schema):
    q: str = ""
    limit: int = 20


class LibraryItemOut(Schema):
    barcode: str
    home: str
    location: str
    status: str
    call_number: str


class LibraryOut(Schema):
    code: str
    name_zh: str
    name_en: str
    kind: str
    town: str | None


def _work(row) -> dict:
    work = row["work"]
    return {
        "id": work.pk,
        "title": work.title,
        "author": work.author,
        "isbn": work.isbn,
        "publisher": work.publisher,
        "year": work.year,
        "subjects": work.subjects,
        "copies": row["copies"],
        "available": row["available"],
    }


@router.get("/works", response=list[WorkOut], auth=None)
def work_search(request, params: Query[SearchIn]):
    """Search the union catalogue by title, author, ISBN or subject (Chinese included)."""
    limit = min(max(params.limit, 1), 100)
    return [_work(row) for row in selectors.work_results(params.q[:200], limit)]


@router.get("/works/{work_id}/items", response=list[LibraryItemOut], auth=None)
def work_items(request, work_id: int):
    """List a work's copies: which library holds each, where it is, its status."""
    work = get_object_or_404(Work, pk=work_id)
    return [
        {
            "barcode": item.barcode,
            "home": item.home.code,
            "location": item.location.code,
            "status": item.status,
            "call_number": item.call_number,
        }
        for item in selectors.work_holdings(work)
    ]


@router.get("/libraries", response=list[LibraryOut], auth=None)
def library_list(request):
    """List the network's libraries: city, branches, towns, 24-hour kiosks."""
    return [
        {
            "code": lib.code,
            "name_zh": lib.name_zh,
            "name_en": lib.name_en,
            "kind": lib.kind,
            "town": lib.town_id,
        }
        for lib in Library.objects.order_by("code")
    ]


class CirculationOut(Schema):
    library: str
    held: int
    on_loan: int
    lent_here: int
    arriving: int


@router.get("/circulation", response=list[CirculationOut], auth=BearerAuth())
def circulation(request):
    """Per library the user sees: copies held and lent, loans made there, copies arriving."""
    libraries = permissions.library_list_for(request.auth)
    return [
        {
            "library": row["library"].code,
            "held": row["held"],
            "on_loan": row["on_loan"],
            "lent_here": row["lent_here"],
            "arriving": row["arriving"],
        }
        for row in selectors.library_circulation(libraries)
    ]


class LoanIn(Schema):
    card: str
    barcode: str
    library: str


class LoanOut(Schema):
    barcode: str
    card: str
    library: str
    due_on: dt.date


class ReturnIn(Schema):
    barcode: str
    library: str


class ReturnOut(Schema):
    barcode: str
    status: str
    location: str
    in_transit_to: str | None
    fine: str


def _worker(request) -> None:
    try:
        permissions.require_worker(request.auth)
    except permissions.PermissionDenied:
        raise HttpError(403, "the Culture Bureau lends and takes back") from None


def _refused(error: services.CirculationError):
    return HttpError(409, f"{error.code}: {error.message}")


@router.post("/loans", response={201: LoanOut}, auth=BearerAuth())
def loan_create(request, payload: LoanIn):
    """Lend a copy to a card holder at a library (borrow anywhere)."""
    _worker(request)
    library = permissions.access_library(request.auth, payload.library)
    item = get_object_or_404(Item, barcode=payload.barcode)
    patron = get_object_or_404(Patron, card=payload.card)
    try:
        loan = services.loan_checkout(patron=patron, item=item, library=library)
    except services.CirculationError as error:
        raise _refused(error) from None
    return Status(
        201,
        {
            "barcode": item.barcode,
            "card": patron.card,
            "library": library.code,
            "due_on": loan.due_on,
        },
    )


@router.post("/returns", response=ReturnOut, auth=BearerAuth())
def loan_take_back(request, payload: ReturnIn):
    """Take a copy back at any library; it goes into transit where it is needed."""
    _worker(request)
    library = permissions.access_library(request.auth, payload.library)
    item = get_object_or_404(Item, barcode=payload.barcode)
    outcome = services.loan_return(item=item, library=library)
    return {
        "barcode": item.barcode,
        "status": outcome.item.status,
        "location": outcome.item.location.code,
        "in_transit_to": outcome.destination.code if outcome.destination else None,
        "fine": f"{outcome.fine:.2f}",
    }


class UsageRow(Schema):
    key: str
    sessions: int


class UsageOut(Schema):
    by_category: list[UsageRow]
    by_library: list[UsageRow]
    by_town: list[UsageRow]
    by_village: list[UsageRow]
    villages: int
    villages_with_e_reading_room: int


@router.get("/digital/usage", response=UsageOut, auth=BearerAuth())
def digital_usage(request):
    """Digital-resource sessions by category, library, town and village e-reading room."""
    permissions.library_list_for(request.auth)
    towns = visible_towns(request.auth)
    usage = selectors.digital_usage(towns)
    rooms = selectors.e_reading_room_villages(dt.date.today(), towns)

    def rows(name, key):
        return [{"key": row[key] or "", "sessions": row["n"]} for row in usage[name]]

    return {
        "by_category": rows("by_category", "resource__category"),
        "by_library": rows("by_library", "library__code"),
        "by_town": rows("by_town", "town_id"),
        "by_village": rows("by_room", "room__village_id"),
        "villages": len(rooms),
        "villages_with_e_reading_room": sum(rooms.values()),
    }
