import json

import pytest

from equiserve.allocation import RankingConfig, RoundFormatError, example_config


def test_the_shipped_example_is_illustrative_and_owned_by_housing():
    config = example_config()
    assert config.version == "2015.1"
    assert config.priority_groups == ("disability", "elderly", "low_income")
    assert (config.refusal_limit, config.refusal_demotion) == (2, "end_of_group")
    assert (config.status, config.owner, config.clause) == (
        "illustrative",
        "housing",
        "3.8",
    )
    assert config.labels["elderly"] == {"zh": "老年人家庭", "en": "Elderly households"}


def test_a_json_file_loads_like_yaml_and_round_trips(tmp_path):
    path = tmp_path / "ranking.json"
    path.write_text(json.dumps(example_config().to_dict()), encoding="utf-8")
    assert RankingConfig.from_file(path) == example_config()


def test_group_index_puts_households_in_no_group_last():
    config = example_config()
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
    data = example_config().to_dict() | changes
    with pytest.raises(RoundFormatError, match=message):
        RankingConfig.from_dict(data)


def test_a_configuration_without_a_version_is_refused():
    data = example_config().to_dict()
    del data["version"]
    with pytest.raises(RoundFormatError, match="missing field 'version'"):
        RankingConfig.from_dict(data)
