from django.urls import path

from . import team_views, views

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
    path("teams/", team_views.team_list, name="teams"),
    path("teams/new/", team_views.team_create, name="team_create"),
    path("teams/<int:pk>/", team_views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", team_views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/", team_views.member_add, name="team_member_add"),
    path("teams/members/<int:pk>/end/", team_views.member_end, name="team_member_end"),
    path("teams/<int:pk>/checks/", team_views.spot_check_add, name="spot_check_add"),
    path("teams/<int:pk>/attendance/", team_views.attendance_edit, name="attendance_edit"),
    path("teams/attendance/", team_views.attendance_report, name="attendance"),
    path("teams/links/", team_views.leader_links, name="leader_links"),
    path("teams/links/<int:pk>/edit/", team_views.leader_link_edit, name="leader_link_edit"),
]
