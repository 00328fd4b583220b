"""`equiserve evaluate` and `equiserve test-rules` through the command line."""

import json

from typer.testing import CliRunner

from equiserve.cli import app

runner = CliRunner()


def test_evaluate_prints_the_answer_and_exits_0(tmp_path, example):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(example), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["persons"]["p1"]["veteran_grant"] == 220000.0
    assert "explanations" not in answer


def test_evaluate_reads_standard_input_and_explains_in_english(example):
    result = runner.invoke(
        app, ["evaluate", "--explain", "--lang", "en", "-"], input=json.dumps(example)
    )
    assert result.exit_code == 0, result.output
    explanation = json.loads(result.output)["explanations"]["p1"]["veteran_grant"]
    assert explanation["clause"] == "3.4.3"
    assert explanation["steps"][-1] == "3 × ¥60,000.00 + 8 × ¥5,000.00 = ¥220,000.00"
    assert explanation["text"].startswith(
        "Veterans' one-time self-employment grant (clause 3.4.3) is ¥220,000.00."
    )


def test_evaluate_prints_every_error_and_exits_2():
    body = {
        "date": "2015-02-30",
        "persons": [{"hukou": "zhongshan"}, {"id": "b", "veteran": {"kind": "x"}}],
    }
    result = runner.invoke(app, ["evaluate", "-"], input=json.dumps(body))
    assert result.exit_code == 2
    errors = json.loads(result.output)["errors"]
    assert [(e["path"], e["code"]) for e in errors] == [
        ("date", "impossible_date"),
        ("persons[0].id", "required"),
        ("persons[1].veteran.kind", "unknown_kind"),
    ]
    assert errors[0]["message"] == "不存在的日期：2015-02-30"


def test_evaluate_rejects_malformed_json_with_exit_2():
    result = runner.invoke(app, ["evaluate", "--lang", "en", "-"], input="{not json")
    assert result.exit_code == 2
    assert json.loads(result.output)["errors"][0]["code"] == "malformed_json"


def test_evaluate_rejects_an_unknown_language():
    result = runner.invoke(app, ["evaluate", "--lang", "fr", "-"], input="{}")
    assert result.exit_code == 2
    assert json.loads(result.output)["errors"][0]["path"] == "--lang"


def test_test_rules_passes_on_the_plan_cases():
    result = runner.invoke(app, ["test-rules"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("passed, 0 failed")


def test_test_rules_prints_failures_and_exits_1(tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(
        "- name: A deliberately wrong expectation\n"
        "  date: 2015-07-01\n"
        "  input: {hukou: zhongshan, school_stage: kindergarten}\n"
        "  output: {preschool_subsidy_eligible: false}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["test-rules", str(path)])
    assert result.exit_code == 1
    assert f"FAIL {path}:1: A deliberately wrong expectation" in result.output
    assert "p.preschool_subsidy_eligible: expected False, got True" in result.output
    assert "0 passed, 1 failed" in result.output
