"""The public site's files, the same for the live pages and the static export.

`site_files(root)` returns every page and download as (path, bytes): HTML
pages, each table's CSV and JSON, its DCAT record and the DCAT catalogue. The
live views serve one of them; `equiserve publish` writes them all.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from equiserve.publication import datasets as ds
from equiserve.publication.dcat import catalogue_record, dataset_record
from equiserve.spreadsheets import csv_row

CSS_PATH = Path(__file__).parent / "static" / "publication" / "public.css"


def csv_bytes(dataset: ds.Dataset) -> bytes:
    """Return the table as CSV, UTF-8 with a BOM so that Excel reads the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row([str(c.label) for c in dataset.columns]))
    writer.writerows(csv_row(dataset.values(row)) for row in dataset.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def json_bytes(dataset: ds.Dataset, base: str) -> bytes:
    body = {
        "metadata": dataset_record(dataset, base),
        "columns": [{"name": c.name, "label": str(c.label)} for c in dataset.columns],
        "rows": [
            {c.name: row.get(c.name, "") for c in dataset.columns}
            for row in dataset.rows
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def _towns():
    from equiserve.geography.models import Town

    return list(Town.objects.order_by("code"))


def render(template: str, context: dict, request=None) -> bytes:
    return render_to_string(f"publication/{template}", context, request=request).encode(
        "utf-8"
    )


def home_context(tables: dict) -> dict:
    from equiserve.portal.catalogue import load_catalogue

    figures = tables["targets-by-town"].rows
    city = [r for r in figures if r["place_code"] == ds.CITY_CODE]
    language = ds.lang()
    return {
        "domains": [
            {
                "id": d.id,
                "title": d.title.get(language, d.id),
                "items": [
                    {
                        "clause": i.clause,
                        "title": i.title.get(language, ""),
                        "summary": i.summary.get(language, ""),
                    }
                    for i in d.items
                ],
                "figures": [r for r in city if r["domain"] == d.id],
            }
            for d in load_catalogue().domains
        ],
        "towns": _towns(),
        "period": figures[0]["period"] if figures else "",
    }


def town_context(tables: dict, town) -> dict:
    from equiserve.formatting import town_name

    figures = [
        r for r in tables["targets-by-town"].rows if r["place_code"] == town.code
    ]
    received = [
        r for r in tables["services-received"].rows if r["place_code"] == town.code
    ]
    return {
        "town": town,
        "town_name": town_name(town.code),
        "figures": figures,
        "received": received,
        "period": figures[0]["period"] if figures else "",
    }


def pages(tables: dict) -> list[tuple[str, str, dict]]:
    """Return (path, template, context) of every page, paths relative to the root."""
    listing = list(tables.values())
    found = [
        ("index.html", "home.html", home_context(tables)),
        ("data/index.html", "catalogue.html", {"datasets": listing}),
        ("guides/index.html", "guides.html", {"dataset": tables["service-guides"]}),
        ("rounds/index.html", "rounds.html", {"dataset": tables["housing-rounds"]}),
    ]
    for town in _towns():
        found.append(
            (f"towns/{town.code}/index.html", "town.html", town_context(tables, town))
        )
    for dataset in listing:
        found.append(
            (
                f"data/{dataset.slug}/index.html",
                "dataset.html",
                {
                    "dataset": dataset,
                    "licence": ds.LICENCE,
                    "licence_name": ds.LICENCE_NAME,
                },
            )
        )
    return found


def depth_root(path: str) -> str:
    """Return the relative way up from `path` to the site's root ("" or "../…")."""
    return "../" * path.count("/")


def page_url(path: str) -> str:
    """Return a page's address relative to the root: "towns/442000100/"."""
    return path.removesuffix("index.html")


def build_tables() -> dict[str, ds.Dataset]:
    return {d.slug: d for d in ds.all_datasets()}


def site_files(*, base: str, other: str, screener: str) -> list[tuple[str, bytes]]:
    """Return every file of the public site in the active language.

    Links are relative (`../`), so the files work from any folder of a web
    server; `base` is the address DCAT records give (absolute for harvesting).
    """
    tables = build_tables()
    files: list[tuple[str, bytes]] = []
    for path, template, context in pages(tables):
        root = depth_root(path)
        context = context | {
            "root": root,
            "css": f"{root}public.css",
            "screener": screener,
            "other_lang": f"{root}{other}{page_url(path)}",
        }
        files.append((path, render(template, context)))
    for dataset in tables.values():
        files.append((f"data/{dataset.slug}.csv", csv_bytes(dataset)))
        files.append((f"data/{dataset.slug}.json", json_bytes(dataset, base)))
        files.append(
            (
                f"data/{dataset.slug}/dcat.jsonld",
                json.dumps(
                    {"@context": catalogue_record([], base)["@context"]}
                    | dataset_record(dataset, base),
                    ensure_ascii=False,
                    indent=2,
                ).encode("utf-8"),
            )
        )
    files.append(
        (
            "catalog.jsonld",
            json.dumps(
                catalogue_record(list(tables.values()), base),
                ensure_ascii=False,
                indent=2,
            ).encode("utf-8"),
        )
    )
    return files


def export(out, *, base: str = "", screener: str = "/screener/") -> list[str]:
    """Write the public site in Chinese at `out` and in English at `out`/en/."""
    out = Path(out)
    written = []
    for language, folder, other in (("zh-hans", out, "en/"), ("en", out / "en", "../")):
        with translation.override(language):
            prefix = base + ("" if language == "zh-hans" else "en/")
            for path, content in site_files(
                base=prefix, other=other, screener=screener
            ):
                target = folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                written.append(str(target.relative_to(out)))
        (folder / "public.css").write_bytes(CSS_PATH.read_bytes())
        written.append(str((folder / "public.css").relative_to(out)))
    return written
