"""Reads of the library network: catalogue pages, circulation, digital use, coverage."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, QuerySet

from equiserve.geography.models import Village
from equiserve.library.models import (
    DigitalUse,
    EReadingRoom,
    Item,
    ItemStatus,
    Library,
    Loan,
    Transfer,
    Work,
)
from equiserve.library.search import work_search

PAGE = 20


def work_results(query: str, limit: int = PAGE) -> list[dict]:
    """Return up to `limit` works matching `query`, each with its copies' counts."""
    works = (
        list(work_search(query, first=limit).order_by("id")[:limit])
        if query.strip()
        else []
    )
    counts = (
        Item.objects.filter(work__in=works)
        .values("work_id")
        .annotate(
            copies=Count("id"),
            available=Count("id", filter=Q(status=ItemStatus.AVAILABLE)),
        )
    )
    by_work = {row["work_id"]: row for row in counts}
    return [
        {
            "work": work,
            "copies": by_work.get(work.pk, {}).get("copies", 0),
            "available": by_work.get(work.pk, {}).get("available", 0),
        }
        for work in works
    ]


def work_holdings(work: Work) -> list[Item]:
    return list(
        work.items.select_related("home", "location").order_by("home__code", "barcode")
    )


def library_circulation(libraries: QuerySet[Library]) -> list[dict]:
    """Return per library: copies held, on loan, in transit to it, open loans made there."""
    ids = list(libraries.values_list("pk", flat=True))
    held = Counter(
        dict(
            Item.objects.filter(home_id__in=ids)
            .values_list("home_id")
            .annotate(n=Count("id"))
        )
    )
    out = Counter(
        dict(
            Item.objects.filter(home_id__in=ids, status=ItemStatus.ON_LOAN)
            .values_list("home_id")
            .annotate(n=Count("id"))
        )
    )
    arriving = Counter(
        dict(
            Transfer.objects.filter(destination_id__in=ids, received_at__isnull=True)
            .values_list("destination_id")
            .annotate(n=Count("id"))
        )
    )
    lent = Counter(
        dict(
            Loan.objects.filter(library_id__in=ids, returned_at__isnull=True)
            .values_list("library_id")
            .annotate(n=Count("id"))
        )
    )
    return [
        {
            "library": library,
            "held": held[library.pk],
            "on_loan": out[library.pk],
            "arriving": arriving[library.pk],
            "lent_here": lent[library.pk],
        }
        for library in libraries
    ]


def transfers_open(libraries: QuerySet[Library], limit: int = 100) -> list[Transfer]:
    ids = list(libraries.values_list("pk", flat=True))
    return list(
        Transfer.objects.filter(received_at__isnull=True)
        .filter(Q(source_id__in=ids) | Q(destination_id__in=ids))
        .select_related("item__work", "source", "destination")
        .order_by("sent_at", "id")[:limit]
    )


def digital_usage(towns: list[str] | None, since: dt.date | None = None) -> dict:
    """Return digital-resource sessions by category, by library, by town and by e-reading room."""
    uses = DigitalUse.objects.all()
    if towns is not None:
        uses = uses.filter(town_id__in=towns)
    if since:
        uses = uses.filter(at__date__gte=since)
    return {
        "by_category": list(
            uses.values("resource__category")
            .annotate(n=Count("id"))
            .order_by("resource__category")
        ),
        "by_library": list(
            uses.filter(library__isnull=False)
            .values("library__code", "library__name_zh", "library__name_en")
            .annotate(n=Count("id"))
            .order_by("library__code")
        ),
        "by_town": list(
            uses.values("town_id").annotate(n=Count("id")).order_by("town_id")
        ),
        "by_room": list(
            uses.filter(room__isnull=False)
            .values(
                "room__village_id", "room__village__name_zh", "room__village__name_en"
            )
            .annotate(n=Count("id"))
            .order_by("room__village_id")
        ),
    }


def e_reading_room_villages(
    day: dt.date, towns: list[str] | None = None
) -> dict[str, bool]:
    """Return, per village, whether an e-reading room sharing the digital resources is open on `day`.

    This is what the 3.2.1 indicator counts (monitoring's `e_reading_rooms` source).
    """
    open_rooms = set(
        EReadingRoom.objects.filter(opened_on__lte=day, shared_resources=True)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .values_list("village_id", flat=True)
    )
    villages = Village.objects.all()
    if towns is not None:
        villages = villages.filter(town_id__in=towns)
    return {
        code: code in open_rooms for code in villages.values_list("code", flat=True)
    }
