from rest_framework.routers import DefaultRouter

from partnerships.api.views import AgreementViewSet, PartnerViewSet

router = DefaultRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("agreements", AgreementViewSet, basename="agreement")
urlpatterns = router.urls
