from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "equiserve.publication"
    verbose_name = _("Public information and open data")
