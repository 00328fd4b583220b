"""The union catalogue: MARC 21 and CNMARC imports, ISBN merging, search (issue 19)."""

import pytest
from typer.testing import CliRunner

from equiserve.cli import app
from equiserve.library.catalogue import catalogue_import
from equiserve.library.models import Item, Work
from equiserve.library.search import work_search
from equiserve.library.tests.factories import make_network, make_work
from equiserve.library.tests.marcfiles import (
    cnmarc_record,
    iso2709,
    malformed,
    marc21_record,
    marcxml,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(geography):
    return make_network()


def test_a_marc21_file_imports_with_its_titles_authors_and_copies(net):
    data = iso2709(
        marc21_record("红楼梦", "曹雪芹", "7-02-000220-X", "章回小说", "XL0001"),
        marc21_record("The Analects", "Confucius", "", "Philosophy, Chinese"),
    )
    report = catalogue_import(data=data, fmt="marc21", source="a.mrc", actor=None)
    assert report.ok, report.lines()
    work = Work.objects.get(isbn="9787020002207")
    assert (work.title, work.author, work.publisher) == (
        "红楼梦",
        "曹雪芹",
        "人民文学出版社",
    )
    assert Work.objects.get(isbn=None).author == "Confucius"
    assert Item.objects.get(barcode="XL0001").home == net["xiaolan"]


def test_a_cnmarc_marcxml_file_imports_and_merges_by_isbn(net):
    catalogue_import(
        data=iso2709(
            marc21_record("红楼梦", "曹雪芹", "7-02-000220-X", "章回小说", "XL0001")
        ),
        fmt="marc21",
        source="a.mrc",
        actor=None,
    )
    data = marcxml(
        # The same work, its ISBN written as ISBN-13: one record, two copies.
        cnmarc_record("红楼梦", "曹雪芹", "978-7-02-000220-7", "古典小说", "GZ0001"),
        cnmarc_record("边城", "沈从文", "9787020051663", "中篇小说", "GZ0002"),
    )
    report = catalogue_import(data=data, fmt="cnmarc", source="b.xml", actor=None)
    assert report.ok, report.lines()
    assert report.saved == {"new": 1, "merged": 1, "items": 2}
    work = Work.objects.get(isbn="9787020002207")
    assert work.items.count() == 2
    assert work.subjects == "章回小说; 古典小说"
    border = Work.objects.get(isbn="9787020051663")
    assert (border.title, border.author) == ("边城", "沈从文")


def test_a_malformed_record_is_reported_with_its_position_and_nothing_is_saved(net):
    data = (
        iso2709(marc21_record("红楼梦", "曹雪芹", "7-02-000220-X", barcode="XL0001"))
        + malformed()
    )
    report = catalogue_import(data=data, fmt="marc21", source="bad.mrc", actor=None)
    assert not report.ok
    assert report.errors[0].row == "record 2"
    assert "record 2" in report.lines()[1]
    assert not Work.objects.exists() and not Item.objects.exists()


def test_a_record_naming_an_unknown_library_saves_nothing(net):
    data = iso2709(
        marc21_record("红楼梦", "曹雪芹", barcode="XL0001"),
        marc21_record("边城", "沈从文", barcode="NO0001", library="NOWHERE"),
    )
    report = catalogue_import(data=data, fmt="marc21", source="c.mrc", actor=None)
    assert [(e.row, e.column) for e in report.errors] == [("record 2", "library")]
    assert not Work.objects.exists()


def test_the_command_line_imports_and_refuses(net, tmp_path):
    good, bad = tmp_path / "good.mrc", tmp_path / "bad.mrc"
    good.write_bytes(iso2709(cnmarc_record("边城", "沈从文", "9787020051663")))
    bad.write_bytes(malformed())
    runner = CliRunner()
    result = runner.invoke(app, ["library", "import", str(good), "--format", "cnmarc"])
    assert result.exit_code == 0, result.output
    assert Work.objects.get().title == "边城"
    result = runner.invoke(app, ["library", "import", str(bad)])
    assert result.exit_code == 1
    assert "record 1" in result.output


def test_search_finds_chinese_titles_authors_subjects_and_isbns(net):
    dream = make_work("红楼梦", "曹雪芹", subjects="章回小说", isbn="9787020002207")
    make_work("中山市志", "中山市地方志编纂委员会", subjects="地方志")
    make_work("Journey to the West", "Wu Cheng'en", subjects="Chinese fiction")
    assert list(work_search("红楼")) == [dream]
    assert list(work_search("雪芹")) == [dream]
    assert list(work_search("回小说")) == [dream]
    assert list(work_search("7-02-000220-X")) == [dream]
    assert [w.title for w in work_search("中山 地方志")] == ["中山市志"]
    assert [w.title for w in work_search("journey WEST")] == ["Journey to the West"]
    assert not work_search("楼红").exists()
    assert not work_search("  ").exists()


def test_search_finds_one_character_anywhere_in_a_word(net):
    dream = make_work("红楼梦", "曹雪芹", subjects="章回小说")
    gazetteer = make_work("中山市志", "中山市地方志编纂委员会", subjects="地方志")
    # A surname, a title's last character, a character in the middle of a word.
    assert list(work_search("曹")) == [dream]
    assert list(work_search("梦")) == [dream]
    assert list(work_search("楼")) == [dream]
    assert list(work_search("志")) == [gazetteer]
    assert list(work_search("山 志")) == [gazetteer]
    assert not work_search("海").exists()
    # Two characters still match as a pair, not as two loose characters.
    assert not work_search("梦红").exists()


def test_a_page_of_results_is_the_first_matches_in_catalogue_order(net):
    from equiserve.library.selectors import work_results

    made = [make_work(f"中山故事{n}", "李华", subjects="地方志") for n in range(5)]
    make_work("红楼梦", "曹雪芹", subjects="章回小说")
    found = [row["work"] for row in work_results("山", limit=2)]
    assert found == made[:2]
    assert [row["work"] for row in work_results("山", limit=20)] == made
