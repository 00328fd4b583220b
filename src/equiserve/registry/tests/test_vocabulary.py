"""Every copy of the person-fact vocabulary is the plan's (issue 11, deliverable 2).

The registry's model choices, the screener's questions, the importer and the
synthetic population's checks take their codes, order and labels from
`inputs.yaml`; none keeps a list of its own. The case facts are checked in
`cases/tests/test_vocabulary.py` (the registry imports no case, issue 11).
"""

import pytest
from django.utils import translation

from equiserve.choices import choices_for
from equiserve.imports.cells import CellError, choice
from equiserve.policy.vocabulary import vocabularies, vocabulary
from equiserve.registry.models import Person, PersonHealth
from equiserve.rules.forms import ScreenerForm
from equiserve.synth import attributes
from equiserve.synth.schema import validate_person

COLUMNS = sorted(vocabularies())
NESTED = {
    "veteran_kind": ("veteran", "kind"),
    "t1d_hospital_grade": ("t1d", "hospital_grade"),
    "hardship_cause": ("hardship", "cause"),
}


def _model_field(column):
    model = PersonHealth if column.startswith("t1d_") else Person
    return model._meta.get_field(column)


def _codes(choices):
    return [code for code, _label in choices if code != ""]


@pytest.mark.parametrize("column", COLUMNS)
def test_model_choices_are_the_plans_codes_in_order(column):
    assert _codes(_model_field(column).choices) == list(vocabulary(column).values)


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize(("language", "lang"), [("zh-hans", "zh"), ("en", "en")])
def test_labels_follow_the_language_and_are_the_plans(column, language, lang):
    field = vocabulary(column)
    with translation.override(language):
        shown = [str(label) for _code, label in _model_field(column).choices]
    assert shown == [field.value_label(code, lang) for code in field.values]


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("sex", "sex"),
        ("hukou", "hukou"),
        ("hukou_kind", "hukou_kind"),
        ("child_hukou", "hukou"),
        ("death_hukou", "hukou"),
        ("child_school_stage", "school_stage"),
        ("veteran_kind", "veteran_kind"),
        ("t1d_hospital_grade", "t1d_hospital_grade"),
        ("hardship_cause", "hardship_cause"),
    ],
)
def test_the_screeners_questions_offer_the_plans_codes(question, column):
    form = ScreenerForm()
    offered = form.fields[question].widget.choices
    assert _codes(offered) == list(vocabulary(column).values)
    with translation.override("zh-hans"):
        labels = {code: str(label) for code, label in offered if code}
    assert labels == {
        code: vocabulary(column).value_label(code, "zh")
        for code in vocabulary(column).values
    }


@pytest.mark.parametrize("column", COLUMNS)
def test_the_importer_reads_a_code_or_either_label(column):
    field = vocabulary(column)
    for code in field.values:
        labels = field.value_labels[code]
        assert choice(column, code) == code
        assert choice(column, f" {labels['zh']} ") == code
        assert choice(column, labels["en"].upper()) == code
    with pytest.raises(CellError):
        choice(column, "not-a-code")


def test_the_importer_reads_the_chinese_label_of_a_migrant():
    assert choice("hukou", "非本市户籍（异地务工人员）") == "elsewhere"
    assert choice("hukou", "elsewhere") == "elsewhere"
    assert choice("t1d_hospital_grade", "二级甲等") == "2A"
    assert choice("sex", "女") == "F"


def test_the_importer_still_reads_the_registrys_former_labels():
    # Issue 11: labels that differed between copies; the plan's wording was kept
    # and the registry's old labels still import.
    assert choice("hardship_cause", "疾病") == "illness"
    assert choice("hardship_cause", "刑事案件") == "crime"
    assert choice("school_stage", "高中") == "senior"
    assert choice("school_stage", "Senior secondary") == "senior"


@pytest.mark.parametrize("column", COLUMNS)
def test_the_synthetic_population_is_checked_against_the_plans_codes(column):
    def person(value):
        if column in NESTED:
            outer, inner = NESTED[column]
            return {"id": "p1", outer: {inner: value}}
        return {"id": "p1", column: value}

    for code in vocabulary(column).values:
        assert validate_person(person(code)) == []
    errors = validate_person(person("not-a-code"))
    assert [error["code"] for error in errors] in (["unknown_value"], ["unknown_kind"])


def test_the_synthetic_population_draws_the_plans_codes():
    assert attributes.SCHOOL_STAGES == vocabulary("school_stage").values
    assert attributes.VETERAN_KINDS == vocabulary("veteran_kind").values
    assert attributes.HARDSHIP_CAUSES == vocabulary("hardship_cause").values
    assert attributes.HOSPITAL_GRADES == vocabulary("t1d_hospital_grade").values


def test_choices_for_an_unknown_column_is_an_error():
    with pytest.raises(KeyError, match="not an enum input"):
        choices_for("town")
