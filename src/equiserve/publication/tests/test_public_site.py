"""The public site and its static export (issue 18, clause 4.4): no login, zh and
en, nothing personal (a scan of every page and file), complementary suppression,
CSV and JSON for every table with a DCAT record."""

import csv
import datetime as dt
import html
import io
import json
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from equiserve.budget.tests.factories import demo_like_city
from equiserve.monitoring.models import IndicatorValue
from equiserve.monitoring.periods import current_period
from equiserve.publication import rendering
from equiserve.publication.datasets import BUILDERS, CITY_CODE
from equiserve.publication.suppression import SUPPRESSED, suppress_group
from equiserve.registry.models import Person
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography")]
INDICATOR = "housing.difficulty_solved"


def _values():
    now = timezone.now()
    period = current_period().id
    for place, numerator in (("city", 300.0), (XIAOLAN, 40.0), (GUZHEN, 4.0)):
        IndicatorValue.objects.create(
            indicator=INDICATOR,
            period=period,
            place=place,
            numerator=numerator,
            denominator=80.0,
            value=numerator / 80.0 * 100,
            version=1,
            computed_at=now,
        )


@pytest.fixture
def city():
    demo_like_city()
    _values()


def _count_ok(text: str) -> bool:
    text = text.strip()
    return text in (SUPPRESSED, "0", "") or (text.isdigit() and int(text) >= 10)


def _personal(persons):
    return [p.id_number for p in persons] + [p.name for p in persons]


def _scan_html(body: str, personal: list[str], where: str) -> None:
    for secret in personal:
        assert secret not in body, f"{where} shows {secret}"
    for cell in re.findall(r'<td class="count">(.*?)</td>', body, re.S):
        assert _count_ok(html.unescape(cell)), f"{where}: count {cell!r}"


def _scan_table(text: str, counts: list[str], personal, where: str) -> None:
    for secret in personal:
        assert secret not in text, f"{where} shows {secret}"
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        for column in counts:
            assert _count_ok(row[column]), f"{where}: {column} {row[column]!r}"


def test_one_hidden_cell_is_never_alone_in_a_group():
    assert suppress_group([12, 3, 0, 40], 55) == ([True, True, False, False], False)
    assert suppress_group([3, 0], 3) == ([True, False], True)
    assert suppress_group([3, 4, 30], 37) == ([True, True, False], False)
    assert suppress_group([10, 0, 20], 30) == ([False, False, False], False)


def test_every_public_page_and_download_shows_nothing_personal(city):
    personal = _personal(Person.objects.all())
    assert len(personal) > 20
    client = Client()  # no login
    for language in ("zh-hans", "en"):
        pages = ["/public/", "/public/data/", "/public/guides/", "/public/rounds/"]
        pages += [f"/public/towns/{t}/" for t in (XIAOLAN, GUZHEN, SHIQI)]
        pages += [f"/public/data/{slug}/" for slug in BUILDERS]
        for path in pages:
            answer = client.get(path, {"lang": language})
            assert answer.status_code == 200, path
            _scan_html(answer.content.decode(), personal, path)
        for slug, builder in BUILDERS.items():
            with translation.override(language):
                counts = [str(c.label) for c in builder().columns if c.count]
            answer = client.get(f"/public/data/{slug}.csv", {"lang": language})
            _scan_table(answer.content.decode(), counts, personal, slug)
            data = json.loads(client.get(f"/public/data/{slug}.json").content)
            assert data["metadata"]["@type"] == "dcat:Dataset"
            assert data["metadata"]["dct:license"]


def test_services_received_hides_small_counts_and_their_complement(city):
    with translation.override("en"):
        rows = BUILDERS["services-received"]().rows
    preschool = {r["place_code"]: r for r in rows if r["clause"] == "3.1.1"}
    # One grant in each of three towns: all hidden, and so is the total.
    assert {preschool[t]["people"] for t in (XIAOLAN, GUZHEN, SHIQI, CITY_CODE)} == {
        SUPPRESSED
    }
    assert preschool[XIAOLAN]["paid"] == SUPPRESSED
    for programme in {r["programme"] for r in rows}:
        mine = [r for r in rows if r["programme"] == programme]
        total = next(r for r in mine if r["place_code"] == CITY_CODE)
        hidden = [
            r
            for r in mine
            if r["place_code"] != CITY_CODE and r["people"] == SUPPRESSED
        ]
        assert len(hidden) != 1 or total["people"] == SUPPRESSED


def test_a_rate_over_fewer_than_10_people_is_not_shown(city):
    with translation.override("en"):
        rows = BUILDERS["targets-by-town"]().rows
    mine = {
        r["place_code"]: r
        for r in rows
        if INDICATOR in r["indicator"] or r["clause"] == "3.8"
    }
    assert mine[XIAOLAN]["value"] == "50"
    assert mine[GUZHEN]["value"] == SUPPRESSED


def test_the_catalogue_is_dcat_json_ld_with_every_table(city):
    catalogue = json.loads(Client().get("/public/catalog.jsonld").content)
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    records = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    assert set(records) == set(BUILDERS)
    record = records["services-received"]
    assert {d["dct:format"] for d in record["dcat:distribution"]} == {"CSV", "JSON"}
    for key in (
        "dct:title",
        "dct:description",
        "dct:temporal",
        "dct:license",
        "dct:modified",
    ):
        assert key in record
    assert record["dct:references"] == "clause 4.4"


def test_publish_writes_the_static_site_with_nothing_personal(city, tmp_path):
    written = rendering.export(tmp_path, base="https://data.example.gov.cn/")
    assert "index.html" in written and "en/index.html" in written
    assert f"towns/{XIAOLAN}/index.html" in written and "catalog.jsonld" in written
    personal = _personal(Person.objects.all())
    for name in written:
        text = (tmp_path / name).read_text(encoding="utf-8")
        if name.endswith(".html"):
            _scan_html(text, personal, name)
        elif name.endswith(".csv"):
            slug = name.rsplit("/", 1)[-1].removesuffix(".csv")
            with translation.override("en" if name.startswith("en/") else "zh-hans"):
                counts = [str(c.label) for c in BUILDERS[slug]().columns if c.count]
            _scan_table(text, counts, personal, name)
        else:
            for secret in personal:
                assert secret not in text, name
    # Links are relative: a town page reaches the CSV and the stylesheet.
    town = (tmp_path / "towns" / XIAOLAN / "index.html").read_text(encoding="utf-8")
    assert 'href="../../data/services-received.csv"' in town
    assert 'href="../../public.css"' in town
    assert (tmp_path / "public.css").is_file() and (
        tmp_path / "en" / "public.css"
    ).is_file()
    assert dt.date.today()
