from core.api.routers import PortalRouter
from egov_support.api import views

router = PortalRouter()
router.register("services", views.ServiceViewSet, basename="service")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("service-stats", views.ServiceStatisticViewSet, basename="service-stat")
router.register("help-sessions", views.HelpSessionViewSet, basename="help-session")
urlpatterns = router.urls
