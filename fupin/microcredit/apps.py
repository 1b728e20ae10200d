from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicrocreditConfig(AppConfig):
    name = "fupin.microcredit"
    label = "microcredit"
    verbose_name = _("microcredit")

    def ready(self):
        from . import imports  # noqa: F401  (registers the loan ledger sheet with the import pipeline)
        from .panels import register_panels

        register_panels()  # the household page's panel of loans
