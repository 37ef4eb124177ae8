from core.api.routers import PortalRouter
from reporting.api.views import ReportingStatusViewSet

router = PortalRouter()
router.register("reporting-status", ReportingStatusViewSet, basename="reporting-status")
urlpatterns = router.urls
