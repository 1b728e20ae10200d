from django.urls import path

from . import views

app_name = "microcredit"

urlpatterns = [
    path("", views.loan_list, name="list"),
    path("new/", views.loan_create, name="create"),
    path("figures/", views.region_figures, name="figures"),
    path("<int:pk>/", views.loan_detail, name="loan"),
    path("<int:pk>/repay/", views.repay, name="repay"),
    path("<int:pk>/subsidy/", views.pay_subsidy, name="subsidy"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("entries/<int:pk>/reverse/", views.reverse_entry, name="reverse"),
]
