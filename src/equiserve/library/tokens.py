"""Turn catalogue text into search tokens that work for Chinese (no Django).

Chinese has no spaces between words, so a run of Han (or kana, hangul)
characters becomes its overlapping character bigrams (中山市 → 中山, 山市), a
lone character itself; Latin letters and digits become lower-case words. A
record also indexes each character alone (中, 山, 市), so that a one-character
query (a surname: 鲁) finds it; a longer query matches by bigrams.
Each CJK token is written in ASCII (`c` and the two code points in hex) so
that SQLite FTS5's and PostgreSQL's 'simple' parsers see one word whatever
the database's locale. A query is tokenized alike and every token must match.
"""

from __future__ import annotations

import re
import unicodedata

_RUN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+|[a-z0-9]+"
)
_CJK_START = "\u3040"


def _cjk_token(text: str) -> str:
    return "c" + "".join(f"{ord(ch):05x}" for ch in text)


def tokens(text: str, *, characters: bool = False) -> list[str]:
    """Return the search tokens of `text`, in order, repeats kept; with
    `characters`, each character of a longer Chinese run too."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    out: list[str] = []
    for run in _RUN.findall(folded):
        if run[0] >= _CJK_START:
            if len(run) == 1:
                out.append(_cjk_token(run))
            else:
                out.extend(_cjk_token(run[i : i + 2]) for i in range(len(run) - 1))
                if characters:
                    out.extend(_cjk_token(ch) for ch in run)
        else:
            out.append(run)
    return out


def document(*parts: str) -> str:
    """Return the token text indexed for a record's `parts` (each token once)."""
    seen: dict[str, None] = {}
    for part in parts:
        for token in tokens(part, characters=True):
            seen.setdefault(token, None)
    return " ".join(seen)


def query_tokens(text: str, limit: int = 16) -> list[str]:
    """Return the distinct tokens a query must all match (at most `limit`)."""
    return list(dict.fromkeys(tokens(text)))[:limit]
