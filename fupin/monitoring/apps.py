from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "fupin.monitoring"
    label = "monitoring"
    verbose_name = _("monitoring (防止返贫)")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import (
            elimination,
            entry,
            kinds,  # noqa: F401  (registers the category and risk-type code lists)
            policy_items,
        )
        from .helping import install_defaults

        post_migrate.connect(install_defaults, sender=self)  # which measures answer each risk type
        policy_items.register()  # deadlines, screening margins, the elimination rule
        entry.register_kind()  # the identification procedure on the engine
        elimination.register_kind()  # and the risk elimination
        from .panels import register_panels

        register_panels()  # the monitoring panel of the household page
        from .filters import register_filters

        register_filters()  # monitored, category and risk type in the household list
        from fupin.registry import national

        from .national_sync import sync

        national.on_written(sync)  # households the national list names as monitored
        from .inbox import register_inbox
        from .scope import register_cadre_scope
        from .screening import register_job

        register_inbox()  # self-reports to pass on, clues to check, overdue clues
        register_job()  # the system screening
        from .classification import register_job as register_classification

        register_classification()  # the yearly classification's assessment
        from fupin.assistance import cadre_actions
        from fupin.permissions import Perm

        cadre_actions.register(  # 发现风险 from the cadre's phone page
            cadre_actions.HouseholdAction(
                _("Report a risk"), "monitoring:report_risk", "exclamation-diamond", Perm.REPORT_RISK
            )
        )
        from .sheets import register_sheet

        register_sheet()  # the monitored-household sheet of the import pipeline
        register_cadre_scope()  # a cadre reads the clues and cases of their paired households
