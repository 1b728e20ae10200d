from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "fupin.jobs"
    label = "jobs"
    verbose_name = _("background jobs")

    def ready(self):
        from .inbox import register_inbox

        register_inbox()  # the owner's jobs that failed or left a result to download
