from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "fupin.regions"
    label = "regions"
    verbose_name = _("regions")

    def ready(self):
        from . import imports  # noqa: F401  (registers the designation sheet with the import pipeline)
