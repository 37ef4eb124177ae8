"""API shapes of the monthly sign-off; the steps go through signoff.services from the views."""

from rest_framework import serializers

from accounts.access import Action
from accounts.api_fields import ScopedRelatedField
from core.api.fields import MonthField
from org.models import OrgUnit
from signoff.models import MonthSignoff, SignoffEvent


class SignoffEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", default=None, read_only=True)

    class Meta:
        model = SignoffEvent
        fields = ["action", "by", "at", "reason", "note"]
        read_only_fields = fields


class MonthSignoffSerializer(serializers.ModelSerializer):
    """A unit's month. POST (org_unit, month as "YYYY-MM", note) submits it."""

    org_unit = ScopedRelatedField(model=OrgUnit, action=Action.LOG)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    month = MonthField()
    events = SignoffEventSerializer(many=True, read_only=True)

    class Meta:
        model = MonthSignoff
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "month",
            "status",
            "note",
            "submitted_at",
            "decided_at",
            "reason",
            "events",
        ]
        read_only_fields = ["status", "submitted_at", "decided_at", "reason", "events"]
        validators = []  # submitting again after a return is the service's decision, not a conflict


class SignoffDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
