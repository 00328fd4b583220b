import json

import pytest
import typer
from typer.testing import CliRunner

from equiserve.allocation.cli import verify_command
from equiserve.allocation.tests.factories import fixed_round

# The plain command alone, under the name the housing app gives it.
app = typer.Typer()
housing = typer.Typer()
housing.command("verify")(verify_command)
app.add_typer(housing, name="housing")
runner = CliRunner()


@pytest.fixture
def round_file(tmp_path):
    path = tmp_path / "round.json"
    path.write_text(json.dumps(fixed_round(), ensure_ascii=False), encoding="utf-8")
    return path


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_an_untouched_export_verifies(round_file):
    result = runner.invoke(app, ["housing", "verify", str(round_file)])
    assert result.exit_code == 0
    assert (
        result.stdout == "verified: round t1, 40 applicants, 15 units, 15 allocated\n"
    )


def test_an_altered_allocation_exits_1_naming_it(round_file):
    edit(round_file, lambda d: d["allocation"].__setitem__("a10", "u1"))
    result = runner.invoke(app, ["housing", "verify", str(round_file)])
    assert result.exit_code == 1
    assert result.stdout == (
        "verification failed: allocation of a10: file says u1, recomputed u2\n"
    )


def test_the_answer_can_be_in_chinese(round_file):
    edit(round_file, lambda d: d["applicants"][4].__setitem__("rank", 6))
    result = runner.invoke(app, ["housing", "verify", "--lang", "zh", str(round_file)])
    assert result.exit_code == 1
    assert result.stdout == "验证未通过：申请人 a10：文件中排名 6，重新计算为 5\n"


def test_published_hashes_are_checked_when_given(round_file):
    data = json.loads(round_file.read_text(encoding="utf-8"))
    ok = runner.invoke(
        app,
        [
            "housing", "verify", str(round_file),
            "--list-sha256", data["list_sha256"],
            "--seed-commitment", data["seed_commitment"],
        ],
    )  # fmt: skip
    assert ok.exit_code == 0
    other = runner.invoke(
        app, ["housing", "verify", str(round_file), "--seed-commitment", "a" * 64]
    )
    assert other.exit_code == 1
    assert "is not the published one" in other.stdout


def test_standard_input_is_read_for_a_dash(round_file):
    text = round_file.read_text(encoding="utf-8")
    result = runner.invoke(app, ["housing", "verify", "-"], input=text)
    assert result.exit_code == 0
    assert result.stdout.startswith("verified: ")


def test_a_file_that_is_not_json_exits_2(tmp_path):
    path = tmp_path / "round.json"
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["housing", "verify", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cannot read {path}: Expecting property name")


def test_a_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["housing", "verify", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "No such file or directory" in result.stderr


def test_a_malformed_round_exits_2_with_the_reason(round_file):
    edit(round_file, lambda d: d.pop("seed"))
    result = runner.invoke(app, ["housing", "verify", str(round_file)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{round_file} is not a well-formed round file: missing field 'seed'\n"
    )


def test_a_key_named_twice_exits_2_as_readers_could_disagree(round_file):
    text = round_file.read_text(encoding="utf-8")
    twice = text.replace('"allocation": {', '"allocation": {"a10": "u1", ', 1)
    round_file.write_text(twice, encoding="utf-8")
    result = runner.invoke(app, ["housing", "verify", str(round_file)])
    assert result.exit_code == 2
    assert result.stderr.endswith("the key 'a10' appears twice in one object\n")
