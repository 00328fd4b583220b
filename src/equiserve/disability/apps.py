from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisabilityConfig(AppConfig):
    name = "equiserve.disability"
    verbose_name = _("Disability services")

    def ready(self) -> None:
        from equiserve.disability.permissions import federation_persons
        from equiserve.registry.reach import register_person_reach

        register_person_reach("disability", federation_persons)
