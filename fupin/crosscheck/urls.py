from django.urls import path

from . import views

app_name = "crosscheck"
urlpatterns = [
    path("", views.kind_list, name="kinds"),
]
