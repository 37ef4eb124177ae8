import django_filters
from rest_framework import mixins, viewsets

from accounts.access import Action, scope_for
from core.api.filters import IdFilter
from org.models import OrgUnit
from portal.units.serializers import OrgUnitSerializer


class OrgUnitFilter(django_filters.FilterSet):
    # Bounded like the id column: a huge number would overflow the database integer (a 500).
    parent = IdFilter(field_name="parent_id")
    kind = django_filters.ChoiceFilter(choices=OrgUnit.Kind.choices)
    valid_on = django_filters.DateFilter(method="filter_valid_on", label="Valid on (YYYY-MM-DD)")
    q = django_filters.CharFilter(method="filter_search", label="Name or code (diacritics ignored)")

    class Meta:
        model = OrgUnit
        fields = ["parent", "kind", "valid_on", "q"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class OrgUnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Org units in the caller's scope (their subtree, plus units merged into it)."""

    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter
    ordering_fields = ["path", "name", "code"]
    ordering = ["path"]

    def get_queryset(self):
        return scope_for(self.request.user, Action.VIEW).units()
