from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "equiserve.monitoring"
    verbose_name = _("Monitoring and reporting")

    def ready(self) -> None:
        from equiserve.monitoring import checks  # noqa: F401  (registers the checks)
        from equiserve.monitoring.signals import connect

        connect()
