from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("<int:pk>/result/", views.job_result, name="result"),
]
