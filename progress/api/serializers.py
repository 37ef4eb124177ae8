from rest_framework import serializers

from partnerships.models import Indicator
from progress.models import Progress


class IndicatorSerializer(serializers.ModelSerializer):
    numerator = serializers.CharField(source="rule.numerator", default=None)
    denominator = serializers.CharField(source="rule.denominator", default=None)
    aggregation = serializers.CharField(source="rule.aggregation", default=None)
    scale = serializers.IntegerField(source="rule.scale", default=None)
    source = serializers.CharField(source="rule.source", default=None)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name_vi",
            "name_en",
            "unit",
            "kind",
            "direction",
            "numerator",
            "denominator",
            "aggregation",
            "scale",
            "source",
        ]


class ProgressSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="org_unit_id")
    unit_name = serializers.CharField(source="org_unit.name")
    indicator = serializers.CharField(source="indicator.code")
    target = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Progress
        fields = [
            "unit",
            "unit_name",
            "indicator",
            "period_kind",
            "period_start",
            "period_end",
            "numerator",
            "denominator",
            "value",
            "target",
            "status",
            "computed_at",
        ]

    def _target(self, row):
        return self.context.get("targets", {}).get((row.org_unit_id, row.indicator_id))

    def get_target(self, row) -> str | None:
        target = self._target(row)
        return None if target is None else str(target.target_value)

    def get_status(self, row) -> str | None:
        target = self._target(row)
        status = getattr(target, "progress_status", None) if target else None
        return status.status if status else None
