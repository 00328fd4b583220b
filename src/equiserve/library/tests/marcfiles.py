"""MARC 21 and CNMARC files for the tests, written with pymarc."""

import io

from pymarc import Field, Indicators, Record, Subfield, XMLWriter


def _field(tag: str, **subfields: str) -> Field:
    return Field(
        tag=tag,
        indicators=Indicators(" ", " "),
        subfields=[Subfield(code, value) for code, value in subfields.items()],
    )


def marc21_record(title, author, isbn="", subject="", barcode="", library="XL"):
    record = Record(force_utf8=True)
    record.add_field(Field(tag="001", data=f"m21-{title}"))
    if isbn:
        record.add_field(_field("020", a=isbn))
    record.add_field(_field("100", a=author))
    record.add_field(_field("245", a=title + " /"))
    record.add_field(_field("260", a="北京 :", b="人民文学出版社,", c="1996"))
    if subject:
        record.add_field(_field("650", a=subject))
    if barcode:
        record.add_field(_field("852", b=library, p=barcode, h="I242.4"))
    return record


def cnmarc_record(title, author, isbn="", subject="", barcode="", library="GZ"):
    record = Record(force_utf8=True)
    record.leader = record.leader[:9] + "a" + record.leader[10:]
    record.add_field(Field(tag="001", data=f"cn-{title}"))
    if isbn:
        record.add_field(_field("010", a=isbn, d="CNY25.00"))
    record.add_field(_field("200", a=title, f=author))
    record.add_field(_field("210", a="北京", c="人民文学出版社", d="2005"))
    if subject:
        record.add_field(_field("606", a=subject))
    record.add_field(_field("701", a=author))
    if barcode:
        record.add_field(_field("905", a=library, b=barcode, d="I247.5"))
    return record


def iso2709(*records: Record) -> bytes:
    return b"".join(record.as_marc() for record in records)


def marcxml(*records: Record) -> bytes:
    out = io.BytesIO()
    writer = XMLWriter(out)
    for record in records:
        writer.write(record)
    writer.close(close_fh=False)
    return out.getvalue()


def malformed() -> bytes:
    """A record whose leader announces a length the bytes do not have."""
    good = marc21_record("坏记录", "某人").as_marc()
    return b"00999" + good[5:40] + b"\x1d"
