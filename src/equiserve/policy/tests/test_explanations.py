"""Explanations: every output, both languages, the clause, why, and the steps."""

import re

import pytest

from equiserve.policy.contract import evaluate_request


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_output_of_every_person_and_household_is_explained(example, plan, lang):
    answer = evaluate_request(example, explain=True, lang=lang)
    for entity, key in (
        ("person", "explanations"),
        ("household", "household_explanations"),
    ):
        block = answer[key]
        assert set(block) == set(answer[f"{entity}s"])
        for explained in block.values():
            assert set(explained) == set(plan.outputs(entity))
            for name, explanation in explained.items():
                clause = plan.variables[name].clause
                assert explanation["clause"] == clause
                assert explanation["text"]
                cites = f"第{clause}条" if lang == "zh" else f"clause {clause}"
                assert cites in explanation["text"], (name, explanation["text"])
                if lang == "zh":
                    assert re.search(r"[\u4e00-\u9fff]", explanation["text"])


def test_the_first_failing_condition_is_reported(example):
    example["persons"][2]["school_stage"] = "none"
    explanation = evaluate_request(example, explain=True, lang="en")["explanations"][
        "p3"
    ]["student_insurance_eligible"]
    assert explanation["text"] == (
        "Not eligible for residents' medical insurance for a non-registered pupil (clause 3.4.2): "
        "the condition “in compulsory education, primary or junior secondary (school stage: Not in school)” "
        "does not hold."
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "Cannot yet say whether eligible for residents' medical insurance for a "
            "non-registered pupil (clause 3.4.2): facts not given decide “in compulsory "
            "education, primary or junior secondary (school stage: not given)”; “a "
            "guardian is named (not given)”; “the guardian has at least 100 points "
            "(guardian's points: not given)”. Still needed: school stage; guardian.",
        ),
        (
            "zh",
            "尚无法确定是否符合非本市户籍学生参加居民医保并享受同等财政补助（第3.4.2条）："
            "条件“在读义务教育阶段（小学或初中；学段：未填写）”；“填写了监护人（未填写）”；"
            "“监护人积分不低于100分（监护人积分：未填写）”取决于未填写的信息。"
            "还需要了解：在读学段；监护人。",
        ),
    ],
)
def test_an_undetermined_eligibility_names_the_facts_it_needs(example, lang, text):
    """Issue 12: an unknown fact is neither a pass nor a failure; say what is needed."""
    answer = evaluate_request(example, explain=True, lang=lang)
    assert answer["persons"]["p3"]["student_insurance_eligible"] is None
    assert answer["undetermined"]["p3"]["student_insurance_eligible"] == [
        "persons[2].school_stage",
        "persons[2].guardian",
    ]
    explanation = answer["explanations"]["p3"]["student_insurance_eligible"]
    assert explanation["text"] == text


def test_steps_list_inputs_parameters_with_date_and_status_and_arithmetic(example):
    steps = evaluate_request(example, explain=True, lang="zh")["explanations"]["p1"][
        "veteran_grant"
    ]["steps"]
    # A label, not its code (issue 14, deliverable 5).
    assert "输入：退役类别（veteran.kind）= 转业士官" in steps
    assert "输入：任士官年数（veteran.nco_years）= 8" in steps
    assert any(
        s.startswith(
            "参数：转业士官自主就业一次性经济补助金倍数（veteran.grant_multiple_transferred_nco）= 3，自2015-01-01起施行，方案规定的数值"
        )
        for s in steps
    )
    assert any(
        s.startswith(
            "参数：全市城镇单位在岗职工年平均工资（statistics.average_annual_wage，2014年）= ¥60,000.00，本次请求给定的假设值"
        )
        for s in steps
    )
    assert steps[-2:] == [
        "月平均工资 = ¥60,000.00 ÷ 12 = ¥5,000.00（四舍五入到分）",
        "3 × ¥60,000.00 + 8 × ¥5,000.00 = ¥220,000.00",
    ]


def test_an_illustrative_value_names_the_department_that_sets_it(example):
    steps = evaluate_request(example, explain=True, lang="en")["explanations"]["p2"][
        "student_insurance_eligible"
    ]["steps"]
    assert any(
        "= 100 points, in force from 2014-01-01, an illustrative value, to be set by the Human Resources and Social Security Bureau"
        in s
        for s in steps
    )


def test_before_the_programme_took_effect_the_explanation_says_so(example):
    example["date"] = "2013-06-01"
    answer = evaluate_request(example, explain=True, lang="en")
    explanation = answer["explanations"]["p4"]["funeral_free_storage_days"]
    assert answer["persons"]["p4"]["funeral_free_storage_days"] == 0
    assert explanation == {
        "clause": "3.5",
        "text": "Days of free body storage (clause 3.5) took effect on 2014-01-01; on 2013-06-01 it had "
        "not yet taken effect, so the value is 0 days.",
        "steps": [],
    }
    zh = evaluate_request(example, explain=True, lang="zh")["explanations"]["p1"][
        "veteran_grant"
    ]["text"]
    assert (
        zh
        == "退役士兵自主就业一次性经济补助金（第3.4.3条）自2014-01-01起施行，评估日期2013-06-01时尚未生效，故为¥0.00。"
    )


def test_household_eligibility_explains_the_route_that_applies(example):
    answer = evaluate_request(example, explain=True, lang="en")[
        "household_explanations"
    ]
    # p1 is a rural registered person: 3.8 houses urban families (issue 12, point 1).
    assert answer["h1"]["public_rental_housing_eligible"]["text"] == (
        "Not eligible for public rental housing (clause 3.8): the condition “a registered "
        "household holds urban registration (urban: no)” does not hold."
    )
    # h2 is given no household record: the migrants' own floor-area and income
    # limits are what is left to know (issue 12, point 1).
    migrant = answer["h2"]["public_rental_housing_eligible"]["text"]
    assert "a migrant household's floor area per person is at most" in migrant
    assert "registered household" not in migrant
