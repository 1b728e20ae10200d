from django.urls import path

from . import adjustment_views, definition_views, flag_views, regional_views, views

app_name = "procedures"

urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_create, name="create"),
    path("definitions/", definition_views.definition_list, name="definitions"),
    path("definitions/<int:pk>/steps/new/", definition_views.step_create, name="step_create"),
    path("steps/<int:pk>/", definition_views.step_edit, name="step_edit"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/add/", views.cases_add, name="add"),
    path("<int:pk>/complete/", views.batch_complete, name="complete"),
    path("<int:pk>/send-back/", views.batch_send_back, name="send_back"),
    path("<int:pk>/notice/", views.notice_post, name="notice"),
    path("<int:pk>/notice.pdf", views.notice_print, name="notice_pdf"),
    path("<int:pk>/objections/", views.objection_create, name="objection"),
    path("<int:pk>/evidence/", views.evidence_create, name="evidence_add"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="answer"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/drop/", views.case_drop, name="drop"),
    path("members/<int:pk>/flags/", flag_views.member_flags, name="member_flags"),
    path("flags/<int:pk>/clear/", flag_views.flag_clear, name="flag_clear"),
    path("flags/<int:pk>/file/", flag_views.flag_file, name="flag_file"),
    path("regions/exit/", regional_views.region_exit, name="region_exit"),
    path("regions/population/", regional_views.population, name="population"),
    path("back-entries/", views.back_entries, name="back_entries"),
    path("adjustments/", adjustment_views.adjustment_list, name="adjustments"),
    path("adjustments/<int:pk>/", adjustment_views.adjustment_detail, name="adjustment"),
]
