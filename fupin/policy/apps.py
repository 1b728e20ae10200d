from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "fupin.policy"
    label = "policy"
    verbose_name = _("policy parameters")

    def ready(self):
        from .values import install_defaults

        # As the code lists do: national defaults that are missing are added after every migrate,
        # never overwriting what an administrator set.
        post_migrate.connect(install_defaults, sender=self)
