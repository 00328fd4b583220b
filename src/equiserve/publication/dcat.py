"""DCAT metadata (W3C Data Catalog Vocabulary, as JSON-LD) for the published tables.

One `dcat:Dataset` per table with a CSV and a JSON `dcat:Distribution`, in one
`dcat:Catalog`, so a national data portal can harvest them (DCAT-AP style keys).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from equiserve.publication.datasets import LICENCE, PUBLISHER, Dataset, lang

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _temporal(period: str) -> dict:
    if "/" in period:
        start, end = period.split("/")
        return {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": f"{start}-01-01",
            "dcat:endDate": f"{end}-12-31",
        }
    year, half = int(period[:4]), period[-1]
    start, end = ("01-01", "06-30") if half == "1" else ("07-01", "12-31")
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": f"{year}-{start}",
        "dcat:endDate": f"{year}-{end}",
    }


def dataset_record(dataset: Dataset, base: str) -> dict:
    """Return the dataset's DCAT record; `base` is the site's address ending in /."""
    language = "zh" if lang() == "zh" else "en"
    modified = dataset.modified.isoformat() if dataset.modified else None
    record = {
        "@id": f"{base}data/{dataset.slug}/",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": {"@value": str(dataset.title), "@language": language},
        "dct:description": {"@value": str(dataset.description), "@language": language},
        "dcat:keyword": [_("clause %(clause)s") % {"clause": dataset.clause}],
        "dct:references": f"clause {dataset.clause}",
        "dct:temporal": _temporal(dataset.period),
        "dct:license": {"@id": LICENCE},
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": PUBLISHER[language],
        },
        "dct:language": language,
        "dcat:landingPage": {"@id": f"{base}data/{dataset.slug}/"},
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:format": fmt.upper(),
                "dcat:mediaType": media,
                "dcat:downloadURL": {"@id": f"{base}data/{dataset.slug}.{fmt}"},
                "dct:license": {"@id": LICENCE},
            }
            for fmt, media in (("csv", "text/csv"), ("json", "application/json"))
        ],
    }
    if modified:
        record["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
    return record


def catalogue_record(datasets: list[Dataset], base: str) -> dict:
    language = "zh" if lang() == "zh" else "en"
    return {
        "@context": CONTEXT,
        "@id": f"{base}catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": {
            "@value": _("Zhongshan public service equalization: open data"),
            "@language": language,
        },
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": PUBLISHER[language],
        },
        "dct:license": {"@id": LICENCE},
        "dcat:dataset": [dataset_record(d, base) for d in datasets],
    }
