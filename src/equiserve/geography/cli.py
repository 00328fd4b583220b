"""Commands about the city's geography: `equiserve towns`, `equiserve geo …`."""

import json
from pathlib import Path
from typing import Annotated

import typer

geo_app = typer.Typer(help="Towns, villages and their areas in the database.")


def towns_records() -> list[dict]:
    """Return the 24 towns of the reference file as JSON-ready dicts."""
    from equiserve.geography.reference import towns_frame

    return [
        {
            "code": row["code_9"],
            "code_12": row["code_12"],
            "name_zh": row["name_zh"],
            "short_name_zh": row["short_name_zh"],
            "pinyin": row["pinyin"],
            "name_en": row["name_en"],
            "kind": row["kind"],
            "pop_2000_census": row["pop_2000_census"],
            "code_2023": row["code_2023"],
            "name_2023": row["name_2023"],
            "change_note": row["change_note"],
            "center": {
                "lon": row["center_lon_wgs84"],
                "lat": row["center_lat_wgs84"],
                "datum": "WGS-84",
            },
            "center_gcj02": {
                "lon": row["center_lon_gcj02"],
                "lat": row["center_lat_gcj02"],
                "datum": "GCJ-02",
            },
        }
        for row in towns_frame().iter_rows(named=True)
    ]


def towns(
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON instead of a table."
    ),
) -> None:
    """List the 24 town-level units of the 2015 code table (no database needed)."""
    records = towns_records()
    if as_json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    header = ["code", "名称", "kind", "pinyin", "English", "pop. 2000", "centre WGS-84"]
    rows = [
        [
            town["code"],
            town["short_name_zh"],
            town["kind"],
            town["pinyin"],
            town["name_en"],
            f"{town['pop_2000_census']:,}",
            f"{town['center']['lon']:.5f}, {town['center']['lat']:.5f}",
        ]
        for town in records
    ]
    for line in _table_lines(header, rows):
        typer.echo(line)


def _table_lines(header: list[str], rows: list[list[str]]) -> list[str]:
    """Return an aligned plain-text table; Chinese characters count two columns."""
    from rich.cells import cell_len

    widths = [
        max(cell_len(row[i]) for row in [header, *rows]) for i in range(len(header))
    ]

    def line(cells: list[str]) -> str:
        padded = [
            cell + " " * (w - cell_len(cell))
            for cell, w in zip(cells, widths, strict=True)
        ]
        return "  ".join(padded).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *map(line, rows)]


@geo_app.command("load")
def geo_load() -> None:
    """Load the 24 towns and the synthetic villages into the database."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.geography.services import geography_load_reference

    counts = geography_load_reference()
    typer.echo(", ".join(f"{key}: {value}" for key, value in counts.items()))


@geo_app.command("import")
def geo_import(
    path: Annotated[
        Path, typer.Argument(help="GeoJSON FeatureCollection of town polygons.")
    ],
    gcj02: Annotated[
        bool, typer.Option("--gcj02", help="Coordinates are GCJ-02 (Chinese web maps).")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the report: zh-hans (default) or en."),
    ] = None,
) -> None:
    """Replace the towns' approximate areas with real boundaries, all or nothing."""
    from equiserve.django_setup import setup_django

    setup_django()
    from django.conf import settings
    from django.utils import translation

    from equiserve.geography.services import town_areas_import

    with translation.override(lang or settings.LANGUAGE_CODE):
        report = town_areas_import(path, datum="GCJ-02" if gcj02 else "WGS-84")
        for line in report.lines():
            typer.echo(line, err=not report.ok)
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("towns")(towns)
    app.add_typer(geo_app, name="geo")
