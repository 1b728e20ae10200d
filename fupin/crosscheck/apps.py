from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CrosscheckConfig(AppConfig):
    name = "fupin.crosscheck"
    label = "crosscheck"
    verbose_name = _("department data comparison (数据比对)")

    def ready(self):
        from . import policy_items
        from .defaults import install_defaults

        policy_items.register()  # the thresholds the default rules read, the days to verify
        post_migrate.connect(install_defaults, sender=self)  # the national dataset kinds and rules
        from . import comparison, inbox, panels, sheets

        sheets.register()  # each dataset kind in use is a reference sheet of the import pipeline
        comparison.register_job()  # the comparison runs as a background job
        inbox.register_inbox()  # findings to verify, to pass on, and overdue
        panels.register()  # the household page's panel and the entry's 信息比对 lines
