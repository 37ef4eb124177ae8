"""Fields the API shares: local times, months. (Scoped related ids live in ``accounts.api_fields``:
they need the access layer, which sits above this app.)"""

import datetime
import re

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.tabular import parse_month

_TIME_WITH_OFFSET = re.compile(r"(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<offset>Z|[+-]\d{2}:?\d{2})")


class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the portal's time zone, answered as RFC 3339 ``full-time``
    ("08:30:00+07:00"), which is what the schema's ``format: time`` means. Accepted: "08:30",
    "08:30:00" (local time) or with an offset ("01:30:00Z"), converted to local time."""

    def to_representation(self, value):
        if value in (None, ""):
            return None
        moment = datetime.datetime.combine(
            timezone.localdate(), value, tzinfo=timezone.get_current_timezone()
        )
        offset = moment.strftime("%z")
        return f"{value.replace(microsecond=0).isoformat()}{offset[:3]}:{offset[3:]}"

    def to_internal_value(self, value):
        match = _TIME_WITH_OFFSET.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None:
            return super().to_internal_value(value)
        local = super().to_internal_value(match["time"])
        offset = match["offset"].replace("Z", "+00:00")
        try:
            zone = datetime.datetime.strptime(offset.replace(":", ""), "%z").tzinfo
        except ValueError:
            self.fail("invalid", format="hh:mm[:ss[+hh:mm]]")
        moment = datetime.datetime.combine(timezone.localdate(), local, tzinfo=zone)
        return timezone.localtime(moment).time().replace(tzinfo=None)


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month as "YYYY-MM" (also "mm/yyyy" or a date); always answered as "YYYY-MM"."""

    def to_representation(self, value: datetime.date) -> str:
        return value.strftime("%Y-%m")

    def to_internal_value(self, data) -> datetime.date:
        try:
            return parse_month(data)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc
