"""Read the reference files the project ships about its geography.

Plain Python (no Django): the synthetic population, the CLI and the Django
loader all read the 24 towns from here. The file `reference/towns.csv` and its
sources are described in `reference/SOURCES.md`.
"""

from functools import cache
from pathlib import Path

import polars as pl

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
TOWNS_CSV = REFERENCE_DIR / "towns.csv"

TOWNS_SCHEMA = {
    "code_9": pl.String,
    "code_12": pl.String,
    "name_zh": pl.String,
    "short_name_zh": pl.String,
    "kind": pl.String,
    "pinyin": pl.String,
    "name_en": pl.String,
    "code_2023": pl.String,
    "name_2023": pl.String,
    "change_note": pl.String,
    "pop_2000_census": pl.Int64,
    "center_lon_gcj02": pl.Float64,
    "center_lat_gcj02": pl.Float64,
    "center_lon_wgs84": pl.Float64,
    "center_lat_wgs84": pl.Float64,
}


@cache
def towns_frame() -> pl.DataFrame:
    """Return the 24 town-level units of the 2015 code table, ordered by code.

    Codes are strings (`code_9` is the town's key everywhere in the project);
    centres are given in both GCJ-02 (as published by AMap) and WGS-84 (converted
    by `python -m equiserve.geography.build_reference`).
    """
    frame = pl.read_csv(TOWNS_CSV, schema=TOWNS_SCHEMA)
    return frame.sort("code_9")
