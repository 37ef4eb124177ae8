from rest_framework.routers import DefaultRouter

from volunteers.api.views import ActivityViewSet, MembershipViewSet, TeamViewSet, VolunteerViewSet

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("volunteers", VolunteerViewSet, basename="volunteer")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("activities", ActivityViewSet, basename="activity")
urlpatterns = router.urls
