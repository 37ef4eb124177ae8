"""The e-government support API: scoped lists, writes through the services."""

import django_filters
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import Action, get_in_scope_or_404
from core.api.filters import IdFilter
from core.api.pagination import PortalCursorPagination
from egov_support import selectors, services
from egov_support.api.serializers import (
    CampaignDetailSerializer,
    CampaignSerializer,
    HelpSessionCreatedSerializer,
    HelpSessionSerializer,
    ServiceSerializer,
    ServiceStatisticSerializer,
)
from egov_support.models import Campaign, HelpSession, LocationKind, ServiceStatistic, StatisticSource
from org.models import OrgUnit

MAX_BULK = 200


def _subtree(queryset, name, value: OrgUnit):
    return queryset.filter(**{f"{name}__path__startswith": value.path})


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The service catalogue (read-only here; staff edit it in admin)."""

    serializer_class = ServiceSerializer
    filterset_fields = ["category", "online_level", "is_active"]
    pagination_class = None

    def get_queryset(self):
        return selectors.service_list(active_only=False)


class CampaignFilter(django_filters.FilterSet):
    org_unit = django_filters.ModelChoiceFilter(queryset=OrgUnit.objects.all(), method=_subtree)
    active_on = django_filters.DateFilter(method="filter_active_on")

    class Meta:
        model = Campaign
        fields = ["org_unit", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


class CampaignViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Campaigns run or joined by units in the caller's scope; created by province staff."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    ordering_fields = ["starts_on", "name"]

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user)

    def get_serializer_class(self):
        return CampaignDetailSerializer if self.action == "retrieve" else CampaignSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.campaign_create(
            by=self.request.user,
            name=data["name"],
            org_unit=data["org_unit"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            theme=data.get("theme", ""),
            description=data.get("description", ""),
            participating_units=data.get("participating_units", []),
        )


class ServiceStatisticFilter(django_filters.FilterSet):
    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method=_subtree, label="Org unit and its subtree"
    )
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")
    source = django_filters.ChoiceFilter(choices=StatisticSource.choices)

    class Meta:
        model = ServiceStatistic
        fields = ["org_unit", "month_from", "month_to", "source"]


class ServiceStatisticViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Official statistics. POST is an upsert on (unit, month, source): 201 when new, 200 otherwise."""

    serializer_class = ServiceStatisticSerializer
    filterset_class = ServiceStatisticFilter
    ordering_fields = ["month", "org_unit__path"]

    def get_queryset(self):
        return selectors.service_statistic_list(user=self.request.user)

    def get_object(self):
        action = Action.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.MANAGE
        statistic = get_in_scope_or_404(
            ServiceStatistic.objects.select_related("org_unit"),
            self.request.user,
            action,
            "org_unit",
            pk=self.kwargs["pk"],
        )
        self.check_object_permissions(self.request, statistic)
        return statistic

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        statistic, result = services.service_statistic_save(
            by=request.user,
            org_unit=data["org_unit"],
            month=data["month"],
            source=data.get("source", StatisticSource.PROVINCIAL_PORTAL),
            dossiers_total=data["dossiers_total"],
            dossiers_online=data["dossiers_online"],
            online_payments=data.get("online_payments"),
            note=data.get("note", ""),
        )
        code = status.HTTP_201_CREATED if result == "created" else status.HTTP_200_OK
        return Response(self.get_serializer(statistic).data, status=code)

    def perform_update(self, serializer):
        serializer.instance = services.service_statistic_update(
            by=self.request.user, statistic=serializer.instance, **serializer.validated_data
        )


class HelpSessionFilter(django_filters.FilterSet):
    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method=_subtree, label="Org unit and its subtree"
    )
    team = IdFilter(field_name="team_id")
    service = django_filters.CharFilter(method="filter_service", label="Service code")
    campaign = IdFilter(field_name="campaign_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    location_kind = django_filters.ChoiceFilter(choices=LocationKind.choices)

    class Meta:
        model = HelpSession
        fields = ["org_unit", "team", "service", "campaign", "date_from", "date_to", "location_kind"]

    def filter_service(self, queryset, name, value):
        return queryset.filter(pk__in=HelpSession.objects.filter(lines__service__code=value).values("pk"))


class HelpSessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Help sessions with their lines nested, on read and on write; scoped to the caller's units."""

    serializer_class = HelpSessionSerializer
    filterset_class = HelpSessionFilter
    ordering_fields = ["date", "created_at"]
    ordering = ["-date", "-id"]
    pagination_class = PortalCursorPagination

    def get_queryset(self):
        return selectors.help_session_list(user=self.request.user, with_volunteers=True)

    def get_object(self):
        return selectors.help_session_get(user=self.request.user, pk=self.kwargs["pk"])

    @staticmethod
    def _service_kwargs(data: dict) -> dict:
        lines = [dict(line) for line in data.get("lines", [])]
        kwargs = {k: v for k, v in data.items() if k != "lines"}
        kwargs.setdefault("volunteers", [])
        return {**kwargs, "lines": lines}

    @extend_schema(responses={201: HelpSessionCreatedSerializer})
    def create(self, request, *args, **kwargs):
        """Log a session; the answer lists its warnings (the same-day duplicate the page asks to confirm)."""
        self._warnings = []
        response = super().create(request, *args, **kwargs)
        response.data["warnings"] = self._warnings
        return response

    def perform_create(self, serializer):
        kwargs = self._service_kwargs(serializer.validated_data)
        warning = services.help_session_duplicate_warning(
            team=kwargs["team"],
            org_unit=kwargs.get("org_unit"),
            location_kind=kwargs["location_kind"],
            address=kwargs.get("address", ""),
            date=kwargs["date"],
            idempotency_key=kwargs.get("idempotency_key"),
        )
        session = services.help_session_create(by=self.request.user, **kwargs)
        if warning is not None:
            self._warnings.append(
                {
                    "code": warning.code,
                    "message": warning.message,
                    "sessions": [s.pk for s in warning.sessions if s.pk != session.pk],
                }
            )
        serializer.instance = selectors.help_session_get(user=self.request.user, pk=session.pk)

    @extend_schema(
        request=HelpSessionSerializer(many=True), responses={201: HelpSessionSerializer(many=True)}
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk_create(self, request):
        """Create many sessions at once: all or nothing, with the errors of each failing item by position."""
        items = request.data if isinstance(request.data, list) else request.data.get("items")
        if not isinstance(items, list) or not items:
            raise serializers.ValidationError({"items": [_("Send a non-empty list of sessions.")]})
        if len(items) > MAX_BULK:
            raise serializers.ValidationError(
                {"items": [_("At most %(n)d sessions per request.") % {"n": MAX_BULK}]}
            )
        errors, valid = {}, []
        for index, item in enumerate(items):
            serializer = self.get_serializer(data=item)
            if serializer.is_valid():
                valid.append((index, self._service_kwargs(serializer.validated_data)))
            else:
                errors[str(index)] = serializer.errors
        # The items that passed the serializer still go through the service (roster, scope, dates), so
        # the answer lists every failing item; any error rolls the whole batch back.
        with transaction.atomic():
            try:
                created = services.help_sessions_bulk_create(by=request.user, items=[kw for _i, kw in valid])
            except services.BulkValidationError as exc:
                created = []
                for position, item_errors in exc.item_errors.items():
                    errors[str(valid[int(position)][0])] = item_errors
            if errors:
                transaction.set_rollback(True)
        if errors:
            ordered = dict(sorted(errors.items(), key=lambda pair: int(pair[0])))
            return Response(
                {"items": ordered, "detail": _("The batch was rejected: nothing was saved.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        sessions = selectors.help_session_list(user=request.user, with_volunteers=True).filter(
            pk__in=[s.pk for s in created]
        )
        return Response(self.get_serializer(sessions, many=True).data, status=status.HTTP_201_CREATED)
