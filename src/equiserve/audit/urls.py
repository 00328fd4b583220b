from django.urls import path

from equiserve.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("verify/", views.audit_chain, name="verify"),
]
