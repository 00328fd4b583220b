"""`equiserve simulate` writes its files and prints the city totals; budget's cache."""

import polars as pl
from typer.testing import CliRunner

from equiserve.cli import app
from equiserve.simulation.budget import default_population


def test_simulate_writes_results_and_the_table(population, tmp_path):
    out = tmp_path / "out"
    outcome = CliRunner().invoke(
        app,
        [
            "simulate",
            "--date",
            "2015-07-01",
            "--population",
            str(population),
            "--out",
            str(out),
            "--no-progress",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert "39,696 persons, 15,359 households on 2015-07-01" in outcome.stdout
    for name in ("persons.parquet", "households.parquet", "costs.csv", "summary.json"):
        assert (out / name).is_file()
    table = pl.read_parquet(out / "costs.parquet")
    assert table["programme"].unique(maintain_order=True).to_list()[0] == (
        "preschool_subsidy"
    )


def test_simulate_rejects_an_impossible_date_and_a_missing_population(tmp_path):
    runner = CliRunner()
    bad_date = runner.invoke(
        app,
        ["simulate", "--date", "2015-02-30", "--population", str(tmp_path)]
        + ["--out", str(tmp_path / "o")],
    )
    assert bad_date.exit_code == 2
    assert "'2015-02-30' is not a valid date (YYYY-MM-DD)" in bad_date.output
    missing = runner.invoke(
        app,
        ["simulate", "--date", "2015-02-03", "--population", str(tmp_path)]
        + ["--out", str(tmp_path / "o")],
    )
    assert missing.exit_code == 2
    assert "persons.parquet not found" in missing.output


def test_the_default_budget_population_is_generated_once_into_var(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("EQUISERVE_VAR", str(tmp_path))
    first, generated = default_population()
    assert first == tmp_path / "synth-0.01-seed1" and generated
    assert (first / "persons.parquet").is_file()
    again, generated_again = default_population()
    assert again == first and not generated_again
