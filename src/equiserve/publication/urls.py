from django.urls import path

from equiserve.publication import views

app_name = "publication"
urlpatterns = [
    path("", views.home, name="home"),
    path("towns/<str:code>/", views.town, name="town"),
    path("guides/", views.guides, name="guides"),
    path("rounds/", views.rounds, name="rounds"),
    path("data/", views.catalogue, name="catalogue"),
    path("data/<slug:slug>/", views.dataset_page, name="dataset"),
    path("data/<slug:slug>/dcat.jsonld", views.dataset_dcat, name="dataset_dcat"),
    path("data/<slug:slug>.csv", views.dataset_csv, name="dataset_csv"),
    path("data/<slug:slug>.json", views.dataset_json, name="dataset_json"),
    path("catalog.jsonld", views.catalog_jsonld, name="catalog"),
]
