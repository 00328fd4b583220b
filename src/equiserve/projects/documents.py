"""Check an uploaded project document before it is kept (issue 17, deliverable 4).

The same size limit as every import (EQUISERVE_IMPORT_MAX_BYTES, issue 10,
finding 11), checked before the file is read; then the name's suffix must be
one of the office formats below and the bytes must be that format (a renamed
executable or web page is refused), so a download can only ever be served as
one of these types, always as an attachment.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 and Excel 97–2003
ZIP = b"PK\x03\x04"

# suffix: (content type served, how the bytes begin, the OOXML part it holds)
FORMATS = {
    "pdf": ("application/pdf", b"%PDF-", ""),
    "doc": ("application/msword", OLE, ""),
    "xls": ("application/vnd.ms-excel", OLE, ""),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        "word/document.xml",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        "xl/workbook.xml",
    ),
    "jpg": ("image/jpeg", b"\xff\xd8\xff", ""),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff", ""),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n", ""),
}
SUFFIXES = ", ".join(f".{s}" for s in FORMATS)
MAX_NAME = 200


class DocumentRefused(Exception):
    """An upload refused; the message is for the user."""


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str


def size_error(size: int) -> str | None:
    """Return the message refusing a document of `size` bytes, or None if it fits."""
    limit = settings.EQUISERVE_IMPORT_MAX_BYTES
    if size <= limit:
        return None
    return _("The file is %(size).1f MB; a document may be at most %(limit).0f MB.") % {
        "size": size / 2**20,
        "limit": limit / 2**20,
    }


def clean_filename(name: str) -> str:
    """Return `name` without any folder, control character or quote, at most 200 long."""
    base = PureWindowsPath(PurePosixPath(str(name)).name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(
        ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '"\\/'
    )
    base = re.sub(r"\s+", " ", base).strip(" .")
    if len(base) > MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        base = stem[: MAX_NAME - len(suffix) - 1] + dot + suffix if dot else base
    return base[:MAX_NAME]


def check_upload(name: str, content: bytes) -> CheckedFile:
    """Return the file's clean name and content type, or raise DocumentRefused."""
    if too_large := size_error(len(content)):
        raise DocumentRefused(too_large)
    filename = clean_filename(name)
    stem, dot, suffix = filename.rpartition(".")
    suffix = suffix.lower() if dot else ""
    if not stem or suffix not in FORMATS:
        raise DocumentRefused(
            _("A document is a file of type %(types)s; %(name)s is not.")
            % {"types": SUFFIXES, "name": filename or "?"}
        )
    if not content:
        raise DocumentRefused(_("The file %(name)s is empty.") % {"name": filename})
    content_type, magic, part = FORMATS[suffix]
    if not content.startswith(magic) or (part and not _zip_holds(content, part)):
        raise DocumentRefused(
            _("The file %(name)s is not a .%(suffix)s file inside.")
            % {"name": filename, "suffix": suffix}
        )
    return CheckedFile(filename=filename, content_type=content_type)


def _zip_holds(content: bytes, part: str) -> bool:
    """Return whether the ZIP holds `part` (only the directory is read, not inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
