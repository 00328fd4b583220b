"""Every import reads a Chinese header for every column it accepts (issue 14,
deliverable 2): a clerk's spreadsheet in Chinese needs no English."""

import re

import pytest
from django.utils import translation

HAN = re.compile(r"[\u4e00-\u9fff]")


def _tables():
    from equiserve.cases.importing import APPLICATIONS
    from equiserve.facilities.importing import FACILITIES
    from equiserve.registry.importing.files import HOUSEHOLDS_TABLE, PERSONS_TABLE

    return {
        "persons": PERSONS_TABLE,
        "households": HOUSEHOLDS_TABLE,
        "applications": APPLICATIONS,
        "facilities": FACILITIES,
    }


@pytest.mark.parametrize(
    "name", ["persons", "households", "applications", "facilities"]
)
def test_every_column_has_a_chinese_header(name):
    table = _tables()[name]
    missing = []
    with translation.override("zh-hans"):
        for column in table.columns:
            if not any(HAN.search(str(label)) for label in column.labels):
                missing.append(column.name)
    assert missing == []
    # A Chinese header reads as its column.
    for column in table.columns:
        with translation.override("zh-hans"):
            chinese = [str(label) for label in column.labels if HAN.search(str(label))]
        assert table.aliases[chinese[0].strip().lower()] == column.name
