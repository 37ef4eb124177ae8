from django.urls import path

from portal.units import views

app_name = "org"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/report-settings/", views.unit_document_settings, name="unit_document_settings"),
    path("pick/", views.unit_pick, name="unit_pick"),
]
