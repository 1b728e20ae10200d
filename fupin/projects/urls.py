from django.urls import path

from . import fund_views, notice_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/allocate/", views.allocate, name="allocate"),
    path("<int:pk>/disburse/", views.disburse, name="disburse"),
    path("payments/<int:pk>/reverse/", views.reverse_entry, name="reverse"),
    path("documents/<int:pk>/", views.stage_document, name="stage_document"),
    path("<int:pk>/links/", views.link_add, name="link_add"),
    path("links/<int:pk>/remove/", views.link_remove, name="link_remove"),
    path("unlinked/", views.unlinked, name="unlinked"),
    path("<int:pk>/notices/", notice_views.notice_add, name="notice_add"),
    path("<int:pk>/notices/<str:kind>.pdf", notice_views.notice_draft, name="notice_draft"),
    path("notices/<int:pk>.pdf", notice_views.notice_print, name="notice_print"),
    path("notices/photos/<int:pk>/", notice_views.notice_photo, name="notice_photo"),
    path("funds/", fund_views.fund_sources, name="fund_sources"),
    path("funds/new/", fund_views.budget_create, name="budget_create"),
    path("funds/<int:pk>/", fund_views.budget_edit, name="budget_edit"),
]
