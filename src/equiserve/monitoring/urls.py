from django.urls import path

from equiserve.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("map.json", views.map_json, name="map"),
    path("trend.json", views.trend_json, name="trend"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<str:code>/entry/", views.entry_page, name="entry"),
    path("reports/", views.report_list, name="reports"),
    path("reports/open/", views.report_open, name="report-open"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/review/", views.report_review, name="report-review"),
    path("reports/<int:pk>/print/", views.report_print, name="report-print"),
    path("reports/<int:pk>/export.xlsx", views.report_export, name="report-export"),
    path("city/<str:period>/", views.city_report_page, name="city"),
    path("city/<str:period>/print/", views.city_print, name="city-print"),
    path("city/<str:period>/export.xlsx", views.city_export, name="city-export"),
]
