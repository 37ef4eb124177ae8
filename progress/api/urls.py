from core.api.routers import PortalRouter
from progress.api.views import IndicatorViewSet, ProgressViewSet

router = PortalRouter()
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("progress", ProgressViewSet, basename="progress")
urlpatterns = router.urls
