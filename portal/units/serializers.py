from rest_framework import serializers

from org.models import OrgUnit


class OrgUnitSerializer(serializers.ModelSerializer):
    # Null for the root and for units that were not merged: the schema must say so (schemathesis).
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    successor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "parent",
            "path",
            "depth",
            "valid_from",
            "valid_to",
            "successor",
        ]
        read_only_fields = fields
