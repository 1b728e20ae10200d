from django.urls import path

from . import views

app_name = "assistance"

urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("cadres/", views.cadre_list, name="cadres"),
    path("cadres/new/", views.cadre_create, name="cadre_create"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre"),
    path("cadres/<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("households/<int:pk>/", views.household_pairing, name="household"),
    path("pairings/<int:pk>/end/", views.pairing_end, name="pairing_end"),
    path("unpaired/", views.unpaired, name="unpaired"),
    path("mine/", views.my_households, name="mine"),
    path("households/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("overdue/", views.overdue, name="overdue"),
    path("photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path("households/<int:pk>/plan/", views.plan, name="plan_current"),
    path("households/<int:pk>/plan/<int:year>/", views.plan, name="plan"),
    path("measures/<int:pk>/", views.measure_edit, name="measure_edit"),
    path("coverage/", views.coverage_report, name="coverage"),
    path("households/<int:pk>/card.pdf", views.household_card, name="card"),
    path("cards.pdf", views.village_cards, name="village_cards"),
]
