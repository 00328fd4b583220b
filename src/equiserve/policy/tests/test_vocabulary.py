"""The plan's vocabulary: every enum input's codes, order and labels (issue 11)."""

import shutil

import pytest

from equiserve.policy.inputs import load_inputs
from equiserve.policy.plan import default_plan_dir
from equiserve.policy.vocabulary import codes, vocabularies, vocabulary
from equiserve.policy.yamlio import YamlError


def test_every_code_of_every_enum_is_labelled_in_chinese_and_english():
    found = vocabularies()
    assert set(found) == {
        "sex",
        "hukou",
        "hukou_kind",
        "school_stage",
        "veteran_kind",
        "t1d_hospital_grade",
        "hardship_cause",
    }
    for column, field in found.items():
        assert list(field.value_labels) == list(field.values), column
        for code, labels in field.value_labels.items():
            assert set(labels) == {"zh", "en"}, (column, code)
            # Translated: the Chinese label is Chinese, not the English copied.
            assert labels["zh"].strip() and labels["en"].strip(), (column, code)
            assert labels["zh"] != labels["en"], (column, code)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in labels["zh"]), code


def test_hospital_grades_run_from_lowest_to_highest():
    grades = vocabulary("t1d_hospital_grade")
    assert grades.ordered
    assert grades.values == ("1", "2C", "2B", "2A", "3C", "3B", "3A", "3S")
    assert grades.at_least("2A") == ("2A", "3C", "3B", "3A", "3S")
    assert grades.at_least("4A") == ()
    assert grades.value_label("2A", "zh") == "二级甲等"
    with pytest.raises(TypeError):
        vocabulary("hukou").at_least("zhongshan")


def test_the_labels_are_the_plans_wording():
    hukou = vocabulary("hukou")
    assert hukou.value_label("elsewhere", "zh") == "非本市户籍（异地务工人员）"
    assert hukou.value_label("zhongshan", "en") == "Registered in Zhongshan"
    assert codes("veteran_kind") == ("conscript", "demobilized_nco", "transferred_nco")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      F: {zh: 女, en: Female}\n      M: {zh: 男, en: Male}\n",
            "      F: {zh: 女}\n      M: {zh: 男, en: Male}\n",
            "label needs exactly zh and en texts",
        ),
        (
            "      F: {zh: 女, en: Female}\n      M: {zh: 男, en: Male}\n",
            "      F: {zh: 女, en: ''}\n      M: {zh: 男, en: Male}\n",
            "label needs non-empty zh and en texts",
        ),
    ],
)
def test_a_code_without_both_labels_stops_the_plan_loading(tmp_path, old, new, message):
    path = tmp_path / "inputs.yaml"
    shutil.copy(default_plan_dir() / "inputs.yaml", path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(YamlError, match=message):
        load_inputs(path)


def test_an_enum_listing_bare_codes_is_refused(tmp_path):
    path = tmp_path / "inputs.yaml"
    path.write_text(
        "person:\n"
        "  id: {type: str, required: true, label: {zh: 编号, en: id}}\n"
        "  sex: {type: enum, values: [F, M], label: {zh: 性别, en: sex}}\n"
        "household:\n"
        "  id: {type: str, required: true, label: {zh: 编号, en: id}}\n",
        encoding="utf-8",
    )
    with pytest.raises(YamlError, match="each code with its zh and en label"):
        load_inputs(path)


def test_former_labels_are_kept_for_files_written_with_them():
    # Issue 11: the registry showed 疾病 and 高中 before the plan's wording was kept.
    assert vocabulary("hardship_cause").former_labels["illness"] == ("疾病", "Illness")
    assert "高中" in vocabulary("school_stage").former_labels["senior"]


def test_a_label_that_would_read_as_two_codes_is_refused(tmp_path):
    path = tmp_path / "inputs.yaml"
    path.write_text(
        "person:\n"
        "  id: {type: str, required: true, label: {zh: 编号, en: id}}\n"
        "  sex:\n"
        "    type: enum\n"
        "    label: {zh: 性别, en: sex}\n"
        "    values:\n"
        "      F: {zh: 女, en: Female}\n"
        "      M: {zh: 男, en: Male, formerly: [female]}\n"
        "household:\n"
        "  id: {type: str, required: true, label: {zh: 编号, en: id}}\n",
        encoding="utf-8",
    )
    with pytest.raises(YamlError, match="'female' would read as both F and M"):
        load_inputs(path)
