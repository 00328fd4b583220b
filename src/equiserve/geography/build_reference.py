"""Regenerate the derived columns of `reference/towns.csv`.

Run `python -m equiserve.geography.build_reference` after editing the GCJ-02
centres; `--check` exits 1 when the file is not up to date (for CI). The
WGS-84 centres are `gcj02_to_wgs84` of the GCJ-02 ones, rounded to 6 decimals
(about 0.1 m), far finer than the sources' 3 or 4 decimals.
"""

import csv
import io
import sys

from equiserve.geography.coordinates import gcj02_to_wgs84
from equiserve.geography.reference import TOWNS_CSV

DERIVED_COLUMNS = ["center_lon_wgs84", "center_lat_wgs84"]


def towns_csv_text(source_text: str) -> str:
    """Return the towns CSV with its WGS-84 centre columns (re)computed."""
    reader = csv.DictReader(io.StringIO(source_text))
    columns = [c for c in reader.fieldnames or [] if c not in DERIVED_COLUMNS]
    after = columns.index("center_lat_gcj02") + 1
    columns[after:after] = DERIVED_COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in reader:
        lon, lat = gcj02_to_wgs84(
            float(row["center_lon_gcj02"]), float(row["center_lat_gcj02"])
        )
        row["center_lon_wgs84"] = f"{lon:.6f}"
        row["center_lat_wgs84"] = f"{lat:.6f}"
        writer.writerow(row)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Rewrite towns.csv in place, or with --check report whether it is current."""
    args = sys.argv[1:] if argv is None else argv
    current = TOWNS_CSV.read_text(encoding="utf-8")
    wanted = towns_csv_text(current)
    if "--check" in args:
        if wanted != current:
            print(f"{TOWNS_CSV} is out of date; run build_reference.", file=sys.stderr)
            return 1
        return 0
    TOWNS_CSV.write_text(wanted, encoding="utf-8")
    print(f"wrote {TOWNS_CSV}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
