from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CodesConfig(AppConfig):
    name = "fupin.codes"
    label = "codes"
    verbose_name = _("code lists")

    def ready(self):
        from .catalogue import install_defaults

        # After every migrate (and every test flush): add national codes that are missing, never
        # overwriting what an administrator changed.
        post_migrate.connect(install_defaults, sender=self)
