"""No template carries what the Content Security Policy refuses (issue 10,
finding 2): inline script, inline event handlers, htmx's evaluated attributes,
or style attributes. A new one would break its page silently; this names it."""

import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "equiserve"
TEMPLATES = sorted(
    path
    for path in SOURCE.rglob("templates/**/*.html")
    if "static" not in path.relative_to(SOURCE).parts
)
REFUSED = {
    "inline script": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"
    ),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "htmx evaluated attribute": re.compile(r"\b(?:data-)?hx-(?:on\b|on:|vars=)"),
    "htmx trigger filter": re.compile(r"hx-trigger=\"[^\"]*\["),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
}


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("name", REFUSED)
def test_no_template_holds(name):
    pattern = REFUSED[name]
    found = [
        f"{path.relative_to(SOURCE)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in TEMPLATES
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]
    assert found == []
