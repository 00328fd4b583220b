from django.urls import path

from equiserve.registry import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_list, name="persons"),
    path("persons/export.xlsx", views.person_export, name="export"),
    path("persons/<uuid:public_id>/", views.person_detail, name="person"),
    path("households/<uuid:public_id>/", views.household_detail, name="household"),
    path("import/", views.registry_import, name="import"),
]
