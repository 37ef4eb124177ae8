from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("data-inventory/", views.data_inventory, name="data_inventory"),
]
