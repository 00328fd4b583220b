from django.urls import path

from equiserve.disability import views

app_name = "disability"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("register/", views.register, name="register"),
    path("register/new/", views.register_new, name="register_new"),
    path("register/<int:pk>/", views.record_detail, name="record"),
    path("register/<int:pk>/services/", views.service_add, name="service_add"),
    path("register/<int:pk>/waiting/", views.waiting_add, name="waiting_add"),
    path("institutions/", views.institutions, name="institutions"),
    path("waiting/", views.waiting, name="waiting"),
]
