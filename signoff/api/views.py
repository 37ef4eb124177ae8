import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import Action, get_in_scope_or_404
from core.api.filters import IdFilter
from core.tabular import parse_month
from signoff import selectors, services
from signoff.api.serializers import MonthSignoffSerializer, SignoffDecisionSerializer
from signoff.models import MonthSignoff, SignoffStatus


class MonthSignoffFilter(django_filters.FilterSet):
    org_unit = IdFilter(field_name="org_unit_id")
    month = django_filters.CharFilter(method="filter_month", label="Month (YYYY-MM)")
    status = django_filters.ChoiceFilter(choices=SignoffStatus.choices)

    class Meta:
        model = MonthSignoff
        fields = ["org_unit", "month", "status"]

    def filter_month(self, queryset, name, value):
        try:
            return queryset.filter(month=parse_month(value))
        except ValueError:
            return queryset.none()


class MonthSignoffViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Units' months in the caller's scope. POST submits a month and ``withdraw`` takes a submitted
    one back to correct it (leaders); approve, return and unlock are the province staff's steps
    (return and unlock need a ``reason``)."""

    serializer_class = MonthSignoffSerializer
    filterset_class = MonthSignoffFilter
    ordering_fields = ["month", "org_unit__path"]

    def get_queryset(self):
        return selectors.signoff_list(user=self.request.user).prefetch_related("events__by")

    def get_object(self):
        return get_in_scope_or_404(
            self.get_queryset(), self.request.user, Action.VIEW, "org_unit", pk=self.kwargs["pk"]
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        signoff = services.month_submit(
            by=self.request.user, org_unit=data["org_unit"], month=data["month"], note=data.get("note", "")
        )
        serializer.instance = self.get_queryset().get(pk=signoff.pk)

    def _step(self, request, step):
        signoff = self.get_object()
        decision = SignoffDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        if step in (services.month_approve, services.month_withdraw):
            step(by=request.user, signoff=signoff)
        else:
            step(by=request.user, signoff=signoff, reason=decision.validated_data["reason"])
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses={200: MonthSignoffSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take a submitted month back, not yet decided, to correct its figures (the unit's leader)."""
        return self._step(request, services.month_withdraw)

    @extend_schema(request=SignoffDecisionSerializer, responses={200: MonthSignoffSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted month: its figures are locked."""
        return self._step(request, services.month_approve)

    @extend_schema(request=SignoffDecisionSerializer, responses={200: MonthSignoffSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_month(self, request, pk=None):
        """Send a submitted month back to the unit, with the reason."""
        return self._step(request, services.month_return)

    @extend_schema(request=SignoffDecisionSerializer, responses={200: MonthSignoffSerializer})
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        """Open an approved month for corrections, with the reason."""
        return self._step(request, services.month_unlock)
