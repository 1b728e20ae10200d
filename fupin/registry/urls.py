from django.urls import path, re_path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.household_list, name="list"),
    re_path(r"^export\.(?P<fmt>xlsx|csv)$", views.household_export, name="export"),
    path("quality/", views.quality_report, name="quality"),
    path("new/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="household"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/income/new/", views.income_edit, name="income_create"),
    path("<int:pk>/income/<int:year>/", views.income_edit, name="income_edit"),
]
