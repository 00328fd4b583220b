from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "equiserve.registry"
    verbose_name = _("Registry of persons and households")

    def ready(self) -> None:
        from equiserve.audit.links import register_record_link
        from equiserve.registry.permissions import household_link, person_link
        from equiserve.registry.selectors import HOUSEHOLD, PERSON

        # Audit entries link the persons and households their reader may open.
        register_record_link(PERSON, person_link)
        register_record_link(HOUSEHOLD, household_link)
