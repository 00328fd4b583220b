"""Money, half-years and codes as people read them (issue 14, deliverable 5)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from equiserve.formatting import half_year, money, quantity, town_name, with_labels


def test_money_reads_with_the_yuan_sign_and_separators():
    assert money("12000") == "¥12,000.00"
    assert money(56322) == "¥56,322.00"
    assert money("-3.5") == "-¥3.50"
    assert money(None) == "—"
    assert money("n/a") == "n/a"
    rendered = Template("{% load equiserve %}{{ amount|money }}").render(
        Context({"amount": "12000.00"})
    )
    assert rendered == "¥12,000.00"


def test_half_years_read_in_both_languages():
    with translation.override("zh-hans"):
        assert half_year("2016H2") == "2016年下半年"
        assert half_year("2015H1") == "2015年上半年"
    with translation.override("en"):
        assert half_year("2016H2") == "2016 H2"
    assert half_year("2016") == "2016"  # not a half-year: as given


def test_a_summary_names_programmes_by_their_labels():
    with translation.override("zh-hans"):
        assert with_labels("case registered: vocational_tuition") == (
            "case registered: 中等职业教育免学费"
        )
        # A dotted identifier or a longer word is left alone.
        assert with_labels("funeral.storage funerals") == "funeral.storage funerals"
    with translation.override("en"):
        assert with_labels("funeral") == "Free basic funeral services"


@pytest.mark.django_db
def test_a_town_reads_by_its_name(geography):
    with translation.override("zh-hans"):
        assert town_name("442000100") == "小榄镇"
    with translation.override("en"):
        assert town_name("442000100") == "Xiaolan Town"
    assert town_name("") == "—"


def test_units_are_counted_in_words():
    with translation.override("en"):
        assert quantity(1, "courts") == "1 court"
        assert quantity("4", "items") == "4 items"
        assert quantity("1,200", "years") == "1,200 years"
        assert quantity(30, "m²") == "30 m²"
    with translation.override("zh-hans"):
        assert quantity(4, "items") == "4 项"
        assert quantity(1, "courts") == "1 片"
    assert quantity(None, "items") == "—"
