from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("reporting-status/", views.status, name="status"),
    path("reporting-status/export.xlsx", views.status_export, name="status_export"),
    path("reporting-status/remind/", views.remind, name="remind"),
]
