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

        policy_items.register()  # the thresholds the default rules read
        post_migrate.connect(install_defaults, sender=self)  # the national dataset kinds and rules
