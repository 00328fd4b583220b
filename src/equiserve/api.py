"""The typed JSON API (django-ninja); each domain app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="equiserve API",
    version="1",
    description="Rules, registries and monitoring of the Zhongshan 2014–2016 "
    "Public Service Equalization Plan.",
    urls_namespace="api",
)

from equiserve.rules.api import router as rules_router  # noqa: E402

api.add_router("/", rules_router)

from equiserve.accounts.api import router as auth_router  # noqa: E402

api.add_router("/", auth_router)
