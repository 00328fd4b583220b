from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    """The HTTP side of the policy engine: the evaluate contract at /api/v1/evaluate."""

    name = "equiserve.rules"
    verbose_name = _("Rules")

    def ready(self):
        from equiserve.rules import checks  # noqa: F401  (registers the checks)
