"""System check: the site's plan loads (equiserve.E002), so a defect in it, such as
a misspelt output in programmes.yaml, stops `equiserve check` with its file and line
instead of the first page that reads it (issue 11)."""

from django.core import checks


@checks.register()
def plan_loads(app_configs, **kwargs):
    """Report a plan the engine refuses, with the engine's file:line message."""
    from equiserve.policy import PlanLoadError
    from equiserve.rules import plan_gateway

    if not plan_gateway.plan_dir().is_dir():
        return []  # equiserve.E001 says the folder is missing
    try:
        plan_gateway.plan()
    except PlanLoadError as error:
        return [
            checks.Error(
                f"The plan does not load: {error}",
                hint="Fix the file at the line named; the engine checks it at load.",
                id="equiserve.E002",
            )
        ]
    return []
