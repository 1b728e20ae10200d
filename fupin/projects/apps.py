from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "fupin.projects"
    label = "projects"
    verbose_name = _("projects and funds")

    def ready(self):
        # The ledger sheet registers with the import pipeline; intake registers its kinds with the engine.
        from . import imports, intake  # noqa: F401
        from .defaults import install_defaults

        post_migrate.connect(install_defaults, sender=self)  # the national fund sources, when missing
        from .panels import register_panels

        register_panels()  # the household page's panel of projects
