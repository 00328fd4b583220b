"""`equiserve equality` on small CSV files."""

import json
import math

import pytest
from typer.testing import CliRunner

from equiserve.cli import app

runner = CliRunner()

# Case B of test_weighted: town 001 holds 1 and 3 (one person each), town 002
# holds 4 for two people. μ = 3, s = ⅓ and ⅔, p = ½ each.
CSV = "town,rate,people\n001,1,1\n001,3,1\n002,4,2\n"


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def _run(*args):
    return runner.invoke(app, ["equality", *map(str, args)])


def test_json_output_by_hand(csv_file):
    result = _run(
        "--input",
        csv_file,
        "--value",
        "rate",
        "--group",
        "town",
        "--weight",
        "people",
        "--json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    # Hand-worked in test_weighted.py:
    t_total = math.log(1 / 3) / 12 + 2 / 3 * math.log(4 / 3)
    t_between = math.log(2 / 3) / 3 + 2 / 3 * math.log(4 / 3)
    assert out["theil_t"] == pytest.approx(t_total, abs=1e-15)
    assert out["theil_t_between"] == pytest.approx(t_between, abs=1e-15)
    assert out["theil_t_within"] == pytest.approx(t_total - t_between, abs=1e-15)
    assert out["theil_l"] == pytest.approx(math.log(27 / 16) / 4, abs=1e-15)
    assert out["theil_l_between"] == pytest.approx(math.log(9 / 8) / 2, abs=1e-15)
    assert out["theil_l_within"] == pytest.approx(math.log(4 / 3) / 4, abs=1e-15)
    assert out["gini"] == pytest.approx(5 / 24, abs=1e-15)
    # People hold 1, 3, 4, 4: var = (4 + 0 + 1 + 1)/4 = 1.5, CV = √1.5 / 3
    assert out["cv"] == pytest.approx(math.sqrt(1.5) / 3, abs=1e-15)
    assert out["n"] == 3 and out["weight"] == 4.0
    # Labels stay text: "001", not 1.
    assert list(out["groups"]) == ["001", "002"]
    assert out["groups"]["001"]["mean"] == 2.0 and out["groups"]["002"]["weight"] == 2.0
    assert out["groups"]["001"]["share"] == pytest.approx(
        (t_total - t_between) / t_total, abs=1e-15
    )


def test_unweighted_json_and_compare(csv_file):
    result = _run(
        "--input",
        csv_file,
        "--value",
        "rate",
        "--group",
        "town",
        "--json",
        "--compare",
        "002",
        "001",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["weighted"] is False and out["weight"] == 3.0
    # Values 1, 3, 4: ordered pair differences 2·(2 + 3 + 1) = 12, G = 12 / (2·9·8/3)
    assert out["gini"] == pytest.approx(12 / 48, abs=1e-15)
    assert out["compare"] == {
        "first": "002",
        "second": "001",
        "mean_first": 4.0,
        "mean_second": 2.0,
        "gap": 2.0,
        "ratio": 2.0,
    }


def test_readable_table(csv_file):
    result = _run("--input", csv_file, "--value", "rate", "--group", "town")
    assert result.exit_code == 0, result.output
    assert "rate by town: 3 rows, unweighted, mean 2.667" in result.stdout
    assert "Gini    │ 0.2500" in result.stdout
    assert "highest mean 002, lowest 001: gap 2, ratio 2.0000" in result.stdout


def _error(result):
    assert result.exit_code == 2, result.output
    return result.stderr.strip()


def test_errors_exit_2_with_a_clear_message(tmp_path, csv_file):
    missing = tmp_path / "nope.csv"
    assert _error(_run("--input", missing, "--value", "rate", "--group", "town")) == (
        f"equiserve equality: error: file not found: {missing}"
    )
    assert _error(
        _run(
            "--input", csv_file, "--value", "rat", "--group", "town", "--weight", "ppl"
        )
    ) == (
        f"equiserve equality: error: column(s) 'rat', 'ppl' not in {csv_file}; "
        "its columns are: town, rate, people"
    )
    assert _error(
        _run(
            "--input",
            csv_file,
            "--value",
            "rate",
            "--group",
            "town",
            "--compare",
            "001",
            "003",
        )
    ) == (
        "equiserve equality: error: the second group '003' is not in the groups; "
        "they are: 001, 002"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("town,rate\n001,1\n002,n/a\n", encoding="utf-8")
    assert _error(_run("--input", bad, "--value", "rate", "--group", "town")) == (
        "equiserve equality: error: column 'rate' is not numeric: line 3 holds 'n/a'"
    )


def test_empty_cells_negative_values_and_encodings(tmp_path):
    empty = tmp_path / "empty_cell.csv"
    empty.write_text("town,rate\n001,1\n002,\n003,\n", encoding="utf-8")
    assert _error(_run("--input", empty, "--value", "rate", "--group", "town")) == (
        "equiserve equality: error: column 'rate' has 2 empty cell(s), first on line 3"
    )
    negative = tmp_path / "negative.csv"
    negative.write_text("town,rate\n001,1\n002,-0.5\n", encoding="utf-8")
    assert _error(_run("--input", negative, "--value", "rate", "--group", "town")) == (
        "equiserve equality: error: summary needs non-negative values; row 1 holds "
        f"-0.5 (1 negative value(s) in all) (row 1 is line 3 of {negative})"
    )
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("镇,率\n石岐,1\n".encode("gbk"))
    assert _error(_run("--input", gbk, "--value", "率", "--group", "镇")) == (
        f"equiserve equality: error: {gbk} is not UTF-8 text; save it as CSV UTF-8 "
        "and retry"
    )
    nothing = tmp_path / "nothing.csv"
    nothing.write_text("", encoding="utf-8")
    assert _error(_run("--input", nothing, "--value", "rate", "--group", "town")) == (
        f"equiserve equality: error: {nothing} is empty"
    )
    header_only = tmp_path / "header.csv"
    header_only.write_text("town,rate\n", encoding="utf-8")
    assert _error(
        _run("--input", header_only, "--value", "rate", "--group", "town")
    ) == (
        "equiserve equality: error: values are empty: summary needs at least one value"
    )


def test_excel_utf8_csv_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufefftown,rate\n石岐,1\n东区,3\n".encode())
    result = _run("--input", path, "--value", "rate", "--group", "town", "--json")
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout)["groups"]) == ["东区", "石岐"]
