"""API shapes: flat lists, nested objectives/commitments/targets on an agreement's detail.

Writes are validated here for shape only; ``views`` turn them into service inputs.
"""

from rest_framework import serializers

from accounts.access import Action
from accounts.api_fields import ScopedRelatedField
from org.models import OrgUnit
from partnerships.models import (
    Agreement,
    AgreementAttendee,
    AgreementParty,
    Commitment,
    Indicator,
    Objective,
    Partner,
    Target,
)


class PartnerSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Partner
        fields = ["id", "kind", "name", "short_name", "parent"]


class PartySerializer(serializers.ModelSerializer):
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), allow_null=True, required=False
    )
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), allow_null=True, required=False
    )
    name = serializers.CharField(read_only=True)
    id = serializers.IntegerField(required=False)

    class Meta:
        model = AgreementParty
        fields = [
            "id",
            "position",
            "org_unit",
            "partner",
            "name",
            "role",
            "signatory_name",
            "signatory_title",
        ]
        read_only_fields = ["position"]


class CommitmentSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    party = serializers.PrimaryKeyRelatedField(read_only=True)
    party_number = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="1-based position of the party (write)."
    )

    class Meta:
        model = Commitment
        fields = ["id", "party", "party_number", "text", "owner", "due_date", "recurrence", "status"]
        read_only_fields = ["status"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["party_number"] = instance.party.position if instance.party_id else None
        return data


class TargetUnitField(ScopedRelatedField):
    """A target's unit: one the caller manages, or one the agreement's targets already use (kept as
    they are; the service refuses changing or removing them). Naming another province's union as a
    party gives no right to set targets on its dashboard: only administrators do that."""

    def get_queryset(self):
        queryset = super().get_queryset()
        agreement = self.root.instance
        if isinstance(agreement, Agreement):
            used = OrgUnit.objects.filter(targets__objective__agreement=agreement).values("pk")
            queryset = (queryset | OrgUnit.objects.filter(pk__in=used)).distinct()
        return queryset


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class SuccessionSerializer(serializers.Serializer):
    """Who carries a dissolved party's agreement on, from which day (and the party it replaces)."""

    id = serializers.IntegerField(source="unit.pk", read_only=True)
    code = serializers.CharField(source="unit.code", read_only=True)
    name = serializers.CharField(source="unit.name", read_only=True)
    since = serializers.DateField(read_only=True)
    predecessor = UnitRefSerializer(read_only=True)


class TargetSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    org_unit = TargetUnitField(model=OrgUnit, action=Action.MANAGE)
    direction = serializers.ChoiceField(choices=Indicator.Direction.choices, required=False, allow_null=True)
    responsible_partner = ScopedRelatedField(
        model=Partner,
        action=Action.MANAGE,
        allow_null=True,
        required=False,
        help_text="A partner or department that commits to the target (besides the union unit).",
    )
    # Read only: where the target stands (the rollup's last run) and whose figures it counts.
    actual = serializers.SerializerMethodField(help_text="Value so far; null before any figure.")
    status = serializers.SerializerMethodField(
        help_text="achieved, on_track, at_risk, off_track, no_data; null before the rollup ran."
    )
    measured_unit = UnitRefSerializer(read_only=True)
    measured_until = serializers.DateField(
        source="handed_over_on",
        read_only=True,
        allow_null=True,
        help_text="Last day the target's own unit is counted; its successor's figures after it "
        "(null when the unit outlives the target).",
    )

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "org_unit",
            "baseline",
            "target_value",
            "deadline",
            "direction",
            "responsible_partner",
            "actual",
            "status",
            "measured_unit",
            "measured_until",
        ]

    @staticmethod
    def _progress(target):
        return getattr(target, "progress_status", None) if isinstance(target, Target) else None

    def get_actual(self, target) -> str | None:
        progress = self._progress(target)
        value = progress.value if progress is not None else None
        return None if value is None else str(value)

    def get_status(self, target) -> str | None:
        progress = self._progress(target)
        return progress.status if progress is not None else None


class ObjectiveSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    commitments = CommitmentSerializer(many=True, required=False)
    targets = TargetSerializer(many=True, required=False)

    class Meta:
        model = Objective
        fields = ["id", "number", "text", "area", "commitments", "targets"]
        validators = []  # (agreement, number) is checked by the service


class AttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementAttendee
        fields = ["role", "name", "title", "organisation"]
        read_only_fields = fields


class AgreementListSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    carried_by = SuccessionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "status",
            "signed_on",
            "start_date",
            "end_date",
            "follows",
            "parties",
            "carried_by",
            "is_illustrative",
        ]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, required=False)
    objectives = ObjectiveSerializer(many=True, required=False)
    follows = ScopedRelatedField(model=Agreement, action=Action.VIEW, allow_null=True, required=False)
    has_document = serializers.SerializerMethodField()
    carried_by = SuccessionSerializer(read_only=True, allow_null=True)
    attendees = AttendeeSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "status",
            "is_illustrative",
            "signed_on",
            "signed_place",
            "start_date",
            "end_date",
            "summary",
            "legal_references",
            "follows",
            "has_document",
            "parties",
            "attendees",
            "carried_by",
            "objectives",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "is_illustrative", "created_at", "updated_at"]

    def get_has_document(self, obj) -> bool:
        return bool(obj.document)

    def validate(self, attrs):
        # Model-level checks (dates) run in the service; serializers must not call Model.clean().
        return attrs


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Agreement.Status.choices)
