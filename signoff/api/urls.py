from core.api.routers import PortalRouter
from signoff.api import views

router = PortalRouter()
router.register("month-signoffs", views.MonthSignoffViewSet, basename="month-signoff")
urlpatterns = router.urls
