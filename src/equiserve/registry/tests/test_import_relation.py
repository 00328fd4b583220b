"""An import reads the relation to the head of household under its Chinese
header, by code or label in either language (issue 14, deliverable 2)."""

import datetime as dt

import pytest
from django.utils import translation

from equiserve.registry.models import Person
from equiserve.registry.services import registry_import
from equiserve.testkit import XIAOLAN, id_number

pytestmark = pytest.mark.django_db


def _import(text: str):
    with translation.override("en"):
        return registry_import(
            content=text.encode("utf-8"), filename="people.csv", actor=None
        )


def test_chinese_header_and_chinese_values_read_as_the_relation(geography):
    head, spouse = (
        id_number(dt.date(1990, 1, 1), 11),
        id_number(dt.date(1992, 2, 2), 22),
    )
    report = _import(
        "人员编号,公民身份号码,姓名,户籍,镇区,与户主关系\n"
        f"A1,{head},陈一,本市户籍,{XIAOLAN},户主\n"
        f"A2,{spouse},陈二,本市户籍,{XIAOLAN},Spouse\n"
    )
    assert report.errors == [], report.lines()
    relations = dict(Person.objects.values_list("key", "relation_to_head"))
    assert relations == {"A1": "head", "A2": "spouse"}


def test_an_unknown_relation_is_refused_with_the_codes_it_may_be(geography):
    report = _import(
        "key,id_number,name,hukou,town,relation_to_head\n"
        f"A1,{id_number(dt.date(1990, 1, 1), 11)},陈一,zhongshan,{XIAOLAN},cousin\n"
    )
    assert "cousin is not one of: Head of household, Spouse, Child, Parent" in " ".join(
        report.lines()
    )
    assert not Person.objects.exists()
