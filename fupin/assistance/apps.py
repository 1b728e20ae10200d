from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "fupin.assistance"
    label = "assistance"
    verbose_name = _("assistance")

    def ready(self):
        from . import imports  # noqa: F401  (registers the cadre sheet with the import pipeline)
        from .catalogue import install_defaults
        from .panels import register_panels

        register_panels()  # the cadre and plan panels of the household page

        post_migrate.connect(install_defaults, sender=self)  # the national measure catalogue, when missing
        from .inbox import register_inbox

        register_inbox()  # overdue visits in the cadre's to-do inbox
        from .pairings_scope import register_cadre_scope

        register_cadre_scope()  # a cadre reads the households paired with them, not their neighbours
