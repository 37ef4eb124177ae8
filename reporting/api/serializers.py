from rest_framework import serializers


class ReportingStatusSerializer(serializers.Serializer):
    """One commune's status for the period (a ``reporting.selectors.StatusRow``)."""

    unit = serializers.IntegerField(source="unit.pk")
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    reported = serializers.BooleanField()
    team_count = serializers.IntegerField()
    teams = serializers.ListField(child=serializers.CharField())
    last_report_at = serializers.DateTimeField(allow_null=True)
    missed = serializers.IntegerField(
        allow_null=True, help_text="Periods missed in a row up to this one (null: never reported)."
    )
    leader_name = serializers.SerializerMethodField()
    leader_phone = serializers.SerializerMethodField()
    reminded_at = serializers.SerializerMethodField()

    def get_leader_name(self, row) -> str:
        return (row.contact or {}).get("name", "")

    def get_leader_phone(self, row) -> str:
        return (row.contact or {}).get("phone", "")

    def get_reminded_at(self, row) -> str | None:
        return row.reminders[-1].created_at.isoformat() if row.reminders else None
