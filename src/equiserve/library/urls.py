from django.urls import path

from equiserve.library import views

app_name = "library"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("works/<int:pk>/", views.work_detail, name="work"),
    path("circulation/", views.circulation, name="circulation"),
    path("desk/", views.desk, name="desk"),
    path("digital/", views.digital, name="digital"),
]
