import json
from pathlib import Path

import pytest

from equiserve.allocation import RankingConfig, RoundFormatError

# A fixture of these tests; the plan's ranking is read by equiserve.housing.ranking.
FIXTURE = Path(__file__).parent / "fixtures" / "ranking.yaml"


def fixture_config() -> RankingConfig:
    return RankingConfig.from_file(FIXTURE)


def test_a_yaml_ranking_loads_with_its_order_and_refusal_rule():
    config = fixture_config()
    assert config.version == "fixture.1"
    assert config.priority_groups == ("disability", "elderly", "low_income")
    assert (config.refusal_limit, config.refusal_demotion) == (2, "end_of_group")
    assert (config.status, config.owner, config.clause) == (
        "illustrative",
        "housing",
        "3.8",
    )
    assert config.labels["elderly"] == {
        "zh": "有60周岁以上成员的家庭",
        "en": "Households with a member aged 60 or over",
    }


def test_a_json_file_loads_like_yaml_and_round_trips(tmp_path):
    path = tmp_path / "ranking.json"
    path.write_text(json.dumps(fixture_config().to_dict()), encoding="utf-8")
    assert RankingConfig.from_file(path) == fixture_config()


def test_group_index_puts_households_in_no_group_last():
    config = fixture_config()
    assert [config.group_index(g) for g in ("disability", "low_income", None)] == [
        0,
        2,
        3,
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"version": 2015.1}, "version must be a non-empty string"),
        ({"priority_groups": ["elderly", "elderly"]}, "lists a group twice"),
        ({"refusal_limit": 0}, "refusal_limit must be a whole number ≥ 1"),
        ({"refusal_limit": True}, "refusal_limit must be a whole number ≥ 1"),
        ({"refusal_demotion": "last"}, "must be one of end_of_group, end_of_list"),
        ({"weights": {}}, "unknown field 'weights'"),
    ],
)
def test_a_bad_configuration_is_refused_with_the_reason(changes, message):
    data = fixture_config().to_dict() | changes
    with pytest.raises(RoundFormatError, match=message):
        RankingConfig.from_dict(data)


def test_a_configuration_without_a_version_is_refused():
    data = fixture_config().to_dict()
    del data["version"]
    with pytest.raises(RoundFormatError, match="missing field 'version'"):
        RankingConfig.from_dict(data)
