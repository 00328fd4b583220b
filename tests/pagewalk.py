"""Walk the pages a person reads and find vocabulary codes in their visible text
(issue 14, deliverable 5). Shared by the test and by a manual run over a demo
database: `python -m tests.pagewalk` (EQUISERVE_DEMO=1)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Lists whose entries are followed (a few each): the nav gives the rest.
LIST_PAGES = (
    "/",
    "/screener/",
    "/cases/",
    "/registry/persons/",
    "/housing/rounds/",
    "/housing/waiting/",
    "/housing/applications/",
    "/facilities/",
    "/monitoring/",
    "/monitoring/indicators/",
    "/monitoring/reports/",
    "/health/",
    "/health/t1d/",
    "/health/schools/",
    "/audit/",
    "/disability/register/",
    "/disability/institutions/",
    "/projects/",
    "/projects/overdue/",
)
ENTRIES_PER_LIST = 4
# Never followed: they change state, download files or end the session.
SKIPPED = re.compile(
    r"(/accounts/logout|/i18n/|/admin/|/api/|\.xlsx|\.csv|\.json|export|/static/|"
    r"/draw|/verify|round\.json)"
)
# Where entries live: /<list>/<something>/ one level down.
ENTRY = re.compile(
    r"^/(cases|registry/persons|registry/households|housing/rounds|housing/applications"
    r"|facilities/town|facilities/standard|monitoring/indicators|monitoring/reports"
    r"|audit|health/t1d|health/schools|disability/register|projects)/[^/?#]+/$"
)


def code_words() -> set[str]:
    """Return the codes of the plan's vocabulary and its programmes that read as words.

    A code that is also a number or ID-like ("2A", "442000100") could be shown for
    good reason, so only codes with two or more letters and no digit count.
    """
    from equiserve.housing.assessment import ranking_dir
    from equiserve.housing.ranking import rankings
    from equiserve.policy.vocabulary import vocabularies
    from equiserve.rules import plan_gateway

    codes = {code for field in vocabularies().values() for code in field.values}
    codes |= set(plan_gateway.plan().programmes)
    # The housing ranking's priority groups are the plan's vocabulary too.
    for ranking in rankings(ranking_dir()).values():
        codes |= set(ranking.config.priority_groups)
    return {code for code in codes if re.fullmatch(r"[a-z][a-z_\-]*[a-z]", code)}


class _Visible(HTMLParser):
    """Collect visible text and the links of a page."""

    HIDDEN = {"script", "style", "template", "title", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.nav_links: list[str] = []
        self._hidden = 0
        self._nav = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "nav":
            self._nav += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
            if self._nav:
                self.nav_links.append(attributes["href"])
        if tag in ("input", "button") and attributes.get("type") in (
            "submit",
            "button",
        ):
            self.text.append(attributes.get("value") or "")
        if tag == "option":
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag == "nav" and self._nav:
            self._nav -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def read_page(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    return parser


def codes_in(text: str, codes: set[str]) -> set[str]:
    """Return the codes found as whole words in `text`."""
    # Not part of an address, a file name or a dotted identifier (hardship.cause),
    # nor a word of an English sentence quoted on the page ("primary and junior
    # secondary school" in a source's note): a code shown is set among Chinese
    # text or punctuation ("户籍：elsewhere", "disability, elderly").
    found = set()
    for match in re.finditer(
        r"(?<![\w\-./@#])[a-z][a-z_\-]*[a-z](?![\w\-/@]|\.\w)", text
    ):
        if match.group(0) not in codes:
            continue
        before = text[: match.start()].rstrip()[-1:]
        after = text[match.end() :].lstrip()[:1]
        if not (before.isascii() and before.isalpha()) and not (
            after.isascii() and after.isalpha()
        ):
            found.add(match.group(0))
    return found


def walk(
    client, codes: set[str], *, limit: int = 120, visited: list[str] | None = None
) -> dict[str, set[str]]:
    """Visit the nav's pages, the lists and a few entries of each; return {url: codes}.

    The pages read (status 200, HTML) are appended to `visited` when given.
    """
    queue = list(LIST_PAGES)
    seen: set[str] = set()
    per_list: dict[str, int] = {}
    found: dict[str, set[str]] = {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or SKIPPED.search(url):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        if visited is not None:
            visited.append(path)
        page = read_page(response.content.decode())
        hits = codes_in("".join(page.text), codes)
        if hits:
            found[path] = hits
        for link in page.nav_links + page.links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or SKIPPED.search(target):
                continue
            if link in page.nav_links:
                queue.append(target)
            elif ENTRY.match(parts.path) and parts.path not in seen:
                key = parts.path.rsplit("/", 2)[0]
                if per_list.get(key, 0) < ENTRIES_PER_LIST:
                    per_list[key] = per_list.get(key, 0) + 1
                    queue.append(parts.path)  # an entry as such, not a filter
    return found


if __name__ == "__main__":  # a manual run over the demo database
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equiserve.settings")
    django.setup()
    from django.test import Client

    from equiserve.accounts.services import DEMO_ACCOUNTS

    words = code_words()
    names = sys.argv[1:] or [a.username for a in DEMO_ACCOUNTS]
    for name in names:
        client = Client()
        client.cookies["django_language"] = "zh-hans"
        assert client.login(username=name, password=f"demo-{name}"), name
        for path, hits in sorted(walk(client, words).items()):
            print(name, path, sorted(hits))
