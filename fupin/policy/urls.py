from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("calendar/", views.calendar, name="calendar"),
    path("<slug:name>/", views.value_list, name="values"),
    path("<slug:name>/new/", views.value_edit, name="create"),
    path("<slug:name>/<int:pk>/edit/", views.value_edit, name="edit"),
]
