"""The public site, live: no login, the same pages and files `equiserve publish` writes."""

import json

from django.http import Http404, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control

from equiserve.publication import rendering
from equiserve.publication.datasets import BUILDERS
from equiserve.publication.dcat import CONTEXT, catalogue_record, dataset_record

# Public and the same for everyone: browsers may keep a page for five minutes.
public = cache_control(public=True, max_age=300)


def _root() -> str:
    return reverse("publication:home")


def _base(request) -> str:
    return request.build_absolute_uri(_root())


def _page(request, path: str) -> HttpResponse:
    tables = rendering.build_tables()
    for page_path, template, context in rendering.pages(tables):
        if page_path == path:
            other = "zh-hans" if (get_language() or "").startswith("en") else "en"
            context = context | {
                "root": _root(),
                "css": static("publication/public.css"),
                "screener": reverse("rules:screener"),
                "other_lang": f"?lang={other}",
            }
            return HttpResponse(rendering.render(template, context, request))
    raise Http404("no such page")


@public
def home(request):
    return _page(request, "index.html")


@public
def town(request, code: str):
    return _page(request, f"towns/{code}/index.html")


@public
def catalogue(request):
    return _page(request, "data/index.html")


@public
def guides(request):
    return _page(request, "guides/index.html")


@public
def rounds(request):
    return _page(request, "rounds/index.html")


def _builder(slug: str):
    if slug not in BUILDERS:
        raise Http404("no such table")
    return BUILDERS[slug]


@public
def dataset_page(request, slug: str):
    _builder(slug)
    return _page(request, f"data/{slug}/index.html")


@public
def dataset_csv(request, slug: str):
    dataset = _builder(slug)()
    response = HttpResponse(
        rendering.csv_bytes(dataset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    return response


@public
def dataset_json(request, slug: str):
    dataset = _builder(slug)()
    return HttpResponse(
        rendering.json_bytes(dataset, _base(request)),
        content_type="application/json; charset=utf-8",
    )


def _jsonld(body: dict) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/ld+json; charset=utf-8",
    )


@public
def dataset_dcat(request, slug: str):
    dataset = _builder(slug)()
    return _jsonld({"@context": CONTEXT} | dataset_record(dataset, _base(request)))


@public
def catalog_jsonld(request):
    datasets = [builder() for builder in BUILDERS.values()]
    return _jsonld(catalogue_record(datasets, _base(request)))
