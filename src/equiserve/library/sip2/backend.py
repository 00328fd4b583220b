"""The SIP2 server's view of the library network: the database, through the services."""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal

from django.contrib.auth.hashers import check_password
from django.db import close_old_connections, connection
from django.db.models import Sum
from django.utils import timezone

from equiserve.library import services
from equiserve.library.models import (
    HoldStatus,
    Item,
    ItemStatus,
    Library,
    Loan,
    Patron,
    Terminal,
)
from equiserve.library.rules import loan_rules
from equiserve.library.sip2.protocol import ItemInfo, Outcome, PatronInfo

CIRCULATION = {
    ItemStatus.AVAILABLE: "03",
    ItemStatus.ON_LOAN: "04",
    ItemStatus.ON_HOLD: "08",
    ItemStatus.IN_TRANSIT: "10",
}


# SQLite lets one writer in at a time and makes the others sleep and retry;
# kiosks queue here instead, in order, without the retries' back-off.
_SQLITE_WRITES = threading.Lock()


def _writing():
    return _SQLITE_WRITES if connection.vendor == "sqlite" else contextlib.nullcontext()


def close_connection() -> None:
    """End a kiosk thread's database connection."""
    connection.close()


class DatabaseBackend:
    """Answer the protocol's questions from the database; writes go through services."""

    def __init__(self) -> None:
        close_old_connections()
        # The terminal's library, read at login: a kiosk lends for it all session
        # (a change to the library's kind applies from the kiosk's next login).
        self._libraries: dict[str, Library] = {}
        # The patron `card_known` just read, for the loan or renewal that follows
        # it in the same message.
        self._checked: Patron | None = None

    def login(self, user: str, password: str, location: str) -> str | None:
        terminal = Terminal.objects.select_related("library").filter(login=user).first()
        if terminal is None or not check_password(password, terminal.password_hash):
            return None
        self._libraries[terminal.library.code] = terminal.library
        return terminal.library.code

    def library_name(self, code: str) -> str:
        library = Library.objects.filter(code=code).first()
        return library.name_zh if library else ""

    def _library(self, code: str) -> Library:
        if code not in self._libraries:
            self._libraries[code] = Library.objects.get(code=code)
        return self._libraries[code]

    def _patron(self, card: str) -> Patron:
        checked, self._checked = self._checked, None
        if checked is not None and checked.card == card:
            return checked
        return Patron.objects.get(card=card)

    def patron(self, card: str) -> PatronInfo | None:
        patron = Patron.objects.select_related("home").filter(card=card).first()
        if patron is None:
            return None
        loans = list(
            Loan.objects.filter(patron=patron, returned_at__isnull=True)
            .select_related("item")
            .order_by("due_on", "id")
        )
        today = timezone.localdate()
        fines = Loan.objects.filter(patron=patron).aggregate(total=Sum("fine"))["total"]
        holds = patron.holds.filter(
            status__in=[HoldStatus.WAITING, HoldStatus.IN_TRANSIT, HoldStatus.READY]
        ).select_related("work")
        return PatronInfo(
            card=patron.card,
            name=patron.name,
            blocked=patron.blocked,
            charged=[loan.item.barcode for loan in loans],
            overdue=[loan.item.barcode for loan in loans if loan.due_on < today],
            holds=[hold.work.title for hold in holds.order_by("placed_at", "id")],
            fines=fines or Decimal("0"),
            charge_limit=loan_rules(patron.home.kind, today).limit,
            home=patron.home.code,
        )

    def card_known(self, card: str) -> bool:
        """Whether a card exists (one indexed look-up, before every loan or renewal)."""
        self._checked = Patron.objects.filter(card=card).first()
        return self._checked is not None

    def pin_ok(self, card: str, pin: str) -> bool:
        patron = Patron.objects.filter(card=card).first()
        return patron is not None and services.patron_pin_ok(patron, pin)

    def item(self, barcode: str) -> ItemInfo | None:
        item = (
            Item.objects.select_related("work", "home", "location")
            .filter(barcode=barcode)
            .first()
        )
        if item is None:
            return None
        loan = item.loans.filter(returned_at__isnull=True).first()
        return ItemInfo(
            barcode=item.barcode,
            title=item.work.title,
            circulation=CIRCULATION.get(item.status, "01"),
            due=loan.due_on if loan else None,
            home=item.home.code,
            location=item.location.code,
            hold_queue=item.work.holds.filter(status=HoldStatus.WAITING).count(),
        )

    def checkout(self, library: str, card: str, barcode: str) -> Outcome:
        item = Item.objects.select_related("work").filter(barcode=barcode).first()
        if item is None:
            return Outcome(False, "Unknown item.")
        patron = self._patron(card)
        try:
            with _writing():
                loan = services.loan_checkout(
                    patron=patron, item=item, library=self._library(library)
                )
        except services.CirculationError as refusal:
            return Outcome(False, str(refusal), title=item.work.title)
        return Outcome(True, "", title=item.work.title, due=loan.due_on, patron=card)

    def checkin(self, library: str, barcode: str) -> Outcome:
        item = (
            Item.objects.select_related("work", "home").filter(barcode=barcode).first()
        )
        if item is None:
            return Outcome(False, "Unknown item.", alert=True)
        with _writing():
            outcome = services.loan_return(item=item, library=self._library(library))
        destination = outcome.destination
        message = ""
        if destination is not None:
            message = f"In transit to {destination.code} ({destination.name_zh})."
        return Outcome(
            True,
            message,
            title=item.work.title,
            home=item.home.code,
            sort_bin=destination.code if destination else "",
            alert=destination is not None,
            patron=outcome.loan.patron.card if outcome.loan else "",
            fee=outcome.fine,
        )

    def renew(self, library: str, card: str, barcode: str) -> Outcome:
        item = Item.objects.select_related("work").filter(barcode=barcode).first()
        if item is None:
            return Outcome(False, "Unknown item.")
        patron = self._patron(card)
        try:
            with _writing():
                loan = services.loan_renew(patron=patron, item=item)
        except services.CirculationError as refusal:
            return Outcome(False, str(refusal), title=item.work.title)
        return Outcome(True, "", title=item.work.title, due=loan.due_on, patron=card)
