from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_create, name="create"),
    path("definitions/", views.definition_list, name="definitions"),
    path("definitions/<int:pk>/steps/new/", views.step_create, name="step_create"),
    path("steps/<int:pk>/", views.step_edit, name="step_edit"),
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
    path("members/<int:pk>/flags/", views.member_flags, name="member_flags"),
    path("flags/<int:pk>/clear/", views.flag_clear, name="flag_clear"),
    path("flags/<int:pk>/file/", views.flag_file, name="flag_file"),
    path("regions/exit/", views.region_exit, name="region_exit"),
    path("regions/population/", views.population, name="population"),
    path("adjustments/", views.adjustment_list, name="adjustments"),
    path("adjustments/<int:pk>/", views.adjustment_detail, name="adjustment"),
]
