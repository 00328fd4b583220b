from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "equiserve.employment"
    verbose_name = _("Employment services")

    def ready(self) -> None:
        # Casework reads the register's facts for the 3.7 cases (issue 15).
        from equiserve.cases.facts import REGISTER_VALUES
        from equiserve.employment.assistance import REGISTER_VALUES as ours

        REGISTER_VALUES.update(ours)
