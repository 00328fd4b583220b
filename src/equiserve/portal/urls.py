from django.urls import path

from equiserve.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("favicon.ico", views.favicon, name="favicon"),
]
