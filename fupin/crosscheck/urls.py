from django.urls import path

from . import edit_views, finding_views, views

app_name = "crosscheck"
urlpatterns = [
    path("", views.kind_list, name="kinds"),
    path("kinds/new/", edit_views.kind_edit, name="kind_create"),
    path("kinds/<slug:code>/", edit_views.kind_edit, name="kind_edit"),
    path("kinds/<slug:kind>/rules/new/", edit_views.rule_edit, name="rule_create"),
    path("rules/<slug:code>/", edit_views.rule_edit, name="rule_edit"),
    path("lists/", views.load_list, name="loads"),
    path("compare/", views.compare, name="compare"),
    path("summary/", views.summary_page, name="summary"),
    path("outbound/", views.outbound_list, name="outbound"),
    path("findings/", finding_views.finding_list, name="findings"),
    path("findings/export/", finding_views.finding_export, name="findings_export"),
    path("findings/<int:pk>/", finding_views.finding_detail, name="finding"),
    path("findings/<int:pk>/pass/", finding_views.finding_pass, name="finding_pass"),
    path("findings/<int:pk>/verify/", finding_views.finding_verify, name="finding_verify"),
    path("findings/<int:pk>/removal/", finding_views.finding_propose_removal, name="finding_removal"),
    path("findings/<int:pk>/evidence/", finding_views.finding_evidence, name="finding_evidence"),
]
