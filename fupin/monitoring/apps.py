from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "fupin.monitoring"
    label = "monitoring"
    verbose_name = _("monitoring (防止返贫)")

    def ready(self):
        from . import kinds  # noqa: F401  (registers the category and risk-type code lists)
        from .panels import register_panels

        register_panels()  # the monitoring panel of the household page
        from .filters import register_filters

        register_filters()  # monitored, category and risk type in the household list
        from fupin.registry import national

        from .national_sync import sync

        national.on_written(sync)  # households the national list names as monitored
