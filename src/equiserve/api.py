"""The typed JSON API (django-ninja); each domain app adds its router here."""

from ninja import NinjaAPI

from equiserve.api_errors import document_errors, install_error_handlers


class EquiserveAPI(NinjaAPI):
    """The NinjaAPI whose document lists the error answers of every operation."""

    def get_openapi_schema(self, **kwargs):
        return document_errors(super().get_openapi_schema(**kwargs))


api = EquiserveAPI(
    title="equiserve API",
    version="1",
    description="Rules, registries and monitoring of the Zhongshan 2014–2016 "
    "Public Service Equalization Plan.",
    urls_namespace="api",
)
install_error_handlers(api)


# Each domain's router; imported after `api` exists because routers may refer to it.
from equiserve.accounts.api import router as auth_router  # noqa: E402
from equiserve.budget.api import router as budget_router  # noqa: E402
from equiserve.cases.api import router as cases_router  # noqa: E402
from equiserve.disability.api import router as disability_router  # noqa: E402
from equiserve.employment.api import router as employment_router  # noqa: E402
from equiserve.health.api import router as health_router  # noqa: E402
from equiserve.housing.api import router as housing_router  # noqa: E402
from equiserve.library.api import router as library_router  # noqa: E402
from equiserve.monitoring.api import router as monitoring_router  # noqa: E402
from equiserve.projects.api import router as projects_router  # noqa: E402
from equiserve.registry.api import router as registry_router  # noqa: E402
from equiserve.rules.api import router as rules_router  # noqa: E402

api.add_router("/", auth_router)
api.add_router("/", rules_router)
api.add_router("/", registry_router)
api.add_router("/", cases_router)
api.add_router("/housing/", housing_router)
api.add_router("/health/", health_router)
api.add_router("/monitoring/", monitoring_router)
api.add_router("/library/", library_router)
api.add_router("/employment/", employment_router)
api.add_router("/", budget_router)
api.add_router("/disability/", disability_router)
api.add_router("/projects/", projects_router)
