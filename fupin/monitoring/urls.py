from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("households/<int:pk>/spending/", views.spending_edit, name="spending"),
]
