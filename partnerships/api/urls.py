from core.api.routers import PortalRouter
from partnerships.api.views import AgreementViewSet, PartnerViewSet

router = PortalRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("agreements", AgreementViewSet, basename="agreement")
urlpatterns = router.urls
