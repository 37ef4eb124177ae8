import re

from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

from partnerships.models import Indicator
from progress import selectors
from progress.api.serializers import IndicatorSerializer, ProgressSerializer

PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The indicator catalogue with how each indicator is computed."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.select_related("rule").order_by("code")
    filter_backends: list = []


class ProgressViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Rolled-up values in the caller's scope: ``?unit=<id>&indicator=<code>&period=<YYYY or YYYY-MM>``.

    A unit outside the caller's scope answers 404, as if it did not exist.
    """

    serializer_class = ProgressSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        unit_id = params.get("unit")
        if unit_id is not None:
            if not unit_id.isdigit():
                raise ValidationError({"unit": "An org unit id."})
            unit_id = selectors.unit_get(user=self.request.user, pk=int(unit_id)).pk
        indicator = params.get("indicator")
        period = params.get("period")
        if period and not PERIOD.match(period):
            raise ValidationError({"period": "YYYY or YYYY-MM."})
        return selectors.progress_list(
            user=self.request.user, unit_id=unit_id, indicator=indicator, period=period
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        indicator = request.query_params.get("indicator")
        if not page and indicator and not Indicator.objects.filter(code=indicator).exists():
            # Checked only when nothing matched: a misspelt code is an error, not "no data yet".
            raise ValidationError(
                {"indicator": f"Unknown indicator code {indicator!r}: see /api/v1/indicators/."}
            )
        targets = selectors.targets_for_units_and_indicators({(r.org_unit_id, r.indicator_id) for r in page})
        serializer = self.get_serializer(page, many=True, context={"request": request, "targets": targets})
        return self.get_paginated_response(serializer.data)
