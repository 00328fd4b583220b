from django.urls import path

from equiserve.health import views

app_name = "health"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("t1d/", views.patient_list, name="patients"),
    path("t1d/<str:public_id>/", views.patient_detail, name="patient"),
    path("t1d/<str:public_id>/follow-up/", views.follow_up_new, name="follow_up"),
    path("schools/", views.school_list, name="schools"),
    path("schools/<str:code>/", views.school_detail, name="school"),
    path("migrants/", views.migrant_service_list, name="migrant_services"),
    path("migrants/new/", views.migrant_service_new, name="migrant_service_new"),
    path("export/fhir.json", views.fhir_export, name="fhir_export"),
]
