from django.urls import path

from equiserve.housing import views

app_name = "housing"
urlpatterns = [
    path("", views.waiting_list, name="waiting"),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "applications/<int:pk>/reassess/",
        views.application_reassess,
        name="application_reassess",
    ),
    path("offers/<int:pk>/answer/", views.offer_answer, name="offer_answer"),
    path("stock/", views.stock, name="stock"),
    path("ranking/", views.ranking, name="ranking"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<slug:round_id>/", views.round_detail, name="round"),
    path("rounds/<slug:round_id>/list.json", views.round_list_json, name="list_json"),
    path("rounds/<slug:round_id>/round.json", views.round_json, name="round_json"),
    path("rounds/<slug:round_id>/draw/", views.round_draw, name="round_draw"),
]
