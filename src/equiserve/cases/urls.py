from django.urls import path

from equiserve.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.csv", views.export, name="export"),
    path("new/", views.register, name="register"),
    path("import/", views.import_applications, name="import"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/facts/", views.update_facts, name="facts"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/deliver/", views.deliver, name="deliver"),
    path("<int:pk>/appeal/", views.appeal, name="appeal"),
    path("<int:pk>/decide-appeal/", views.decide_appeal, name="decide_appeal"),
    path("households/<uuid:public_id>/", views.household, name="household"),
]
