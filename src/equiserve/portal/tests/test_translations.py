"""The zh-Hans catalogue is complete and its compiled .mo matches the .po."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_exists_and_is_compiled(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    assert po_path.is_file() and mo_path.is_file()
    assert mo_path.stat().st_size > 0


def test_every_chinese_message_is_translated():
    po = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_compiled_chinese_catalogue_matches_the_source():
    po_path = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(entry) -> str:
        if entry.msgctxt:
            return compiled.pgettext(entry.msgctxt, entry.msgid)
        return compiled.gettext(entry.msgid)

    stale = [
        entry.msgid
        for entry in polib.pofile(str(po_path)).translated_entries()
        if not entry.msgid_plural and compiled_text(entry) != entry.msgstr
    ]
    assert stale == [], "run `make messages` to recompile"


def test_chinese_translations_keep_every_placeholder():
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
    po = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    broken = [
        entry.msgid
        for entry in po.translated_entries()
        if sorted(placeholder.findall(entry.msgid))
        != sorted(placeholder.findall(entry.msgstr or entry.msgstr_plural.get(0, "")))
    ]
    assert broken == []
