from django.urls import path

from signoff import views

app_name = "signoff"
urlpatterns = [
    path("sign-off/", views.month_overview, name="month_overview"),
    path("sign-off/units/<int:pk>/", views.unit_months, name="unit_months"),
    path("sign-off/units/<int:pk>/<int:year>-<int:month>/<slug:step>/", views.month_step, name="month_step"),
]
