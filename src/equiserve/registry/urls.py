from django.urls import path

from equiserve.registry import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_list, name="persons"),
    path("persons/export.xlsx", views.person_export, name="export"),
    path("persons/<int:pk>/", views.person_detail, name="person"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("import/", views.registry_import, name="import"),
]
