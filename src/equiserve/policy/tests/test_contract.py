"""The evaluate contract: the example's answer, every error case, messages in zh and en."""

import json

import pytest

from equiserve.policy.contract import ContractError, evaluate_request, parse_request

CONTRACT_OUTPUTS = {
    "veteran_grant",
    "funeral_eligible",
    "funeral_free_storage_days",
    "funeral_free_ash_storage_years",
    "student_insurance_eligible",
    "prepregnancy_check_free",
    "t1d_free_care_eligible",
    "hardship_relief_eligible",
    "preschool_subsidy_eligible",
    "vocational_tuition_free",
}


def errors(body, lang="zh"):
    with pytest.raises(ContractError) as caught:
        evaluate_request(body, lang=lang)
    return [(e["path"], e["code"]) for e in caught.value.errors], caught.value.errors


def test_the_contract_example_is_answered(example):
    answer = evaluate_request(json.dumps(example))
    assert answer["date"] == "2015-07-01"
    assert list(answer["persons"]) == ["p1", "p2", "p3", "p4", "p5"]
    p1, p2, p3, p4, p5 = (answer["persons"][f"p{i}"] for i in range(1, 6))
    assert p1["veteran_grant"] == 220000.0 and isinstance(p1["veteran_grant"], float)
    assert p2["student_insurance_eligible"] is True
    assert p3["prepregnancy_check_free"] is True
    assert (
        p4["funeral_eligible"],
        p4["funeral_free_storage_days"],
        p4["funeral_free_ash_storage_years"],
    ) == (True, 3, 10)
    assert p5["t1d_free_care_eligible"] is True
    assert answer["households"]["h1"]["public_rental_housing_eligible"] is False
    assert set(answer["households"]) == {"h1", "h2"}
    assert "explanations" not in answer


def test_every_output_of_every_person_is_present(example, plan):
    answer = evaluate_request(example)
    for outputs in answer["persons"].values():
        assert CONTRACT_OUTPUTS <= set(outputs)
        assert set(outputs) == set(plan.outputs("person"))
    nothing = answer["persons"]["p5"]
    assert nothing["veteran_grant"] == 0 and nothing["funeral_free_storage_days"] == 0
    assert nothing["funeral_eligible"] is False


def test_malformed_json_is_an_error():
    found, raw = errors('{"date": "2015-07-01", "persons": [}')
    assert found == [("", "malformed_json")]
    assert raw[0]["message"].startswith("请求不是有效的 JSON：")


def test_a_body_that_is_not_an_object_is_an_error():
    assert errors("[1, 2]")[0] == [("", "not_object")]


def test_a_missing_id_is_an_error():
    assert errors({"date": "2015-07-01", "persons": [{"hukou": "zhongshan"}]})[0] == [
        ("persons[0].id", "required")
    ]


def test_a_missing_household_id_is_an_error():
    body = {"date": "2015-07-01", "persons": [], "households": [{"town": "442000100"}]}
    assert errors(body)[0] == [("households[0].id", "required")]


def test_an_impossible_date_is_an_error_with_its_path():
    body = {"date": "2015-07-01", "persons": [{"id": "a", "birth_date": "2015-02-30"}]}
    found, raw = errors(body, lang="en")
    assert found == [("persons[0].birth_date", "impossible_date")]
    assert raw[0]["message"] == "Impossible date: 2015-02-30"


def test_a_badly_written_date_is_an_error():
    body = {"date": "1/7/2015", "persons": [{"id": "a", "death": {"date": 20150620}}]}
    assert errors(body)[0] == [
        ("date", "bad_date"),
        ("persons[0].death.date", "bad_date"),
    ]


def test_the_date_is_required():
    assert errors({"persons": []})[0] == [("date", "required")]


def test_the_persons_are_required():
    assert errors({"date": "2015-07-01"})[0] == [("persons", "required")]


def test_an_unknown_town_is_an_error():
    body = {
        "date": "2015-07-01",
        "households": [{"id": "h", "town": "442000999"}],
        "persons": [{"id": "a", "town": "442000100"}, {"id": "b", "town": 442000100}],
    }
    found, raw = errors(body)
    assert found == [
        ("households[0].town", "unknown_town"),
        ("persons[1].town", "not_string"),
    ]
    assert "442000999" in raw[0]["message"]


def test_an_unknown_kind_is_an_error():
    body = {
        "date": "2015-07-01",
        "persons": [
            {"id": "a", "veteran": {"kind": "general"}},
            {"id": "b", "hardship": {"cause": "boredom", "date": "2015-06-01"}},
        ],
    }
    found, raw = errors(body, lang="en")
    assert found == [
        ("persons[0].veteran.kind", "unknown_kind"),
        ("persons[1].hardship.cause", "unknown_kind"),
    ]
    assert (
        raw[0]["message"] == 'Unknown kind "general"; expected one of: '
        "conscript (Retired conscript), demobilized_nco (Demobilized NCO), "
        "transferred_nco (Transferred NCO)"
    )


def test_an_unknown_choice_is_an_error():
    body = {
        "date": "2015-07-01",
        "persons": [
            {"id": "a", "sex": "X", "hukou": "beijing", "t1d": {"hospital_grade": "4A"}}
        ],
    }
    assert errors(body)[0] == [
        ("persons[0].sex", "unknown_value"),
        ("persons[0].hukou", "unknown_value"),
        ("persons[0].t1d.hospital_grade", "unknown_value"),
    ]


def test_a_negative_count_is_an_error():
    body = {
        "date": "2015-07-01",
        "households": [{"id": "h", "annual_income": -1}],
        "persons": [
            {"id": "a", "veteran": {"kind": "transferred_nco", "nco_years": -2}},
            {"id": "b", "death": {"date": "2015-01-01", "storage_days": -1}},
            {"id": "c", "points": -5},
        ],
    }
    found, raw = errors(body, lang="en")
    assert found == [
        ("households[0].annual_income", "negative"),
        ("persons[0].veteran.nco_years", "negative"),
        ("persons[1].death.storage_days", "negative"),
        ("persons[2].points", "negative"),
    ]
    assert raw[1]["message"] == "Must not be negative: -2"


def test_an_unknown_parameter_name_is_an_error():
    body = {
        "date": "2015-07-01",
        "parameters": {"statistics.average_wage": {"2014": 1}},
        "persons": [],
    }
    found, raw = errors(body, lang="en")
    assert found == [
        ('parameters["statistics.average_wage"]', "unknown_parameter_hint")
    ]
    assert raw[0]["message"] == (
        'Unknown parameter name "statistics.average_wage" (did you mean statistics.average_annual_wage?)'
    )


def test_a_parameter_keyed_by_the_wrong_period_is_an_error():
    body = {
        "date": "2015-07-01",
        "parameters": {
            "statistics.average_annual_wage": {"2014-01-01": 60000},
            "student_insurance.minimum_guardian_points": {
                "2014": 100,
                "2015-01-01": "many",
            },
            "funeral.free_storage_days": 3,
        },
        "persons": [],
    }
    assert errors(body)[0] == [
        (
            'parameters["statistics.average_annual_wage"]["2014-01-01"]',
            "bad_period_year",
        ),
        (
            'parameters["student_insurance.minimum_guardian_points"]["2014"]',
            "bad_period_date",
        ),
        (
            'parameters["student_insurance.minimum_guardian_points"]["2015-01-01"]',
            "bad_parameter_value",
        ),
        ('parameters["funeral.free_storage_days"]', "not_object"),
    ]


def test_wrong_types_are_errors():
    body = {
        "date": "2015-07-01",
        "households": {"id": "h"},
        "persons": [
            {
                "id": 7,
                "low_income": "yes",
                "points": "many",
                "veteran": {"kind": "conscript", "nco_years": 1.5},
            },
            "p2",
            {"id": "c", "death": "yesterday", "household": ""},
        ],
    }
    assert errors(body)[0] == [
        ("households", "not_list"),
        ("persons[0].id", "not_string"),
        ("persons[0].low_income", "not_bool"),
        ("persons[0].points", "not_number"),
        ("persons[0].veteran.nco_years", "not_integer"),
        ("persons[1]", "not_object"),
        ("persons[2].death", "not_object"),
        ("persons[2].household", "empty_string"),
    ]


def test_a_duplicate_id_is_an_error():
    body = {"date": "2015-07-01", "persons": [{"id": "a"}, {"id": "a"}]}
    assert errors(body)[0] == [("persons[1].id", "duplicate_id")]


def test_money_with_more_than_two_decimals_is_an_error():
    body = {
        "date": "2015-07-01",
        "households": [{"id": "h", "annual_income": 1.005}],
        "persons": [],
    }
    assert errors(body)[0] == [("households[0].annual_income", "too_many_decimals")]


def test_points_off_the_half_point_grain_are_refused_not_rounded():
    # Issue 12, point 5: the points system steps by 0.5 (the contract says so).
    body = {
        "date": "2015-07-01",
        "persons": [
            {"id": "a", "hukou": "elsewhere", "points": 107.3},
            {"id": "b", "hukou": "elsewhere", "points": 107.5},
            {"id": "c", "hukou": "elsewhere", "points": 107},
        ],
    }
    found, raw = errors(body, lang="en")
    assert found == [("persons[0].points", "not_in_steps")]
    assert raw[0]["message"] == "Must be in steps of 0.5 (e.g. 107.5): 107.3"
    # As JSON text the number reads the same, not as a quoted string.
    text = '{"date": "2015-07-01", "persons": [{"id": "a", "points": 107.3}]}'
    assert errors(text, lang="en")[1][0]["message"].endswith(": 107.3")
    body["persons"].pop(0)
    request = parse_request(body)
    assert request.persons["points"].to_list() == [107.5, 107.0]


def test_the_openapi_schema_says_points_are_half_points():
    from equiserve.policy.openapi import _field_schema
    from equiserve.policy.vocabulary import input_schema

    points = input_schema().field("person", "points")
    assert _field_schema(points)["multipleOf"] == 0.5
    assert _field_schema(points)["type"] == "number"


def test_every_error_is_listed_not_only_the_first():
    body = {
        "date": "2015-13-01",
        "parameters": {"nope": {}},
        "persons": [
            {"birth_date": "x"},
            {"id": "b", "town": "1", "veteran": {"kind": "x"}},
        ],
    }
    found, _ = errors(body)
    assert found == [
        ("date", "impossible_date"),
        ('parameters["nope"]', "unknown_parameter"),
        ("persons[0].birth_date", "bad_date"),
        ("persons[0].id", "required"),
        ("persons[1].town", "unknown_town"),
        ("persons[1].veteran.kind", "unknown_kind"),
    ]


def test_messages_come_in_chinese_by_default_and_in_english_on_request():
    body = {"date": "2015-07-01", "persons": [{"id": "a", "birth_date": "2015-02-30"}]}
    assert errors(body)[1][0]["message"] == "不存在的日期：2015-02-30"
    assert errors(body, lang="en")[1][0]["message"] == "Impossible date: 2015-02-30"


def test_unknown_fields_and_guardians_are_warnings_not_errors():
    body = {
        "date": "2015-07-01",
        "note": "x",
        "persons": [
            {
                "id": "a",
                "nickname": "x",
                "guardian": "zz",
                "veteran": {"kind": "conscript", "rank": 3},
            }
        ],
    }
    answer = evaluate_request(body, lang="en")
    assert [(w["path"], w["code"]) for w in answer["warnings"]] == [
        ("note", "unknown_field"),
        ("persons[0].nickname", "unknown_field"),
        ("persons[0].veteran.rank", "unknown_field"),
        ("persons[0].guardian", "unknown_guardian"),
    ]


def test_persons_without_a_listed_household_get_one():
    request = parse_request(
        {"date": "2015-07-01", "persons": [{"id": "a", "household": "h9"}]}
    )
    assert request.households["id"].to_list() == ["h9"]


def test_null_optional_fields_are_not_given():
    answer = evaluate_request(
        {"date": "2015-07-01", "persons": [{"id": "a", "hukou": None, "veteran": None}]}
    )
    assert answer["persons"]["a"]["veteran_grant"] == 0


def test_an_empty_request_is_answered():
    assert evaluate_request({"date": "2015-07-01", "persons": []}) == {
        "date": "2015-07-01",
        "persons": {},
        "households": {},
    }


def _full_person(pid: str, **extra) -> dict:
    person = {
        "id": pid,
        "household": "h",
        "birth_date": "1980-01-01",
        "sex": "F",
        "hukou": "zhongshan",
        "hukou_kind": "urban",
        "town": "442000100",
        "resident_since": "2010-01-01",
        "points": 120,
        "school_stage": "none",
        "guardian": "a",
        "low_income": False,
        "one_child_parent": False,
        # Issue 15 (3.7): no unemployment registration given is none.
        "zero_employment_family": False,
        "employment_difficulty_identified": False,
        "community_post_months": 0,
        # The disability register's and the officer's (issue 15).
        "disability_certificate": False,
        "minimum_living_allowance": False,
    }
    person.update(extra)
    return person


def test_a_request_that_gives_every_fact_has_nothing_undetermined(plan):
    """Issue 12, point 4: every fact given, every eligibility is a yes or a no."""
    body = {
        "date": "2015-07-01",
        "households": [
            {
                "id": "h",
                "town": "442000100",
                "floor_area_m2": 30,
                "annual_income": 20000,
            }
        ],
        "persons": [
            _full_person("a", death={"date": "2015-06-20"}),
            _full_person("b", hukou="elsewhere", school_stage="primary"),
            _full_person("c", t1d={"diagnosed": "2014-01-01", "hospital_grade": "3A"}),
            _full_person(
                "d", hukou="elsewhere", hardship={"cause": "fire", "date": "2015-06-01"}
            ),
        ],
    }
    answer = evaluate_request(body)
    assert "undetermined" not in answer and "household_undetermined" not in answer
    for outputs in answer["persons"].values():
        for name, value in outputs.items():
            if plan.variables[name].type == "bool":
                assert isinstance(value, bool), name
    assert answer["persons"]["a"]["funeral_eligible"] is True
    assert answer["persons"]["b"]["student_insurance_eligible"] is True
    assert answer["persons"]["c"]["t1d_free_care_eligible"] is True
    assert answer["persons"]["d"]["hardship_relief_eligible"] is True


def test_a_fact_missing_where_a_known_fact_already_fails_is_not_undetermined():
    """Issue 12, point 4: Kleene logic — false and unknown is false, not undetermined."""
    answer = evaluate_request(
        {
            "date": "2015-07-01",
            "persons": [{"id": "p", "hukou": "zhongshan", "school_stage": "senior"}],
        }
    )
    assert answer["persons"]["p"]["vocational_tuition_free"] is False
    assert answer["persons"]["p"]["preschool_subsidy_eligible"] is False
    assert "vocational_tuition_free" not in answer["undetermined"]["p"]
    # Where it could still decide, it is listed: the birth date and the certificate.
    assert answer["undetermined"]["p"]["family_planning_reward_eligible"] == [
        "persons[0].one_child_parent",
        "persons[0].birth_date",
    ]
