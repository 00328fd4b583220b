"""Borrow anywhere, return anywhere: loans, returns, transfers, holds, renewals (issue 19)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from equiserve.library import services
from equiserve.library.models import HoldStatus, ItemStatus, Transfer
from equiserve.library.tests.factories import make_item, make_network, make_patron

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(geography):
    return make_network()


def test_a_loan_made_at_one_towns_library_and_returned_at_anothers_goes_into_transit_home(
    net,
):
    """Acceptance (issue 19): Xiaolan's copy lent at Xiaolan, returned at Guzhen."""
    item = make_item(net["xiaolan"])
    patron = make_patron(net["city"], migrant=True)
    services.loan_checkout(patron=patron, item=item, library=net["xiaolan"])
    outcome = services.loan_return(item=item, library=net["guzhen"])
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_TRANSIT
    assert item.location == net["guzhen"]
    assert outcome.destination == net["xiaolan"]
    transfer = Transfer.objects.get(item=item)
    assert (transfer.source, transfer.destination, transfer.reason) == (
        net["guzhen"],
        net["xiaolan"],
        "home",
    )
    services.transfer_receive(item=item, library=net["xiaolan"])
    item.refresh_from_db()
    assert (item.status, item.location) == (ItemStatus.AVAILABLE, net["xiaolan"])
    transfer.refresh_from_db()
    assert transfer.received_at is not None


def test_a_return_at_the_home_librarys_kiosk_stays_there(net):
    item = make_item(net["xiaolan"])
    patron = make_patron(net["xiaolan"])
    services.loan_checkout(patron=patron, item=item, library=net["guzhen"])
    outcome = services.loan_return(item=item, library=net["kiosk"])
    item.refresh_from_db()
    assert outcome.transfer is None
    assert (item.status, item.location) == (ItemStatus.AVAILABLE, net["kiosk"])


def test_a_returned_copy_goes_to_the_pick_up_library_of_a_waiting_hold(net):
    item = make_item(net["xiaolan"])
    first, second = make_patron(net["xiaolan"]), make_patron(net["guzhen"])
    services.loan_checkout(patron=first, item=item, library=net["xiaolan"])
    hold = services.hold_place(patron=second, work=item.work, pickup=net["city"])
    assert hold.status == HoldStatus.WAITING
    with pytest.raises(services.CirculationError) as refused:
        services.loan_renew(patron=first, item=item)
    assert refused.value.code == "held"
    outcome = services.loan_return(item=item, library=net["guzhen"])
    assert outcome.destination == net["city"]
    services.transfer_receive(item=item, library=net["city"])
    item.refresh_from_db()
    hold.refresh_from_db()
    assert (item.status, hold.status) == (ItemStatus.ON_HOLD, HoldStatus.READY)
    with pytest.raises(services.CirculationError):
        services.loan_checkout(patron=first, item=item, library=net["city"])
    services.loan_checkout(patron=second, item=item, library=net["city"])
    hold.refresh_from_db()
    assert hold.status == HoldStatus.COLLECTED


def test_a_hold_on_a_copy_on_another_shelf_sends_it(net):
    item = make_item(net["guzhen"])
    patron = make_patron(net["xiaolan"])
    services.hold_place(patron=patron, work=item.work, pickup=net["xiaolan"])
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_TRANSIT
    assert Transfer.objects.get(item=item).destination == net["xiaolan"]


def test_renewal_and_the_limit_follow_the_dated_parameters(net):
    patron = make_patron(net["xiaolan"])
    item = make_item(net["xiaolan"])
    at = timezone.make_aware(dt.datetime(2015, 3, 1, 10))
    loan = services.loan_checkout(
        patron=patron, item=item, library=net["xiaolan"], at=at
    )
    assert loan.due_on == dt.date(2015, 3, 31)  # library.town.loan_period_days: 30
    loan = services.loan_renew(patron=patron, item=item, at=at)
    assert (loan.due_on, loan.renewals) == (dt.date(2015, 4, 30), 1)
    with pytest.raises(services.CirculationError) as refused:
        services.loan_renew(patron=patron, item=item, at=at)
    assert refused.value.code == "renewals"
    for _ in range(9):
        services.loan_checkout(
            patron=patron, item=make_item(net["city"]), library=net["city"], at=at
        )
    with pytest.raises(services.CirculationError) as refused:
        services.loan_checkout(
            patron=patron, item=make_item(net["city"]), library=net["city"], at=at
        )
    assert refused.value.code == "limit"


def test_a_late_return_is_fined_by_the_lending_librarys_rule(net):
    patron = make_patron(net["xiaolan"])
    item = make_item(net["xiaolan"])
    at = timezone.make_aware(dt.datetime(2015, 3, 1, 10))
    services.loan_checkout(patron=patron, item=item, library=net["xiaolan"], at=at)
    outcome = services.loan_return(
        item=item, library=net["xiaolan"], at=at + dt.timedelta(days=35)
    )
    assert outcome.fine == Decimal("0.50")  # 5 days × illustrative ¥0.10
