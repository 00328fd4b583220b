"""Count the 3.2.1 e-reading-room coverage from the library network's records (issue 19).

The monitoring app's `e_reading_rooms` source calls `collect_e_reading_rooms`:
for each period, on its last day, every administrative village or community
with an open e-reading room sharing the digital resources counts 1 (the
numerator of `culture.e_reading_rooms`; the denominator is the villages).
"""

from equiserve.geography.models import Village
from equiserve.library.selectors import e_reading_room_villages
from equiserve.monitoring.definitions import URBAN_RURAL
from equiserve.monitoring.sources import Atom, add_atoms, zero_fill
from equiserve.monitoring.sources.registry import groups_for, places


def collect_e_reading_rooms(out, refs, request, definitions) -> None:
    """Add one atom per village with an open, shared e-reading room, per period."""
    towns = None if request.towns is None else list(request.towns)
    villages = Village.objects.all()
    if towns is not None:
        villages = villages.filter(town_id__in=towns)
    where = {
        row[0]: (row[1], row[2])
        for row in villages.values_list("code", "town_id", "kind")
    }
    atoms = []
    for period in request.periods:
        wanted = [ref for ref in refs if period in ref.periods]
        if not wanted:
            continue
        covered = e_reading_room_villages(period.end, towns)
        for code, has_room in covered.items():
            if not has_room:
                continue
            town, kind = where[code]
            group = ""
            if request.by == URBAN_RURAL:
                group = "urban" if kind == "community" else "rural"
            atoms += [Atom(ref, period, town, code, group, 1.0) for ref in wanted]
    add_atoms(out, atoms, request)
    zero_fill(out, refs, request, places(request), groups_for(request, definitions))


def e_reading_rooms_from_facilities() -> int:
    """Record an e-reading room for every culture room the facilities list with one.

    The demo city's rooms (and a city moving its facility list into the library
    network): opened on the culture room's opening date; one with no date was
    open before the plan began (counted as 2000-01-01, as the facilities count it).
    """
    import datetime as dt

    from equiserve.facilities.models import Facility, Kind
    from equiserve.library.models import EReadingRoom

    rooms = {}
    for village, opened in (
        Facility.objects.filter(kind=Kind.CULTURE_ROOM, e_reading_room=True)
        .exclude(village__isnull=True)
        .order_by("village_id", "id")
        .values_list("village_id", "opening_date")
    ):
        opened = opened or dt.date(2000, 1, 1)
        rooms[village] = min(rooms.get(village, opened), opened)
    EReadingRoom.objects.bulk_create(
        [
            EReadingRoom(village_id=v, opened_on=day, seats=20)
            for v, day in rooms.items()
        ],
        ignore_conflicts=True,
    )
    from equiserve.monitoring import stored

    stored.values_mark_stale(stored.LIBRARY)
    return len(rooms)
