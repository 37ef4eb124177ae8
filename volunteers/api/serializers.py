from rest_framework import serializers

from accounts.access import Action, scope_for
from partnerships.selectors import agreements_visible
from volunteers.models import Activity, Membership, Team, Volunteer

# Related objects a write may name, limited to the caller's log scope: one outside it reads as
# "does not exist", exactly like a missing one.
_SCOPED_CHOICES = {
    "team": (Team.objects.all(), "org_unit"),
    "volunteer": (Volunteer.objects.filter(erased_at__isnull=True), "home_unit"),
    "org_unit": (None, None),
    "home_unit": (None, None),
}


class ScopedChoicesMixin:
    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        scope = scope_for(request.user, Action.LOG)
        for name, (queryset, unit_field) in _SCOPED_CHOICES.items():
            field = fields.get(name)
            if field is None or field.read_only or not hasattr(field, "queryset"):
                continue
            field.queryset = scope.units() if queryset is None else scope.filter(queryset, unit_field)
        if "agreements" in fields and not fields["agreements"].read_only:
            fields["agreements"].child_relation.queryset = agreements_visible(request.user, Action.VIEW)
        return fields


class TeamSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    org_unit_code = serializers.CharField(source="org_unit.code", read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    last_activity_on = serializers.DateField(read_only=True, allow_null=True)  # none logged yet
    organisations = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "kind",
            "org_unit",
            "org_unit_code",
            "agreements",
            "organisations",
            "status",
            "dissolved_on",
            "founded_on",
            "decision_number",
            "decision_date",
            "contact_name",
            "contact_phone",
            "contact_email",
            "member_count",
            "last_activity_on",
        ]

    def get_organisations(self, team) -> list[str]:
        return [member.partner.name for member in team.organisation_memberships.all()]


class VolunteerSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    skill_names = serializers.ListField(
        child=serializers.CharField(max_length=80), write_only=True, required=False
    )

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "full_name",
            "family_name",
            "middle_name",
            "given_name",
            "birth_year",
            "sex",
            "phone",
            "email",
            "member_code",
            "home_unit",
            "skills",
            "skill_names",
            "consent_on",
            "consent_purpose",
            "erased_at",
        ]
        read_only_fields = ["erased_at"]
        validators = []  # the service checks uniqueness on the normalised phone


class MembershipSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "volunteer", "team", "role", "joined_on", "left_on"]
        read_only_fields = ["left_on"]
        validators = []  # the service refuses a second active membership


class MembershipUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "role", "left_on"]


class ActivitySerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    idempotency_key = serializers.UUIDField(required=False, allow_null=True, write_only=True)
    # Annotated by the list's selector; an answer to a create or a PATCH counts them (one query).
    photo_count = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "team",
            "date",
            "kind",
            "title",
            "place",
            "participants",
            "volunteers_count",
            "volunteer_hours",
            "note",
            "photo_count",
            "idempotency_key",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}

    def get_photo_count(self, activity) -> int:
        counted = getattr(activity, "photo_count", None)
        return activity.photos.count() if counted is None else counted


class ActivityUpdateSerializer(ActivitySerializer):
    class Meta(ActivitySerializer.Meta):
        read_only_fields = ["team", "created_at"]
