"""Related ids limited to what the caller may link to.

A writable relation names a row by id; the row must be one ``choices_for(user, model, action)``
offers, or the id reads as "does not exist" (a missing row and a row elsewhere look the same).
``tests/core/test_api_related_fields.py`` tries an out-of-scope id on every writable relation
of every serializer the API routes.
"""

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
