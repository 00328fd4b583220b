from django.urls import path
from django.views.generic import RedirectView

from equiserve.registry import views

app_name = "registry"
urlpatterns = [
    # The registry's start is its list of persons (issue 14, deliverable 10).
    path("", RedirectView.as_view(pattern_name="registry:persons"), name="index"),
    path("persons/", views.person_list, name="persons"),
    path("persons/export.xlsx", views.person_export, name="export"),
    path("persons/new/", views.person_new, name="person_new"),
    path("persons/search/", views.person_search, name="person_search"),
    path("persons/<uuid:public_id>/", views.person_detail, name="person"),
    path("households/<uuid:public_id>/", views.household_detail, name="household"),
    path("import/", views.registry_import, name="import"),
]
