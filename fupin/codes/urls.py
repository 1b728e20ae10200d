from django.urls import path

from . import views

app_name = "codes"
urlpatterns = [
    path("", views.kind_list, name="kinds"),
    path("<slug:kind>/", views.code_list, name="list"),
    path("<slug:kind>/new/", views.code_edit, name="create"),
    path("<slug:kind>/<int:pk>/edit/", views.code_edit, name="edit"),
]
