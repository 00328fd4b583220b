"""Compile every .po catalogue under src/ into its .mo file (pure Python, via polib).

The .mo files are committed, so a running system never needs gettext tools.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1] / "src"

for po_path in sorted(ROOT.rglob("LC_MESSAGES/*.po")):
    catalogue = polib.pofile(str(po_path))
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(ROOT)}: {catalogue.percent_translated()}% translated")
