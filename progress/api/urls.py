from rest_framework.routers import DefaultRouter

from progress.api.views import IndicatorViewSet, ProgressViewSet

router = DefaultRouter()
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("progress", ProgressViewSet, basename="progress")
urlpatterns = router.urls
