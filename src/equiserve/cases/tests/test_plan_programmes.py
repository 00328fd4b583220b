"""A programme added only in the plan's programmes.yaml reaches casework, the
screener and the budget with no code change (issue 11, deliverable 1)."""

import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from equiserve.cases import services
from equiserve.cases.programmes import PROGRAMMES, programme_choices
from equiserve.cases.tests.factories import APPLIED_ON, eligible_applicant
from equiserve.rules import plan_gateway
from equiserve.simulation.budget import budget
from equiserve.simulation.tests.test_budget import HOUSEHOLDS, PERSONS

FERRY = """
  - code: ferry_subsidy
    clause: "3.5"
    lead: civil-affairs
    assisting: []
    towns: true
    label: {zh: 海岛殡葬交通补贴, en: Island funeral ferry subsidy}
    entity: person
    eligible: funeral_eligible
    screen: [deceased]
    budget:
      basis: event
      event: {column: death_date}
      unit_cost: costs.funeral_basic_services_per_case
      funding:
        source: [town]
        status: illustrative
        owner: civil-affairs
        reference: a test programme
    casework:
      facts: [death_date]
      documents: [death_certificate]
      grants: {zh: 交通补贴, en: a ferry subsidy}
"""


@pytest.fixture
def ferry_plan(settings, tmp_path):
    """The shipped plan with one more programme, served as the site's plan."""
    folder = tmp_path / "plan"
    shutil.copytree(
        Path(settings.EQUISERVE_PLAN_DIR),
        folder,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    # Insert the programme at the end of the `programmes:` list: before the first
    # top-level line (key or comment) that follows it.
    programmes_file = folder / "programmes.yaml"
    text = programmes_file.read_text(encoding="utf-8")
    start = text.index("\nprogrammes:\n") + len("\nprogrammes:\n")
    end = re.search(r"^[^\s-]", text[start:], flags=re.MULTILINE)
    cut = start + end.start() if end else len(text)
    programmes_file.write_text(text[:cut] + FERRY.lstrip("\n") + text[cut:])
    settings.EQUISERVE_PLAN_DIR = folder
    return folder


@pytest.mark.django_db
def test_a_programme_added_in_the_plan_can_be_applied_for_and_is_assessed(
    ferry_plan, officers
):
    assert "ferry_subsidy" in PROGRAMMES
    assert ("ferry_subsidy", "3.5 Island funeral ferry subsidy") in programme_choices(
        "en"
    )
    case = services.case_register(
        programme="ferry_subsidy",
        applicant=eligible_applicant("funeral"),
        applied_on=APPLIED_ON["funeral"],
        facts={},
        documents=["death_certificate"],
        actor=officers["civil-affairs"],
    )
    assessment = services.case_assess(
        case=case, version=case.version, actor=officers["civil-affairs"]
    )
    assert assessment.case.programme == "ferry_subsidy"
    assert assessment.eligible is True
    assert assessment.answer["funeral_eligible"] is True


def test_a_programme_added_in_the_plan_is_screened(ferry_plan, client):
    answers = {
        "date": "2015-07-01",
        "birth_date": "1990-01-01",
        "sex": "M",
        "hukou": "zhongshan",
        "hukou_kind": "urban",
        "town": "442000001",
        "topics": ["death"],
        "death_date": "2015-06-20",
        "death_hukou": "zhongshan",
        "death_storage_days": "5",
        "death_ash_storage_years": "12",
        "action": "screen",
    }
    page = client.post("/screener/?lang=en", answers).content.decode()
    deceased = page.split('id="subject-deceased"', 1)[1].split("</article>", 1)[0]
    assert 'data-programme="funeral"' in deceased
    assert 'data-programme="ferry_subsidy"' in deceased
    assert "Island funeral ferry subsidy" in deceased


def test_a_programme_added_in_the_plan_is_in_the_budget(ferry_plan, tmp_path):
    population = tmp_path / "population"
    population.mkdir()
    pl.DataFrame(PERSONS).write_parquet(population / "persons.parquet")
    pl.DataFrame(HOUSEHOLDS).write_parquet(population / "households.parquet")
    result = budget(2015, population, plan=plan_gateway.plan(), scale=False)
    lines = {line.programme.name: line for line in result.lines}
    # f died in 2015: one case at the 1,500 basic services cost, paid by the town.
    assert (lines["ferry_subsidy"].eligible, lines["ferry_subsidy"].fen) == (
        1,
        150_000,
    )
    assert lines["ferry_subsidy"].as_dict()["funding"] == ["town"]
    assert lines["funeral"].as_dict()["funding"] == ["city"]
