from django.urls import path

from . import case_views, classification_views, clue_views, figure_views, public_views, views

app_name = "monitoring"
urlpatterns = [
    path("households/<int:pk>/spending/", views.spending_edit, name="spending"),
    path("households/<int:pk>/risk/", clue_views.report_risk, name="report_risk"),
    path("clues/", clue_views.clue_list, name="clues"),
    path("clues/export.xlsx", clue_views.clue_export, name="clue_export"),
    path("clues/screening/", clue_views.run_screening, name="screening"),
    path("clues/<int:pk>/", clue_views.clue_detail, name="clue"),
    path("clues/<int:pk>/photo/", clue_views.clue_photo, name="clue_photo"),
    path("clues/<int:pk>/<slug:action>/", clue_views.clue_act, name="clue_act"),
    path("cases/<int:pk>/edit/", case_views.case_edit, name="case_edit"),
    path("help/", case_views.help_report, name="help"),
    path("cases/", case_views.case_list, name="cases"),
    path("cases/export.xlsx", case_views.cases_export, name="cases_export"),
    path("classification/", classification_views.round_list, name="rounds"),
    path("classification/<int:pk>/", classification_views.round_detail, name="round"),
    path("classification/<int:pk>/close/", classification_views.round_close, name="round_close"),
    path("classification/households/<int:pk>/", classification_views.classification_decide, name="decide"),
    path("figures/", figure_views.region_figures, name="figures"),
    path("figures/export.xlsx", figure_views.region_figures_export, name="figures_export"),
    path("villages/<str:code>/qr/", clue_views.village_qr, name="village_qr"),
    # public: no login (the QR code's page and the receipt look-up)
    path("report/<str:village>/", public_views.self_report, name="self_report"),
    path("report-status/", public_views.clue_status, name="status"),
]
