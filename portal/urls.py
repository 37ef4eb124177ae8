from django.urls import path

from portal import pwa, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("data-inventory/", views.data_inventory, name="data_inventory"),
    # The installable app: served from the root so the worker's scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/queue/", pwa.offline_queue, name="offline_queue"),
]
