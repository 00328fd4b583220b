"""System checks for configuration mistakes that would otherwise fail late."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def plan_directory_check(app_configs, **kwargs):
    plan_dir = settings.EQUISERVE_PLAN_DIR
    if not (plan_dir / "catalogue.yaml").is_file():
        return [
            Error(
                f"The plan directory {plan_dir} has no catalogue.yaml.",
                hint="Set EQUISERVE_PLAN_DIR to a plan such as plans/zhongshan_2014.",
                id="equiserve.E001",
            )
        ]
    return []


@register(deploy=True)
def demo_mode_deploy_check(app_configs, **kwargs):
    if settings.DEMO_MODE:
        return [
            Warning(
                "Demo mode is on: demo accounts with published passwords can log in.",
                hint="Unset EQUISERVE_DEMO in production.",
                id="equiserve.W001",
            )
        ]
    return []
