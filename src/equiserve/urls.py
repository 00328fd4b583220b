from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from equiserve.api import api

urlpatterns = [
    path("", include("equiserve.portal.urls")),
    # /healthz, /readyz, /metrics (issue 21).
    path("", include("equiserve.operations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("equiserve.accounts.urls")),
    path("facilities/", include("equiserve.facilities.urls")),
    path("housing/", include("equiserve.housing.urls")),
    path("registry/", include("equiserve.registry.urls")),
    path("cases/", include("equiserve.cases.urls")),
    path("audit/", include("equiserve.audit.urls")),
    path("screener/", include("equiserve.rules.urls")),
    path("monitoring/", include("equiserve.monitoring.urls")),
    path("health/", include("equiserve.health.urls")),
    path("employment/", include("equiserve.employment.urls")),
    path("disability/", include("equiserve.disability.urls")),
    path("projects/", include("equiserve.projects.urls")),
    path("budget/", include("equiserve.budget.urls")),
    path("public/", include("equiserve.publication.urls")),
    path("library/", include("equiserve.library.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
