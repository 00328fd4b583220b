from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "equiserve.projects"
    verbose_name = _("Plan projects")

    def ready(self) -> None:
        from equiserve.monitoring.report_sections import register_report_section
        from equiserve.projects.sections import report_milestones

        register_report_section("projects", report_milestones)
