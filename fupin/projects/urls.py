from django.urls import path

from . import views

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
    path("funds/", views.fund_sources, name="fund_sources"),
    path("funds/new/", views.budget_create, name="budget_create"),
    path("funds/<int:pk>/", views.budget_edit, name="budget_edit"),
]
