from django.urls import path

from equiserve.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.screener, name="screener"),
]
