import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import Action, can_anywhere
from core.api.filters import IdFilter, YearFilter
from partnerships import selectors, services
from partnerships.api.serializers import (
    AgreementListSerializer,
    AgreementSerializer,
    PartnerSerializer,
    TransitionSerializer,
)
from partnerships.models import Agreement, Partner


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Name (diacritics ignored)")
    kind = django_filters.ChoiceFilter(choices=Partner.Kind.choices)

    class Meta:
        model = Partner
        fields = ["kind", "parent", "q"]

    def filter_search(self, queryset, name, value):
        from core.text import fold

        return queryset.filter(search_name__contains=fold(value))


class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Partners: every signed-in user reads them; province staff and admins write them."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    ordering_fields = ["name", "kind"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.partner_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.partner_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.partner_update(
            by=self.request.user, partner=serializer.instance, **serializer.validated_data
        )


class AgreementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices)
    partner = IdFilter(method="noop", label="Partner id (or its parent)")
    province = IdFilter(method="noop", label="Org unit id: a union party in its subtree")
    year = YearFilter(method="noop", label="The phase covers this year")
    q = django_filters.CharFilter(method="noop", label="Text search (diacritics ignored)")

    class Meta:
        model = Agreement
        fields = ["status", "kind", "partner", "province", "year", "q"]

    def noop(self, queryset, name, value):
        return queryset  # applied by the selector, with the page's own rules

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        filters = selectors.AgreementFilters(
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            partner=data.get("partner"),
            province=data.get("province"),
            year=data.get("year"),
            q=data.get("q") or "",
        )
        return selectors.agreement_list(user=self.request.user, filters=filters)


def _party_inputs(items):
    return [
        services.PartyInput(
            id=p.get("id"),
            org_unit=p.get("org_unit"),
            partner=p.get("partner"),
            role=p.get("role", "signatory"),
            signatory_name=p.get("signatory_name", ""),
            signatory_title=p.get("signatory_title", ""),
        )
        for p in items
    ]


def _objective_inputs(items):
    return [
        services.ObjectiveInput(
            id=o.get("id"),
            number=o["number"],
            text=o["text"],
            area=o["area"],
            commitments=[
                services.CommitmentInput(
                    id=c.get("id"),
                    text=c["text"],
                    party_number=c.get("party_number"),
                    owner=c.get("owner", ""),
                    due_date=c.get("due_date"),
                    recurrence=c.get("recurrence", "once"),
                )
                for c in o.get("commitments", [])
            ],
            targets=[
                services.TargetInput(
                    id=t.get("id"),
                    indicator=t["indicator"],
                    org_unit=t["org_unit"],
                    baseline=t.get("baseline"),
                    target_value=t["target_value"],
                    deadline=t["deadline"],
                    direction=t.get("direction"),
                    responsible_partner=t.get("responsible_partner"),
                )
                for t in o.get("targets", [])
            ],
        )
        for o in items
    ]


def _service_kwargs(data: dict) -> dict:
    kwargs = {name: data[name] for name in services.AGREEMENT_FIELDS if name in data}
    if "parties" in data:
        kwargs["parties"] = _party_inputs(data["parties"])
    if "objectives" in data:
        kwargs["objectives"] = _objective_inputs(data["objectives"])
    return kwargs


class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Agreements in the caller's scope (their units' and their ancestors'); writes need MANAGE."""

    filterset_class = AgreementFilter
    ordering_fields = ["start_date", "end_date", "title", "signed_on", "status"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.agreement_list(user=self.request.user)
        return selectors.agreements_visible(self.request.user)

    def get_serializer_class(self):
        return AgreementListSerializer if self.action == "list" else AgreementSerializer

    def get_object(self):
        return selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        # Refused before the body is read: a leader is told 403, not which target unit is outside.
        if not can_anywhere(request.user, Action.MANAGE):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        if not can_anywhere(self.request.user, Action.MANAGE):
            raise PermissionDenied
        kwargs = _service_kwargs(serializer.validated_data)
        kwargs.setdefault("parties", [])
        created = services.agreement_create(by=self.request.user, **kwargs)
        serializer.instance = selectors.agreement_get(user=self.request.user, pk=created.pk)

    def perform_update(self, serializer):
        agreement = serializer.instance
        services.agreement_update(
            by=self.request.user, agreement=agreement, **_service_kwargs(serializer.validated_data)
        )
        serializer.instance = selectors.agreement_get(user=self.request.user, pk=agreement.pk)

    @extend_schema(request=TransitionSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the agreement to another status; an illegal move is a 400 with the reason."""
        agreement = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agreement_transition(by=request.user, agreement=agreement, to=body.validated_data["to"])
        return Response(AgreementSerializer(selectors.agreement_get(user=request.user, pk=agreement.pk)).data)
