from django.urls import path

from equiserve.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("gantt.json", views.gantt_json, name="gantt"),
    path("export.xlsx", views.export, name="export"),
    path("milestones/<int:pk>/", views.milestone_update, name="milestone"),
    path("new/", views.project_new, name="new"),
    path("<slug:code>/", views.project_detail, name="project"),
    path("<slug:code>/edit/", views.project_edit, name="edit"),
    path("<slug:code>/spending/", views.spending_add, name="spending"),
    path("<slug:code>/documents/", views.document_upload, name="document_upload"),
    path(
        "<slug:code>/documents/<int:pk>/",
        views.document_download,
        name="document",
    ),
]
