"""GET /api/v1/reporting-status/?unit=<id>&week=YYYY-Www (or &month=YYYY-MM): the status page's rows."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets

from core.api.pagination import PortalPagination
from org.models import OrgUnit
from reporting import selectors
from reporting.api.serializers import ReportingStatusSerializer
from reporting.views import filters_from, period_from, unit_from

PARAMETERS = [
    OpenApiParameter(
        "unit", OpenApiTypes.INT, description="Org unit id: its communes (default: all in scope)"
    ),
    OpenApiParameter("week", OpenApiTypes.STR, description="ISO week, YYYY-Www (default: this week)"),
    OpenApiParameter("month", OpenApiTypes.STR, description="Month, YYYY-MM"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(selectors.STATUSES)),
    OpenApiParameter("teams", OpenApiTypes.STR, enum=list(selectors.TEAM_FILTERS)),
    OpenApiParameter("q", OpenApiTypes.STR, description="Name (diacritics ignored)"),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(selectors.SORTS)),
]


class ReportingStatusViewSet(viewsets.GenericViewSet):
    serializer_class = ReportingStatusSerializer
    pagination_class = PortalPagination

    def get_queryset(self):
        """The rows are computed per period by the selector, not a queryset: none for the schema."""
        return OrgUnit.objects.none()

    @extend_schema(parameters=PARAMETERS)
    def list(self, request):
        """Every commune in the caller's log scope for the period, with ``period``, ``total`` and
        ``unreported`` beside the page of rows. 400 on a malformed week or month, 404 on a unit
        outside the scope; a role that logs nothing (viewers) gets an empty list."""
        unit = unit_from(request.query_params, request.user)
        period = period_from(request.query_params)  # ValidationError → 400 (core.api.exceptions)
        rows = selectors.reporting_status(
            user=request.user, period=period, unit=unit, **filters_from(request.query_params)
        )
        page = self.paginate_queryset(rows)
        selectors.with_details(page, period=period)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response.data["period"] = {
            "kind": period.kind,
            "code": period.code,
            "start": period.start,
            "end": period.end,
        }
        response.data["total"] = len(rows)
        response.data["unreported"] = sum(1 for row in rows if not row.reported)
        return response
