"""The demo city's library network loads fast, deterministically, with circulation (issue 19)."""

import datetime as dt

import pytest

from equiserve.facilities.demo import demo_facilities
from equiserve.facilities.models import Facility, Kind
from equiserve.library.demo import library_demo_load
from equiserve.library.models import Item, ItemStatus, Transfer, Work
from equiserve.library.search import work_search
from equiserve.library.selectors import e_reading_room_villages

pytestmark = pytest.mark.django_db


def test_the_demo_network_has_a_catalogue_circulation_and_e_reading_rooms(geography):
    Facility.objects.bulk_create(demo_facilities(seed=1))
    counts = library_demo_load(seed=1)
    assert counts["works"] == Work.objects.count() == 1000
    assert counts["loans"] == 60 and counts["returned_elsewhere"] == 20
    assert Item.objects.filter(status=ItemStatus.IN_TRANSIT).exists()
    assert (
        Transfer.objects.filter(reason="home", received_at__isnull=True).count() >= 15
    )
    first = list(Work.objects.order_by("isbn").values_list("title", flat=True)[:5])
    assert work_search(first[0][:2]).exists()
    with_room = set(
        Facility.objects.filter(
            kind=Kind.CULTURE_ROOM, e_reading_room=True
        ).values_list("village_id", flat=True)
    )
    covered = e_reading_room_villages(dt.date(2016, 12, 31))
    assert {code for code, has in covered.items() if has} == with_room
    library_demo_load(seed=1)  # again: the same network
    assert (
        list(Work.objects.order_by("isbn").values_list("title", flat=True)[:5]) == first
    )
