"""Fields the API shares: related ids limited to what the caller may link to, local times.

A writable relation names a row by id; the row must be one ``choices_for(user, model, action)``
offers, or the id reads as "does not exist" (a missing row and a row elsewhere look the same).
``tests/core/test_api_related_fields.py`` tries an out-of-scope id on every writable relation
of every serializer the API routes.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import Action
from accounts.choices import choices_for

DOES_NOT_EXIST = _("No item with id {pk_value} among those you may choose.")


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of ``model`` the caller may choose with ``action`` rights (``base`` narrows it further)."""

    default_error_messages = {"does_not_exist": DOES_NOT_EXIST}

    def __init__(self, *, model, action: Action = Action.LOG, base=None, **kwargs):
        self.choice_model = model
        self.action = action
        self.base = base
        if not kwargs.get("read_only"):
            kwargs["queryset"] = model._default_manager.none()  # the real one is per request
        super().__init__(**kwargs)

    def allowed(self):
        request = self.context.get("request")
        return choices_for(getattr(request, "user", None), self.choice_model, self.action)

    def get_queryset(self):
        base = self.base.all() if self.base is not None else self.choice_model._default_manager.all()
        return base.filter(pk__in=self.allowed().values("pk"))


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
