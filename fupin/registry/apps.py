from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "fupin.registry"
    label = "registry"
    verbose_name = _("household registry")

    def ready(self):
        from . import imports  # noqa: F401  (registers the household sheets with the import pipeline)
