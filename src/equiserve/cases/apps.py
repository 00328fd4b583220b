from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "equiserve.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from equiserve.audit.links import register_record_link
        from equiserve.cases import checks  # noqa: F401  (registers the checks)
        from equiserve.cases.permissions import case_link, case_persons
        from equiserve.cases.services.common import CASE
        from equiserve.cases.views import person_cases_section
        from equiserve.registry.reach import register_person_reach
        from equiserve.registry.sections import register_person_section

        register_person_section(
            "cases/_person_cases.html", person_cases_section, order=10
        )
        register_person_reach("cases", case_persons)
        register_record_link(CASE, case_link)
