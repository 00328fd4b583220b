"""`equiserve synth` writes the files and prints what it wrote."""

import polars as pl
from typer.testing import CliRunner

from equiserve.cli import app


def test_synth_command_writes_a_population_and_prints_a_summary(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "synth",
            "--scale",
            "0.001",
            "--seed",
            "3",
            "--out",
            str(tmp_path),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "persons: 3970 (1587 registered, 2383 migrants)" in result.output
    households = pl.read_parquet(tmp_path / "households.parquet")
    assert f"households: {households.height}" in result.output
    assert "seconds: " in result.output
    assert pl.read_parquet(tmp_path / "persons.parquet").height == 3970


def test_synth_command_rejects_a_scale_out_of_range(tmp_path):
    result = CliRunner().invoke(app, ["synth", "--scale", "0", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "scale must be above 0 and at most 5.0" in result.output
