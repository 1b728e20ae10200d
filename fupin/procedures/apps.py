from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "fupin.procedures"
    label = "procedures"
    verbose_name = _("procedures")

    def ready(self):
        # Each kind registers itself with the engine; imports registers the population sheet.
        from . import exits, identification, imports, relapse, removal  # noqa: F401
        from .defaults import install_defaults

        # National procedure definitions and exclusion rules that are missing are added after every
        # migrate, never overwriting a province's own.
        post_migrate.connect(install_defaults, sender=self)
        from .panels import register_panels

        register_panels()  # the household page's panel of cases
        from .inbox import register_inbox

        register_inbox()  # steps, notices and objections waiting in the to-do inbox
