from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "fupin.transfer"
    label = "transfer"
    verbose_name = _("imports and exports")

    def ready(self):
        from . import import_jobs  # noqa: F401  (registers checking and writing an import as job kinds)
        from .inbox import register_inbox

        register_inbox()  # the user's imports waiting to be committed or corrected
