from django.urls import path

from egov_support import views

app_name = "egov_support"
urlpatterns = [
    path("help-sessions/", views.session_list, name="session_list"),
    path("help-sessions/new/", views.session_create, name="session_create"),
    path("help-sessions/roster/", views.session_roster, name="session_roster"),
    path("help-sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("help-sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("help-sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    # A team's week: its activities and its help sessions (this app is the one that knows both).
    path("teams/<int:pk>/weeks/<int:iso_year>-W<int:iso_week>/", views.weekly_report, name="weekly_report"),
    path("teams/<int:pk>/help-summary/", views.team_help_summary, name="team_help_summary"),
    path("statistics/", views.statistic_list, name="statistic_list"),
    path("statistics/new/", views.statistic_edit, name="statistic_create"),
    path("statistics/<int:pk>/edit/", views.statistic_edit, name="statistic_edit"),
    path("statistics/import/", views.statistic_import, name="statistic_import"),
    path("statistics/template.xlsx", views.statistic_template, name="statistic_template"),
]
