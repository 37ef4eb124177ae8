from core.api.routers import PortalRouter
from volunteers.api.views import ActivityViewSet, MembershipViewSet, TeamViewSet, VolunteerViewSet

router = PortalRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("volunteers", VolunteerViewSet, basename="volunteer")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("activities", ActivityViewSet, basename="activity")
urlpatterns = router.urls
