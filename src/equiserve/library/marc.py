"""Read MARC 21 and CNMARC records, ISO 2709 or MARCXML, into plain dicts (no Django).

MARC 21 and CNMARC (the Chinese UNIMARC) put the same facts in different
fields: title 245$a/$b against 200$a/$e, author 100/110/700 against
200$f/700/701/710, ISBN 020$a against 010$a, publisher 260/264$b against
210$c (or 214$c), subjects 650/600/651 against 606/600/607, year 260/264$c
against 210$d. A record that cannot be read, or has no title, is a
`MarcProblem` with its position in the file (1 = first record).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pymarc
from stdnum import isbn as stdnum_isbn

MARC21, CNMARC = "marc21", "cnmarc"
FORMATS = (MARC21, CNMARC)


@dataclass(frozen=True)
class MarcProblem:
    position: int
    message: str


@dataclass
class BibRecord:
    position: int
    title: str
    author: str = ""
    isbn: str | None = None
    publisher: str = ""
    year: str = ""
    subjects: list[str] = field(default_factory=list)
    control_number: str = ""
    items: list[dict] = field(default_factory=list)
    format: str = MARC21


def _subfields(record, tags, codes) -> list[str]:
    out = []
    for fld in record.get_fields(*tags):
        if fld.is_control_field():
            continue
        for code in codes:
            out.extend(value.strip() for value in fld.get_subfields(code))
    return [value for value in out if value]


def _clean(text: str) -> str:
    return re.sub(r"[\s/:;,=.]+$", "", text.strip())


def normalize_isbn(raw: str) -> str | None:
    """Return the ISBN-13 in `raw` ('7-02-000220-X (精装)'), or None if none is valid."""
    match = re.search(r"[0-9][0-9Xx\- ]{8,16}[0-9Xx]", raw or "")
    if not match:
        return None
    candidate = match.group(0)
    if not stdnum_isbn.is_valid(candidate):
        return None
    return stdnum_isbn.to_isbn13(stdnum_isbn.compact(candidate))


def _first(values: list[str]) -> str:
    return _clean(values[0]) if values else ""


def bib_from_record(record, position: int, fmt: str) -> BibRecord | MarcProblem:
    """Return the catalogue facts of one pymarc record, or the problem with it."""
    if fmt == CNMARC:
        title = " ".join(_clean(v) for v in _subfields(record, ["200"], "ae"))
        authors = _subfields(record, ["200"], "f") or _subfields(
            record, ["700", "701", "710", "711"], "a"
        )
        isbns = _subfields(record, ["010"], "a")
        publisher = _first(_subfields(record, ["210", "214"], "c"))
        year = _first(_subfields(record, ["210", "214"], "d"))
        subjects = _subfields(record, ["606", "600", "607", "610"], "a")
        items = [
            {
                "barcode": f.get("b", ""),
                "library": f.get("a", ""),
                "call": f.get("d", ""),
            }
            for f in record.get_fields("905")
        ]
    else:
        title = " ".join(_clean(v) for v in _subfields(record, ["245"], "ab"))
        authors = _subfields(record, ["100", "110", "111", "700", "710"], "a")
        isbns = _subfields(record, ["020"], "a")
        publisher = _first(_subfields(record, ["260", "264"], "b"))
        year = _first(_subfields(record, ["260", "264"], "c"))
        subjects = _subfields(record, ["650", "600", "610", "651"], "a")
        items = [
            {
                "barcode": f.get("p", ""),
                "library": f.get("b", ""),
                "call": f.get("h", ""),
            }
            for f in record.get_fields("852")
        ]
    if not title.strip():
        return MarcProblem(position, "the record has no title")
    control = record.get_fields("001")
    isbn = next((n for n in map(normalize_isbn, isbns) if n), None)
    return BibRecord(
        position=position,
        title=title.strip()[:500],
        author="; ".join(dict.fromkeys(_clean(a) for a in authors))[:300],
        isbn=isbn,
        publisher=publisher[:200],
        year=year[:16],
        subjects=[_clean(s) for s in subjects],
        control_number=(control[0].data.strip() if control else "")[:64],
        items=[i for i in items if i["barcode"]],
        format=fmt,
    )


def _is_xml(data: bytes) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def read(data: bytes, fmt: str = MARC21) -> tuple[list[BibRecord], list[MarcProblem]]:
    """Read every record of an ISO 2709 or MARCXML file; return records and problems."""
    if fmt not in FORMATS:
        raise ValueError(f"format is one of {FORMATS}, not {fmt!r}")
    records: list[BibRecord] = []
    problems: list[MarcProblem] = []

    def take(record, position):
        if record is None:
            problems.append(MarcProblem(position, "the record cannot be read"))
            return
        found = bib_from_record(record, position, fmt)
        (problems if isinstance(found, MarcProblem) else records).append(found)

    if _is_xml(data):
        try:
            parsed = pymarc.parse_xml_to_array(io.BytesIO(data))
        except Exception as error:  # noqa: BLE001 - any XML error is the file's
            return [], [MarcProblem(1, f"the MARCXML cannot be read: {error}")]
        for position, record in enumerate(parsed, start=1):
            take(record, position)
        return records, problems
    reader = pymarc.MARCReader(
        io.BytesIO(data), to_unicode=True, force_utf8=True, permissive=True
    )
    for position, record in enumerate(reader, start=1):
        if record is None:
            reason = getattr(reader, "current_exception", None)
            problems.append(
                MarcProblem(
                    position, f"the record cannot be read: {reason or 'malformed'}"
                )
            )
            continue
        take(record, position)
    if not records and not problems:
        problems.append(MarcProblem(1, "the file holds no MARC record"))
    return records, problems
