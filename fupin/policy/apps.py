from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "fupin.policy"
    label = "policy"
    verbose_name = _("policy tables")

    def ready(self):
        from .lines import install_defaults

        post_migrate.connect(install_defaults, sender=self)
