from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.region_index, name="index"),
    path("options/", views.region_options, name="options"),
    path("<str:code>/", views.region_detail, name="detail"),
    path("<str:code>/designation/", views.designation_edit, name="designation"),
]
