from django.urls import path

from equiserve.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("gantt.json", views.gantt_json, name="gantt"),
    path("export.xlsx", views.export, name="export"),
    path("milestones/<int:pk>/", views.milestone_update, name="milestone"),
    path("<slug:code>/", views.project_detail, name="project"),
    path("<slug:code>/spending/", views.spending_add, name="spending"),
]
