from django.urls import path

from equiserve.facilities import views

app_name = "facilities"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("town/<str:code>/", views.town_detail, name="town"),
    path("standard/<str:standard_id>/", views.standard_detail, name="standard"),
    path("fitness-circle/", views.circle, name="circle"),
    path("map.json", views.map_json, name="map"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("import/", views.import_facilities, name="import"),
]
