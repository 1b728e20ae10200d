from django.urls import path

from . import views

app_name = "transfer"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/commit/", views.batch_commit, name="commit"),
    path("<int:pk>/report.xlsx", views.error_report, name="report"),
    path("new/<slug:kind>/", views.upload, name="upload"),
    path("template/<slug:kind>.xlsx", views.template_download, name="template"),
]
