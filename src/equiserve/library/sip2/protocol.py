"""Answer SIP2 requests for one connection (no Django; the library is a `Backend`).

One `Session` per kiosk connection keeps its login (the library it stands in),
the last answer (for a 97 resend request) and builds each answer with the
request's sequence number. A bad checksum is answered with 96 (please resend);
an unknown command, a missing field, an unknown patron or item get the answer
they call for with ok = N and a screen message, never a dropped connection.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from equiserve.library.sip2.codec import Message, SipError, build, parse, timestamp, yn

log = logging.getLogger(__name__)

RESEND = "96AZFEF6\r"
SUPPORTED = "YYYNYNYYYYYNNYYY"  # BX: 99 93 63 35 ... as in the SIP2 2.00 table


@dataclass
class PatronInfo:
    card: str
    name: str
    blocked: bool
    charged: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)
    fines: Decimal = Decimal("0")
    charge_limit: int = 0
    home: str = ""


@dataclass
class ItemInfo:
    barcode: str
    title: str
    circulation: str  # SIP2 circulation status, two digits
    due: dt.date | None = None
    home: str = ""
    location: str = ""
    hold_queue: int = 0


@dataclass
class Outcome:
    ok: bool
    message: str = ""
    title: str = ""
    due: dt.date | None = None
    patron: str = ""
    home: str = ""
    sort_bin: str = ""
    alert: bool = False
    fee: Decimal = Decimal("0")


class Backend(Protocol):
    def login(self, user: str, password: str, location: str) -> str | None: ...
    def library_name(self, code: str) -> str: ...
    def patron(self, card: str) -> PatronInfo | None: ...
    def card_known(self, card: str) -> bool: ...
    def pin_ok(self, card: str, pin: str) -> bool: ...
    def item(self, barcode: str) -> ItemInfo | None: ...
    def checkout(self, library: str, card: str, barcode: str) -> Outcome: ...
    def checkin(self, library: str, barcode: str) -> Outcome: ...
    def renew(self, library: str, card: str, barcode: str) -> Outcome: ...


def _date(day: dt.date | None) -> str:
    return day.strftime("%Y%m%d    235959") if day else ""


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


class Session:
    """The state of one kiosk's connection and the answers to its messages."""

    def __init__(self, backend: Backend, institution: str = "") -> None:
        self.backend = backend
        self.institution = institution
        self.library: str | None = None
        self.last_answer: str | None = None

    def handle(self, line: str) -> str:
        """Return the answer (with its terminator) to one message."""
        try:
            message = parse(line)
        except SipError:
            return RESEND
        if not message.checksum_ok:
            return RESEND
        if message.command == "97":
            return self.last_answer or RESEND
        handler = getattr(self, f"_m{message.command}", None)
        if handler is None:
            return RESEND
        try:
            command, fixed, fields = handler(message)
        except Exception:  # noqa: BLE001 - a kiosk gets an answer, the log the error
            log.exception("SIP2 %s failed", message.command)
            return RESEND
        answer = build(command, fixed, fields, message.sequence)
        self.last_answer = answer
        return answer

    def _ao(self, message: Message) -> tuple[str, str]:
        return "AO", message.get("AO", self.institution)

    def _screen(self, text: str) -> list[tuple[str, str]]:
        return [("AF", text)] if text else []

    # 93 login → 94
    def _m93(self, message: Message):
        library = self.backend.login(
            message.get("CN"), message.get("CO"), message.get("CP")
        )
        self.library = library
        return "94", [yn(library is not None).replace("Y", "1").replace("N", "0")], []

    # 99 SC status → 98
    def _m99(self, message: Message):
        online = self.library is not None
        fixed = [
            yn(online),  # on-line status
            yn(online),  # checkin ok
            yn(online),  # checkout ok
            yn(online),  # ACS renewal policy
            "N",  # status update ok
            "N",  # off-line ok
            "030",  # timeout period (tenths of a second)
            "003",  # retries allowed
            timestamp(),
            "2.00",
        ]
        name = self.backend.library_name(self.library) if self.library else ""
        fields = [
            self._ao(message),
            ("AM", name),
            ("BX", SUPPORTED),
            ("AN", self.library or ""),
        ]
        if not online:
            fields.append(("AF", "Please log in (93) first."))
        return "98", fixed, fields

    def _patron_status(self, info: PatronInfo | None, pin_ok: bool) -> str:
        if info is None:
            return "Y" * 4 + " " * 10
        flag = "Y" if info.blocked else " "
        return flag * 4 + " " * 10

    def _patron_common(self, message: Message):
        card = message.get("AA")
        info = self.backend.patron(card) if card else None
        pin = message.get("AD")
        pin_ok = info is not None and self.backend.pin_ok(card, pin)
        return card, info, pin_ok

    # 23 patron status → 24
    def _m23(self, message: Message):
        card, info, pin_ok = self._patron_common(message)
        fixed = [self._patron_status(info, pin_ok), "000", timestamp()]
        fields = [
            self._ao(message),
            ("AA", card),
            ("AE", info.name if info else ""),
            ("BL", yn(info is not None)),
            ("CQ", yn(pin_ok)),
            ("BH", "CNY"),
            ("BV", _amount(info.fines) if info else "0.00"),
        ]
        if info is None:
            fields += self._screen("Unknown card.")
        return "24", fixed, fields

    # 63 patron information → 64
    def _m63(self, message: Message):
        card, info, pin_ok = self._patron_common(message)
        summary = message.fixed.get("summary", "")
        charged = info.charged if info else []
        overdue = info.overdue if info else []
        holds = info.holds if info else []
        counts = [len(holds), len(overdue), len(charged), 0, 0, 0]
        fixed = [
            self._patron_status(info, pin_ok),
            "000",
            timestamp(),
            *(f"{min(n, 9999):04d}" for n in counts),
        ]
        fields = [
            self._ao(message),
            ("AA", card),
            ("AE", info.name if info else ""),
            ("BL", yn(info is not None)),
            ("CQ", yn(pin_ok)),
        ]
        if info:
            fields += [
                ("BZ", "0010"),
                ("CB", f"{info.charge_limit:04d}"),
                ("BH", "CNY"),
                ("BV", _amount(info.fines)),
                ("AQ", info.home),
            ]
            start = max(int(message.get("BP") or 1), 1) - 1
            end = int(message.get("BQ") or 9999)
            lists = {0: ("AS", holds), 1: ("AT", overdue), 2: ("AU", charged)}
            for position, (code, values) in lists.items():
                if summary[position : position + 1] == "Y":
                    fields += [(code, value) for value in values[start:end]]
        else:
            fields += self._screen("Unknown card.")
        return "64", fixed, fields

    # 17 item information → 18
    def _m17(self, message: Message):
        barcode = message.get("AB")
        info = self.backend.item(barcode) if barcode else None
        if info is None:
            fixed = ["01", "00", "01", timestamp()]
            return "18", fixed, [("AB", barcode), ("AJ", ""), ("AF", "Unknown item.")]
        fixed = [info.circulation, "00", "01", timestamp()]
        fields = [
            ("CF", f"{info.hold_queue:04d}"),
            ("AB", info.barcode),
            ("AJ", info.title),
            ("AQ", info.home),
            ("AP", info.location),
        ]
        if info.due:
            fields.insert(1, ("AH", _date(info.due)))
        return "18", fixed, fields

    # 11 checkout → 12
    def _m11(self, message: Message):
        card, barcode = message.get("AA"), message.get("AB")
        outcome = self._circulate(
            message,
            lambda library: self.backend.checkout(library, card, barcode),
            need_pin=True,
        )
        return (
            "12",
            self._circ_fixed(outcome, renewal=False),
            self._circ_fields(message, outcome, card, barcode),
        )

    # 29 renew → 30
    def _m29(self, message: Message):
        card, barcode = message.get("AA"), message.get("AB")
        outcome = self._circulate(
            message,
            lambda library: self.backend.renew(library, card, barcode),
            need_pin=True,
        )
        return (
            "30",
            self._circ_fixed(outcome, renewal=outcome.ok),
            self._circ_fields(message, outcome, card, barcode),
        )

    def _circulate(self, message: Message, action, *, need_pin: bool) -> Outcome:
        if self.library is None:
            return Outcome(False, "Please log in (93) first.")
        card, barcode = message.get("AA"), message.get("AB")
        if not card or not barcode:
            return Outcome(False, "A card and an item are needed.")
        if not self.backend.card_known(card):
            return Outcome(False, "Unknown card.")
        if (
            need_pin
            and "AD" in message.fields
            and not self.backend.pin_ok(card, message.get("AD"))
        ):
            return Outcome(False, "Wrong PIN.")
        return action(self.library)

    @staticmethod
    def _circ_fixed(outcome: Outcome, *, renewal: bool) -> list[str]:
        return [
            "1" if outcome.ok else "0",
            yn(renewal),
            "N",  # magnetic media
            yn(outcome.ok),  # desensitize
            timestamp(),
        ]

    def _circ_fields(self, message, outcome: Outcome, card: str, barcode: str):
        fields = [
            self._ao(message),
            ("AA", card),
            ("AB", barcode),
            ("AJ", outcome.title),
            ("AH", _date(outcome.due)),
        ]
        if outcome.fee:
            fields += [("BV", _amount(outcome.fee)), ("BH", "CNY")]
        return fields + self._screen(outcome.message)

    # 09 checkin → 10
    def _m09(self, message: Message):
        barcode = message.get("AB")
        library = self.library or None
        if library is None:
            outcome = Outcome(False, "Please log in (93) first.")
        elif not barcode:
            outcome = Outcome(False, "An item is needed.")
        else:
            outcome = self.backend.checkin(library, barcode)
        fixed = [
            "1" if outcome.ok else "0",
            yn(outcome.ok and not outcome.alert),  # resensitize
            "N",
            yn(outcome.alert),
            timestamp(),
        ]
        fields = [
            self._ao(message),
            ("AB", barcode),
            ("AQ", outcome.home),
            ("AJ", outcome.title),
        ]
        if outcome.sort_bin:
            fields.append(("CL", outcome.sort_bin))
        if outcome.patron:
            fields.append(("AA", outcome.patron))
        if outcome.fee:
            fields += [("BV", _amount(outcome.fee)), ("BH", "CNY")]
        return "10", fixed, fields + self._screen(outcome.message)

    # 35 end patron session → 36
    def _m35(self, message: Message):
        return "36", ["Y", timestamp()], [self._ao(message), ("AA", message.get("AA"))]
