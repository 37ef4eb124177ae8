from django.urls import path

from egov_support import views

app_name = "egov_support"
urlpatterns = [
    path("help-sessions/", views.session_list, name="session_list"),
    path("help-sessions/filter/", views.session_filter, name="session_filter"),
    path("help-sessions/new/", views.session_create, name="session_create"),
    path("help-sessions/roster/", views.session_roster, name="session_roster"),
    path("help-sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("help-sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("help-sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    # A team's week: its activities and its help sessions (this app is the one that knows both).
    path("teams/<int:pk>/weeks/<int:iso_year>-W<int:iso_week>/", views.weekly_report, name="weekly_report"),
    path("teams/<int:pk>/help-summary/", views.team_help_summary, name="team_help_summary"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_edit, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/targets/new/", views.campaign_target_edit, name="campaign_target_create"),
    path(
        "campaigns/<int:pk>/targets/<int:target_pk>/edit/",
        views.campaign_target_edit,
        name="campaign_target_edit",
    ),
    path(
        "campaigns/<int:pk>/targets/<int:target_pk>/delete/",
        views.campaign_target_delete,
        name="campaign_target_delete",
    ),
    path("campaigns/<int:pk>/activities/", views.campaign_activities, name="campaign_activities"),
    path("statistics/", views.statistic_list, name="statistic_list"),
    path("statistics/new/", views.statistic_edit, name="statistic_create"),
    path("statistics/<int:pk>/edit/", views.statistic_edit, name="statistic_edit"),
    path("statistics/import/", views.statistic_import, name="statistic_import"),
    path("statistics/template.xlsx", views.statistic_template, name="statistic_template"),
]
