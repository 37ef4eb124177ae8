"""The API under /api/v1/: the foundation's router, then each app's own api/urls.py."""

from django.urls import include, path

from accounts.api.views import token_view
from core.api.routers import PortalRouter
from portal.units.api import OrgUnitViewSet

router = PortalRouter()
router.register("org-units", OrgUnitViewSet, basename="org-unit")

urlpatterns = [
    path("auth/token/", token_view, name="auth-token"),
    *router.urls,
    path("", include("signoff.api.urls")),
    path("", include("partnerships.api.urls")),
    path("", include("volunteers.api.urls")),
    path("", include("egov_support.api.urls")),
    path("", include("reporting.api.urls")),
    path("", include("progress.api.urls")),
]
