"""API shapes; writes go through egov_support.services from the views, never from here."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.access import Action, scope_for
from accounts.api_fields import ScopedRelatedField
from core.api.fields import LocalTimeField, MonthField
from egov_support import selectors
from egov_support.models import Campaign, CampaignTarget, HelpSession, Service, ServiceLine, ServiceStatistic
from org.models import OrgUnit
from volunteers.models import Membership, Team, Volunteer


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "code", "name_vi", "name_en", "category", "online_level", "is_active"]


class CampaignSerializer(serializers.ModelSerializer):
    participating_units = serializers.PrimaryKeyRelatedField(many=True, queryset=OrgUnit.objects.none())
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "theme",
            "org_unit",
            "participating_units",
            "starts_on",
            "ends_on",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["org_unit"].queryset = scope_for(request.user, Action.MANAGE).units()
            self.fields["participating_units"].child_relation.queryset = scope_for(
                request.user, Action.VIEW
            ).units()

    def validate(self, attrs):
        if attrs.get("starts_on") and attrs.get("ends_on") and attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": _("The campaign ends before it starts.")})
        return attrs


class CampaignTargetSerializer(serializers.ModelSerializer):
    """A campaign's target with where it stands: the rollup's figure (``actual``) and ``status``."""

    indicator = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    actual = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    computed_at = serializers.SerializerMethodField()

    class Meta:
        model = CampaignTarget
        fields = [
            "id",
            "indicator",
            "indicator_name",
            "org_unit",
            "org_unit_name",
            "target_value",
            "baseline",
            "is_illustrative",
            "actual",
            "status",
            "computed_at",
        ]
        read_only_fields = fields

    @staticmethod
    def _status(target):
        return getattr(target, "progress_status", None)

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True))
    def get_actual(self, target):
        status = self._status(target)
        return None if status is None or status.value is None else f"{status.value:.4f}"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_status(self, target):
        status = self._status(target)
        return status.status if status else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_computed_at(self, target):
        status = self._status(target)
        return serializers.DateTimeField().to_representation(status.computed_at) if status else None


class CampaignDetailSerializer(CampaignSerializer):
    """One campaign with its targets (the list leaves them out: one query per campaign otherwise)."""

    targets = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "targets"]

    @extend_schema_field(CampaignTargetSerializer(many=True))
    def get_targets(self, campaign):
        return CampaignTargetSerializer(selectors.campaign_targets(campaign=campaign), many=True).data


class ServiceStatisticSerializer(serializers.ModelSerializer):
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    org_unit_code = serializers.CharField(source="org_unit.code", read_only=True)
    month = MonthField()
    online_rate = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ServiceStatistic
        fields = [
            "id",
            "org_unit",
            "org_unit_code",
            "month",
            "source",
            "dossiers_total",
            "dossiers_online",
            "online_payments",
            "online_rate",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators = []  # (unit, month, source) is an upsert key here, not a conflict

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["org_unit"].queryset = scope_for(request.user, Action.MANAGE).units()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # Identity of a row: changed by creating another row, not by editing this one.
            for name in ("org_unit", "month", "source"):
                self.fields[name].read_only = True

    def validate(self, attrs):
        total = attrs.get("dossiers_total", getattr(self.instance, "dossiers_total", None))
        online = attrs.get("dossiers_online", getattr(self.instance, "dossiers_online", None))
        if total is not None and online is not None and online > total:
            raise serializers.ValidationError(
                {"dossiers_online": _("Online dossiers cannot exceed the dossiers received.")}
            )
        return attrs


class ServiceLineSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.filter(is_active=True))

    class Meta:
        model = ServiceLine
        fields = [
            "service",
            "citizens_assisted",
            "dossiers_online",
            "successful",
            "female",
            "male",
            "age_under_30",
            "age_30_59",
            "age_60_plus",
        ]

    def validate(self, attrs):
        line = ServiceLine(**attrs)
        try:
            line.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class HelpSessionSerializer(serializers.ModelSerializer):
    lines = ServiceLineSerializer(many=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none(), required=False)
    volunteers = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Volunteer.objects.all(), required=False
    )
    # Campaigns the caller sees (run in their scope, or with a unit of theirs taking part).
    campaign = ScopedRelatedField(model=Campaign, required=False, allow_null=True)
    # RFC 3339 times ("08:00:00+07:00"), as the schema's format "time" says.
    start_time = LocalTimeField()
    end_time = LocalTimeField()
    idempotency_key = serializers.UUIDField(required=False)
    total_assisted = serializers.IntegerField(read_only=True)
    total_submitted_online = serializers.IntegerField(read_only=True)
    total_successful = serializers.IntegerField(read_only=True)

    class Meta:
        model = HelpSession
        fields = [
            "id",
            "team",
            "org_unit",
            "location_kind",
            "address",
            "date",
            "start_time",
            "end_time",
            "volunteers",
            "campaign",
            "notes",
            "idempotency_key",
            "lines",
            "total_assisted",
            "total_submitted_online",
            "total_successful",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        validators = []  # the idempotency key repeats on purpose; the service answers with the first

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            log_scope = scope_for(request.user, Action.LOG)
            teams = log_scope.filter(Team.objects.all(), "org_unit")
            self.fields["team"].queryset = teams
            self.fields["org_unit"].queryset = log_scope.units()
            # Only people on a roster the caller logs for: other volunteers' ids are simply unknown here.
            self.fields["volunteers"].child_relation.queryset = Volunteer.objects.filter(
                pk__in=Membership.objects.filter(team__in=teams).values("volunteer_id")
            )

    def validate_lines(self, lines):
        if not lines:
            raise serializers.ValidationError(
                _("Add at least one service with the number of citizens assisted.")
            )
        codes = [line["service"].code for line in lines]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("This service is already listed in the session."))
        return lines

    def validate(self, attrs):
        start, end = attrs.get("start_time"), attrs.get("end_time")
        if start and end and end <= start:
            raise serializers.ValidationError({"end_time": _("The end time must be after the start time.")})
        return attrs


class SessionWarningSerializer(serializers.Serializer):
    """A warning the create answer carries (the session was logged): what the page asks to confirm."""

    code = serializers.CharField(help_text="same_day_duplicate")
    message = serializers.CharField()
    sessions = serializers.ListField(
        child=serializers.IntegerField(), help_text="The first few sessions it is about (their ids)."
    )


class HelpSessionCreatedSerializer(HelpSessionSerializer):
    """The 201 answer of a create: the session and its warnings (an empty list when none)."""

    warnings = SessionWarningSerializer(many=True, read_only=True)

    class Meta(HelpSessionSerializer.Meta):
        fields = [*HelpSessionSerializer.Meta.fields, "warnings"]
