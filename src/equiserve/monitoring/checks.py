"""System checks: the plan's indicator files must load (equiserve.E060)."""

from django.core import checks

from equiserve.monitoring.definitions import DefinitionError, load_definitions


@checks.register()
def indicator_definitions(app_configs, **kwargs):
    """Report a malformed indicator file as a configuration error."""
    try:
        load_definitions()
    except DefinitionError as error:
        return [
            checks.Error(
                str(error),
                hint="Fix the file under plans/<plan>/indicators/ named above.",
                id="equiserve.E060",
            )
        ]
    return []
