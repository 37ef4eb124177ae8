"""The volunteers API: scoped lists, 404 outside scope, every write through a service."""

import django_filters
from django.http import Http404
from rest_framework import mixins, viewsets

from accounts.access import Action, scope_for
from core.api.filters import BoundedIntegerFilter, IdFilter
from core.api.pagination import PortalCursorPagination
from volunteers import selectors, services
from volunteers.api.serializers import (
    ActivitySerializer,
    ActivityUpdateSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    TeamSerializer,
    VolunteerSerializer,
)
from volunteers.models import Activity, Membership, Team, Volunteer


def _in_log_scope(user, queryset, unit_field: str, pk: int):
    """The related object a write names, if the user may log for it; else a 404-like error."""
    obj = scope_for(user, Action.LOG).filter(queryset, unit_field).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


class TeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Name (diacritics ignored)")
    unit = django_filters.CharFilter(method="filter_unit", label="Org unit code (with its subtree)")
    active_days = BoundedIntegerFilter(
        min_value=1, max_value=100_000, method="filter_active", label="Active in the last N days"
    )

    class Meta:
        model = Team
        fields = ["kind", "status", "org_unit", "q", "unit", "active_days"]

    def filter_search(self, queryset, name, value):
        from core.text import fold

        return queryset.filter(search_name__contains=fold(value))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(org_unit__path__contains=f"/{value.strip()}/")

    def filter_active(self, queryset, name, value):
        import datetime

        from django.db.models import Exists, OuterRef
        from django.utils import timezone

        since = timezone.localdate() - datetime.timedelta(days=int(value))
        return queryset.filter(Exists(Activity.objects.filter(team=OuterRef("pk"), date__gte=since)))


class TeamViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Volunteer teams in the caller's scope; writes need the log right on the team's unit."""

    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    ordering_fields = ["name", "founded_on"]
    ordering = ["name"]

    def get_queryset(self):
        action = Action.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.LOG
        return selectors.team_list(user=self.request.user, action=action).prefetch_related(
            "organisation_memberships__partner", "agreements"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        org_unit = data.pop("org_unit")
        serializer.instance = services.team_create(by=self.request.user, org_unit=org_unit, **data)

    def perform_update(self, serializer):
        serializer.instance = services.team_update(
            by=self.request.user, team=serializer.instance, **serializer.validated_data
        )


class VolunteerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Name or phone (diacritics ignored)")
    skill = django_filters.CharFilter(field_name="skills__name", lookup_expr="iexact")
    team = IdFilter(method="filter_team", label="Active member of team (id)")

    class Meta:
        model = Volunteer
        fields = ["home_unit", "sex", "q", "skill", "team"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_team(self, queryset, name, value):
        return queryset.filter(memberships__team_id=value, memberships__left_on__isnull=True)


class VolunteerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Volunteers whose home unit is in the caller's scope."""

    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilter
    ordering_fields = ["sort_name", "given_name", "family_name", "created_at"]
    ordering = ["sort_name", "id"]
    pagination_class = PortalCursorPagination

    def get_queryset(self):
        action = Action.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.LOG
        return (
            scope_for(self.request.user, action)
            .filter(Volunteer.objects.all(), "home_unit")
            .select_related("home_unit")
            .prefetch_related("skills")
            .distinct()
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        skills = services.skills_from_names(data.pop("skill_names", []))
        serializer.instance = services.volunteer_create(by=self.request.user, skills=skills, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        names = data.pop("skill_names", None)
        skills = services.skills_from_names(names) if names is not None else None
        serializer.instance = services.volunteer_update(
            by=self.request.user, volunteer=serializer.instance, skills=skills, **data
        )


class MembershipFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull")

    class Meta:
        model = Membership
        fields = ["team", "volunteer", "role", "active"]


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Memberships of teams in scope. PATCH ``left_on`` ends one; ``role`` changes the role."""

    filterset_class = MembershipFilter
    ordering_fields = ["joined_on"]

    def get_serializer_class(self):
        return (
            MembershipUpdateSerializer
            if self.action in ("update", "partial_update")
            else MembershipSerializer
        )

    def get_queryset(self):
        action = Action.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.LOG
        return scope_for(self.request.user, action).filter(
            Membership.objects.select_related("team__org_unit"), "team__org_unit"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        team = _in_log_scope(user, Team.objects.all(), "org_unit", data["team"].pk)
        volunteer = _in_log_scope(user, Volunteer.objects.all(), "home_unit", data["volunteer"].pk)
        serializer.instance = services.membership_create(
            by=user,
            team=team,
            volunteer=volunteer,
            role=data.get("role", "member"),
            joined_on=data.get("joined_on"),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        membership = serializer.instance
        if "role" in data:
            membership = services.membership_update(
                by=self.request.user, membership=membership, role=data["role"]
            )
        if data.get("left_on"):
            membership = services.membership_end(
                by=self.request.user, membership=membership, left_on=data["left_on"]
            )
        serializer.instance = membership


class ActivityFilter(django_filters.FilterSet):
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ["team", "kind", "date_after", "date_before"]


class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Team activities in scope. Send an ``idempotency_key`` to make a create safe to retry."""

    filterset_class = ActivityFilter
    ordering_fields = ["date", "created_at"]
    ordering = ["-date", "-id"]
    pagination_class = PortalCursorPagination

    def get_serializer_class(self):
        return ActivityUpdateSerializer if self.action in ("update", "partial_update") else ActivitySerializer

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return selectors.activity_list(user=self.request.user)
        return scope_for(self.request.user, Action.LOG).filter(
            Activity.objects.select_related("team__org_unit"), "team__org_unit"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        team = _in_log_scope(
            self.request.user, Team.objects.select_related("org_unit"), "org_unit", data.pop("team").pk
        )
        activity, _created = services.activity_create(
            by=self.request.user, team=team, idempotency_key=data.pop("idempotency_key", None), **data
        )
        serializer.instance = activity

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("idempotency_key", None)
        serializer.instance = services.activity_update(
            by=self.request.user, activity=serializer.instance, **data
        )
