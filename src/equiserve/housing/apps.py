from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "equiserve.housing"
    verbose_name = _("Public rental housing")

    def ready(self) -> None:
        from equiserve.audit.links import register_record_link
        from equiserve.housing.permissions import application_link, housing_persons
        from equiserve.housing.sections import register_sections
        from equiserve.housing.services.common import APPLICATION
        from equiserve.registry.reach import register_person_reach

        register_sections()
        register_person_reach("housing", housing_persons)
        register_record_link(APPLICATION, application_link)
