from django.urls import path

from equiserve.budget import views

app_name = "budget"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("enter/", views.enter, name="enter"),
    path("export.xlsx", views.export_xlsx, name="export"),
]
