"""Writes of the library network: readers, loans, returns, holds, transfers.

Borrow anywhere, return anywhere (通借通还): an item lent at one library may be
returned at any other; it then travels to the pick-up library of the oldest
waiting hold on its work, or else back to its home library (统一配送). Every
rule (period, limit, renewals, fine) is the plan's dated parameter for the type
of library the loan was made at (`rules.loan_rules`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equiserve.audit.services import audit_record
from equiserve.library.models import (
    DigitalUse,
    Hold,
    HoldStatus,
    Item,
    ItemStatus,
    Library,
    Loan,
    Patron,
    Transfer,
    TransferReason,
)
from equiserve.library.rules import loan_rules

PATRON = "library.patron"


class CirculationError(Exception):
    """A loan, return, renewal or hold refused; `code` is stable, the message for people."""

    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ReturnOutcome:
    item: Item
    loan: Loan | None
    transfer: Transfer | None
    fine: Decimal

    @property
    def destination(self) -> Library | None:
        return self.transfer.destination if self.transfer else None


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _serves_home(library: Library, item: Item) -> bool:
    """An item is at home at its library or at a kiosk that library stocks."""
    return library.pk == item.home_id or library.parent_id == item.home_id


@transaction.atomic
def patron_register(
    *,
    card: str,
    name: str,
    home: Library,
    person=None,
    migrant: bool = False,
    pin: str = "",
    issued_on: dt.date | None = None,
    actor,
) -> Patron:
    """Issue one card valid at every library, to registered and migrant residents alike."""
    patron = Patron(
        card=card,
        name=name,
        home=home,
        person=person,
        migrant=migrant,
        pin_hash=make_password(pin) if pin else "",
        issued_on=issued_on or timezone.localdate(),
    )
    patron.full_clean()
    patron.save()
    audit_record(
        actor=actor,
        action="create",
        object_type=PATRON,
        object_id=patron.pk,
        town_code=home.town_id or "",
        summary=f"card {card} issued at {home.code}",
    )
    return patron


def patron_pin_ok(patron: Patron, pin: str) -> bool:
    """Return whether `pin` opens the card (a card without a PIN needs none)."""
    if not patron.pin_hash:
        return True
    return bool(pin) and check_password(pin, patron.pin_hash)


@transaction.atomic
def loan_checkout(
    *, patron: Patron, item: Item, library: Library, at: dt.datetime | None = None
) -> Loan:
    """Lend `item` to `patron` at `library`, under that library type's rules."""
    at = _now(at)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if patron.blocked:
        raise CirculationError("blocked", _("The card is blocked."))
    if item.status in (ItemStatus.ON_LOAN, ItemStatus.IN_TRANSIT):
        open_loan = item.loans.filter(returned_at__isnull=True).first()
        if open_loan and open_loan.patron_id == patron.pk:
            raise CirculationError("already", _("The reader already has this item."))
        raise CirculationError("unavailable", _("The item is not available."))
    hold = None
    if item.status == ItemStatus.ON_HOLD:
        hold = item.holds.filter(status=HoldStatus.READY).first()
        if hold and hold.patron_id != patron.pk:
            raise CirculationError("held", _("The item is held for another reader."))
    rules = loan_rules(library.kind, timezone.localdate(at))
    if (
        Loan.objects.filter(patron=patron, returned_at__isnull=True).count()
        >= rules.limit
    ):
        raise CirculationError("limit", _("The reader has as many loans as allowed."))
    loan = Loan.objects.create(
        item=item,
        patron=patron,
        library=library,
        loaned_at=at,
        due_on=timezone.localdate(at) + dt.timedelta(days=rules.period_days),
    )
    item.status = ItemStatus.ON_LOAN
    item.location = library
    item.save(update_fields=["status", "location"])
    if hold:
        hold.status = HoldStatus.COLLECTED
        hold.save(update_fields=["status"])
    return loan


def _fine(loan: Loan, returned: dt.date) -> Decimal:
    late = (returned - loan.due_on).days
    if late <= 0:
        return Decimal("0.00")
    rules = loan_rules(loan.library.kind, returned)
    return (rules.fine_per_day * late).quantize(Decimal("0.01"))


@transaction.atomic
def loan_return(
    *, item: Item, library: Library, at: dt.datetime | None = None
) -> ReturnOutcome:
    """Take `item` back at any `library` and send it where it is needed next."""
    at = _now(at)
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("home")
        .get(pk=item.pk)
    )
    loan = (
        # Lock the loan alone: with the join, PostgreSQL locked the library's
        # row too, and every return at that library waited for the one before.
        Loan.objects.select_for_update(of=("self",))
        .select_related("library", "patron")
        .filter(item=item, returned_at__isnull=True)
        .first()
    )
    fine = Decimal("0.00")
    if loan:
        fine = _fine(loan, timezone.localdate(at))
        loan.returned_at, loan.returned_library, loan.fine = at, library, fine
        loan.save(update_fields=["returned_at", "returned_library", "fine"])
    if item.status == ItemStatus.IN_TRANSIT:
        # Scanned on arrival: the transfer ends here.
        return ReturnOutcome(
            item, loan, transfer_receive(item=item, library=library, at=at), fine
        )
    item.location = library
    hold = (
        Hold.objects.select_for_update()
        .filter(work_id=item.work_id, status=HoldStatus.WAITING)
        .order_by("placed_at", "id")
        .first()
    )
    transfer = None
    if hold and hold.pickup_id == library.pk:
        hold.item, hold.status = item, HoldStatus.READY
        hold.save(update_fields=["item", "status"])
        item.status = ItemStatus.ON_HOLD
    elif hold:
        transfer = _send(item, library, hold.pickup, TransferReason.HOLD, at, hold)
    elif not _serves_home(library, item):
        transfer = _send(item, library, item.home, TransferReason.HOME, at)
    else:
        item.status = ItemStatus.AVAILABLE
    item.save(update_fields=["status", "location"])
    return ReturnOutcome(item, loan, transfer, fine)


def _send(item, source, destination, reason, at, hold=None) -> Transfer:
    item.status = ItemStatus.IN_TRANSIT
    if hold:
        hold.item, hold.status = item, HoldStatus.IN_TRANSIT
        hold.save(update_fields=["item", "status"])
    return Transfer.objects.create(
        item=item,
        source=source,
        destination=destination,
        reason=reason,
        hold=hold,
        sent_at=at,
    )


@transaction.atomic
def transfer_receive(
    *, item: Item, library: Library, at: dt.datetime | None = None
) -> Transfer | None:
    """Receive an item in transit at `library`; a wrong library sends it on."""
    at = _now(at)
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("destination", "hold")
        .filter(item=item, received_at__isnull=True)
        .order_by("-sent_at", "-id")
        .first()
    )
    if transfer is None:
        item.status, item.location = ItemStatus.AVAILABLE, library
        item.save(update_fields=["status", "location"])
        return None
    if transfer.destination_id != library.pk:
        # Arrived at the wrong library: it stays in transit to the same place.
        item.location = library
        item.save(update_fields=["location"])
        return transfer
    transfer.received_at = at
    transfer.save(update_fields=["received_at"])
    item.location = library
    if transfer.hold and transfer.hold.status == HoldStatus.IN_TRANSIT:
        transfer.hold.status = HoldStatus.READY
        transfer.hold.save(update_fields=["status"])
        item.status = ItemStatus.ON_HOLD
    else:
        item.status = ItemStatus.AVAILABLE
    item.save(update_fields=["status", "location"])
    return transfer


@transaction.atomic
def loan_renew(*, patron: Patron, item: Item, at: dt.datetime | None = None) -> Loan:
    """Renew the reader's open loan of `item` unless another reader waits for it."""
    at = _now(at)
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("library")
        .filter(item=item, returned_at__isnull=True)
        .first()
    )
    if loan is None or loan.patron_id != patron.pk:
        raise CirculationError("not_on_loan", _("The reader has no loan of this item."))
    if patron.blocked:
        raise CirculationError("blocked", _("The card is blocked."))
    rules = loan_rules(loan.library.kind, timezone.localdate(at))
    if loan.renewals >= rules.renewals:
        raise CirculationError("renewals", _("The loan cannot be renewed again."))
    if Hold.objects.filter(work_id=item.work_id, status=HoldStatus.WAITING).exists():
        raise CirculationError("held", _("Another reader is waiting for this item."))
    loan.renewals += 1
    loan.due_on = max(loan.due_on, timezone.localdate(at)) + dt.timedelta(
        days=rules.period_days
    )
    loan.save(update_fields=["renewals", "due_on"])
    return loan


@transaction.atomic
def hold_place(
    *, patron: Patron, work, pickup: Library, at: dt.datetime | None = None
) -> Hold:
    """Reserve a work for collection at `pickup`; a copy on a shelf elsewhere is sent."""
    at = _now(at)
    hold = Hold.objects.create(work=work, patron=patron, pickup=pickup, placed_at=at)
    copies = Item.objects.select_for_update().filter(
        work=work, status=ItemStatus.AVAILABLE
    )
    here = copies.filter(location=pickup).order_by("barcode").first()
    if here:
        here.status = ItemStatus.ON_HOLD
        here.save(update_fields=["status"])
        hold.item, hold.status = here, HoldStatus.READY
        hold.save(update_fields=["item", "status"])
        return hold
    elsewhere = copies.order_by("barcode").first()
    if elsewhere:
        _send(elsewhere, elsewhere.location, pickup, TransferReason.HOLD, at, hold)
        elsewhere.save(update_fields=["status"])
    return hold


@transaction.atomic
def digital_use_record(
    *,
    patron: Patron,
    resource,
    library: Library | None = None,
    room=None,
    at: dt.datetime | None = None,
) -> DigitalUse:
    """Open a digital resource with a card, at a library or an e-reading room (3.2.1)."""
    if patron.blocked:
        raise CirculationError("blocked", _("The card is blocked."))
    if (library is None) == (room is None):
        raise CirculationError(
            "place", _("A use is at one library or one e-reading room.")
        )
    town = library.town_id if library else room.village.town_id
    use = DigitalUse(
        resource=resource,
        patron=patron,
        library=library,
        room=room,
        town_id=town,
        at=_now(at),
    )
    use.full_clean()
    use.save()
    return use
