from django.urls import path

from volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/mine/", views.my_teams, name="my_teams"),
    path("teams/unreported/", views.unreported_teams, name="unreported"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/organisations/add/", views.team_organisation_add, name="team_organisation_add"),
    path(
        "teams/<int:pk>/organisations/<int:member_pk>/remove/",
        views.team_organisation_remove,
        name="team_organisation_remove",
    ),
    path("teams/<int:pk>/decision/", views.team_decision_file, name="team_decision_file"),
    path("teams/<int:pk>/roster.xlsx", views.team_roster_export, name="roster_export"),
    path("teams/<int:pk>/roster/template.xlsx", views.roster_template, name="roster_template"),
    path("teams/<int:pk>/roster/import/", views.roster_import, name="roster_import"),
    path("teams/<int:pk>/members/add/", views.membership_add, name="membership_add"),
    path("teams/<int:pk>/members/<int:membership_pk>/end/", views.membership_end, name="membership_end"),
    path("activities/log/", views.activity_log, name="activity_log"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/photos/<int:photo_pk>/", views.activity_photo, name="activity_photo"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/join/", views.volunteer_join, name="volunteer_join"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/trainings/add/", views.training_add, name="training_add"),
    path("volunteers/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:pk>/export.json", views.volunteer_export, name="volunteer_export"),
    path("volunteers/<int:pk>/erase/", views.volunteer_erase, name="volunteer_erase"),
]
