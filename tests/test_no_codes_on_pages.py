"""No code value on a Chinese page (issue 14, deliverable 5, acceptance).

Every demo account walks the pages it can reach: the nav, the lists (persons,
households, cases, facilities, housing, monitoring, audit) and a few entries of
each, and the screener's results. The visible text of each zh-Hans page must
hold no code of the plan's vocabulary or programmes (tests/pagewalk.py says which
strings are codes); attributes and addresses may.
"""

import re

import pytest

from equiserve.accounts.services import DEMO_ACCOUNTS
from equiserve.rules.tests.test_screener import MIGRANT_MOTHER
from tests.pagewalk import code_words, codes_in, read_page, walk


@pytest.fixture
def demo_city(demo_accounts, tmp_path, settings):
    """A small demo city with its facilities, cases and a housing round."""
    from equiserve.cases.demo import cases_demo_load
    from equiserve.facilities.demo import demo_facilities
    from equiserve.facilities.models import Facility
    from equiserve.housing.services import housing_demo_load
    from equiserve.registry.services import population_import_parquet
    from equiserve.synth import synthesize

    synthesize(scale=0.002, seed=1, out_dir=tmp_path, progress=False)
    population_import_parquet(tmp_path)
    Facility.objects.bulk_create(demo_facilities(seed=1))
    cases_demo_load(seed=1)
    housing_demo_load()
    # Issue 16: the health registries, with their hospital and teacher accounts.
    from equiserve.health.demo import health_demo_load

    health_demo_load(seed=1)
    # Issue 17: the disability register and the plan's projects.
    from equiserve.disability.demo import disability_demo_load
    from equiserve.projects.demo import projects_demo_load

    disability_demo_load()
    projects_demo_load()


def test_the_code_list_is_the_vocabularys_words():
    codes = code_words()
    assert {"elsewhere", "illness", "disability", "funeral", "hardship_relief"} <= codes
    assert "2A" not in codes and "442000100" not in codes
    # Whole words in text only: not inside an address, an attribute or a longer word.
    page = read_page(
        '<a href="/cases/?programme=funeral" title="illness">殡葬</a>'
        "<p>residential elsewhere-born</p>"
    )
    assert codes_in("".join(page.text), codes) == set()
    assert codes_in("户籍：elsewhere", codes) == {"elsewhere"}


# The accounts in three groups, each walked on its own city, so that the walk,
# the suite's longest test, is shared between the test processes. The office
# and the auditor, who read the most pages, lead two different groups.
_ACCOUNTS = [account.username for account in DEMO_ACCOUNTS]
_LONGEST = ["office", "auditor"]
_ORDER = _LONGEST + [name for name in _ACCOUNTS if name not in _LONGEST]
WALK_GROUPS = [_ORDER[i::3] for i in range(3)]


def test_the_walk_groups_cover_every_account_once():
    walked = [username for group in WALK_GROUPS for username in group]
    assert sorted(walked) == sorted(a.username for a in DEMO_ACCOUNTS)
    assert "office" in WALK_GROUPS[0] and "auditor" in WALK_GROUPS[1]


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("group", range(len(WALK_GROUPS)))
def test_no_code_value_on_any_chinese_page_for_any_role(demo_city, login, group):
    codes = code_words()
    found, read = {}, {}
    for username in WALK_GROUPS[group]:
        client = login(username, language="zh-hans")
        read[username] = visited = []
        for path, hits in walk(client, codes, visited=visited).items():
            found[f"{username} {path}"] = sorted(hits)
    assert found == {}
    if "auditor" in read:
        assert "/audit/" in read["auditor"]
    if "office" not in read:
        return
    # The walk reached the entries of every list, not only the menus.
    kinds = {
        "/cases/": r"^/cases/[^/]+/$",
        "/registry/persons/": r"^/registry/persons/[^/]+/$",
        "/registry/households/": r"^/registry/households/[^/]+/$",
        "/housing/applications/": r"^/housing/applications/[^/]+/$",
        "/facilities/town/": r"^/facilities/town/[^/]+/$",
        "/monitoring/indicators/": r"^/monitoring/indicators/[^/]+/$",
    }
    missing = [
        kind
        for kind, pattern in kinds.items()
        if not any(re.match(pattern, path) for path in read["office"])
    ]
    assert missing == []
    assert "/screener/" in read["office"]


def test_the_screeners_results_show_labels_not_codes(client):
    answers = {
        **MIGRANT_MOTHER,
        "topics": ["child", "hardship", "veteran", "housing"],
        "hardship_cause": "illness",
        "hardship_date": "2015-05-01",
        "veteran_kind": "conscript",
        "veteran_discharged": "2015-03-01",
        "household_size": "3",
        "floor_area_m2": "30",
        "annual_income": "45,000",
    }
    client.cookies["django_language"] = "zh-hans"
    page = client.post("/screener/", answers).content.decode()
    assert 'class="results"' in page
    assert codes_in("".join(read_page(page).text), code_words()) == set()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_public_ranking_rules_read_in_words(client, language):
    """Issue 14, deliverable 5: the page printed the rules as a Python dict."""
    client.cookies["django_language"] = language
    page = client.get("/housing/ranking/").content.decode()
    text = "".join(read_page(page).text)
    assert "{'" not in text and "end_of_group" not in text
    assert codes_in(text, code_words()) == set()
    if language == "en":
        assert "a member is aged 60 or over" in text
        assert "the Housing and Urban-Rural Development Bureau department" in text
    else:
        assert "有家庭成员年满60周岁" in text and "市住房和城乡建设局" in text
