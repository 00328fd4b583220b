"""Frame, check, parse and build SIP2 messages (no Django).

A message is two digits of command, fixed-length fields, then variable
fields `XXvalue|`, optionally `AYn` (sequence number) and `AZxxxx` (checksum:
the two's complement of the sum of the characters up to and including `AZ`,
four hex digits), ended by a carriage return. `Framer` cuts a byte stream
into messages however the kiosk's packets split or join them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TERMINATOR = b"\r"
MAX_MESSAGE = 8192

# Fixed-field lengths after the two-digit command, per request (SIP2 2.00).
FIXED = {
    "93": [("uid_algorithm", 1), ("pwd_algorithm", 1)],
    "99": [("status_code", 1), ("max_print_width", 3), ("protocol_version", 4)],
    "23": [("language", 3), ("transaction_date", 18)],
    "63": [("language", 3), ("transaction_date", 18), ("summary", 10)],
    "17": [("transaction_date", 18)],
    "11": [
        ("sc_renewal_policy", 1),
        ("no_block", 1),
        ("transaction_date", 18),
        ("nb_due_date", 18),
    ],
    "09": [("no_block", 1), ("transaction_date", 18), ("return_date", 18)],
    "29": [
        ("third_party_allowed", 1),
        ("no_block", 1),
        ("transaction_date", 18),
        ("nb_due_date", 18),
    ],
    "35": [("transaction_date", 18)],
    "97": [],
}


def checksum(text: str) -> str:
    """Return the four hex digits of the SIP2 checksum of `text`."""
    return f"{(-sum(text.encode('utf-8'))) & 0xFFFF:04X}"


class SipError(ValueError):
    """A message that cannot be understood."""


@dataclass
class Message:
    command: str
    fixed: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    repeated: dict[str, list[str]] = field(default_factory=dict)
    sequence: str | None = None
    checksum_ok: bool = True

    def get(self, code: str, default: str = "") -> str:
        return self.fields.get(code, default)


def parse(line: str) -> Message:
    """Parse one message (without its terminator); a bad checksum sets `checksum_ok`."""
    line = line.rstrip("\r\n")
    if len(line) < 2 or not line[:2].isdigit():
        raise SipError("no command")
    checksum_ok = True
    sequence = None
    body = line
    az = line.rfind("AZ")
    if az != -1 and az >= len(line) - 6 and az >= 2:
        given = line[az + 2 :]
        try:
            checksum_ok = int(given, 16) == int(checksum(line[: az + 2]), 16)
        except ValueError:
            checksum_ok = False
        body = line[:az]
    ay = body.rfind("AY")
    if ay != -1 and len(body) - ay <= 3 and body[ay + 2 :].isdigit():
        sequence = body[ay + 2 :]
        body = body[:ay]
    command = body[:2]
    position = 2
    fixed = {}
    for name, length in FIXED.get(command, []):
        fixed[name] = body[position : position + length]
        position += length
    fields: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    for part in body[position:].split("|"):
        if len(part) < 2:
            continue
        code, value = part[:2], part[2:]
        fields.setdefault(code, value)
        repeated.setdefault(code, []).append(value)
    return Message(command, fixed, fields, repeated, sequence, checksum_ok)


def build(
    command: str, fixed: list[str], fields: list[tuple[str, str]], sequence: str | None
) -> str:
    """Return a message with its `|`-ended fields, AY and AZ and the terminator."""
    text = command + "".join(fixed)
    for code, value in fields:
        text += code + clean(value) + "|"
    if sequence is not None:
        text += f"AY{sequence}"
    text += "AZ"
    return text + checksum(text) + "\r"


def clean(value: str) -> str:
    """Remove the characters that would break a field: `|` and line ends."""
    return str(value).replace("|", " ").replace("\r", " ").replace("\n", " ")[:255]


def timestamp(moment: dt.datetime | None = None) -> str:
    """Return a SIP2 date: YYYYMMDDZZZZHHMMSS, local time (blank zone)."""
    moment = moment or dt.datetime.now()
    return moment.strftime("%Y%m%d    %H%M%S")


def yn(flag: bool) -> str:
    return "Y" if flag else "N"


class Framer:
    """Cut a byte stream into messages, whatever the packets' boundaries."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[str]:
        """Add bytes; return the complete messages they finish (decoded)."""
        self._buffer += data
        messages = []
        while True:
            end = self._buffer.find(TERMINATOR)
            if end == -1:
                break
            raw, self._buffer = self._buffer[:end], self._buffer[end + 1 :]
            raw = raw.strip(b"\n")  # some kiosks send CR LF
            if raw:
                messages.append(raw.decode("utf-8", errors="replace"))
        if len(self._buffer) > MAX_MESSAGE:
            raise SipError("message too long")
        return messages

    @property
    def pending(self) -> bytes:
        return self._buffer
