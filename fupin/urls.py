from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("inbox/count/", views.inbox_count, name="inbox_count"),
    path("i18n/setlang/", views.set_language_view, name="set_language"),
    path("accounts/", include("fupin.accounts.urls")),
    path("regions/", include("fupin.regions.urls")),
    path("households/", include("fupin.registry.urls")),
    path("imports/", include("fupin.transfer.urls")),
    path("jobs/", include("fupin.jobs.urls")),
    path("audit/", include("fupin.audit.urls")),
    path("codes/", include("fupin.codes.urls")),
    path("policy/", include("fupin.policy.urls")),
    path("procedures/", include("fupin.procedures.urls")),
    path("assistance/", include("fupin.assistance.urls")),
    path("projects/", include("fupin.projects.urls")),
    path("microcredit/", include("fupin.microcredit.urls")),
    path("monitoring/", include("fupin.monitoring.urls")),
    path("crosscheck/", include("fupin.crosscheck.urls")),
]
