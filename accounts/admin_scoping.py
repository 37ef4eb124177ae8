"""Django admin, scoped by the same access layer as pages and the API.

Non-superusers see only rows in their view scope and change only rows in their manage scope;
org-unit choices in forms are limited to units they manage. Django's per-model permissions are
not used for this: roles on org units are the one source of truth.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.text import capfirst

from accounts.access import Action, can, can_anywhere, scope_for
from org.models import OrgUnit


class ScopedAdminMixin:
    #: Path to the OrgUnit that owns a row ("org_unit", "team__org_unit"); None when the model is OrgUnit.
    scope_unit_field: str | None = "org_unit"

    def _unit_of(self, obj):
        if obj is None:
            return None
        if self.scope_unit_field is None:
            return obj
        value = obj
        for part in self.scope_unit_field.split("__"):
            value = getattr(value, part, None)
        return value

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scope_for(request.user, Action.VIEW).filter(queryset, self.scope_unit_field).distinct()

    def has_module_permission(self, request):
        return request.user.is_superuser or can_anywhere(request.user, Action.MANAGE)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if obj is None:
            return can_anywhere(request.user, Action.MANAGE)
        return can(request.user, Action.VIEW, self._unit_of(obj))

    def has_add_permission(self, request, *args):
        return request.user.is_superuser or can_anywhere(request.user, Action.MANAGE)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if obj is None:
            return can_anywhere(request.user, Action.MANAGE)
        return can(request.user, Action.MANAGE, self._unit_of(obj))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def _out_of_scope(self, request, object_id) -> bool:
        return not request.user.is_superuser and self.get_object(request, unquote(object_id)) is None

    # django-simple-history finds a row outside the queryset through its history and answers 403,
    # which tells a probing user the row exists; outside the scope the history answers like the change
    # page: "does not exist" (a redirect to the list).
    def history_view(self, request, object_id, extra_context=None):
        if self._out_of_scope(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        # The history list shows old → new values: personal ones are masked (PERSONAL_DATA).
        personal = getattr(self.model, "PERSONAL_DATA", {})
        masked = [str(capfirst(self.opts.get_field(name).verbose_name)) for name in personal]
        extra_context = {**(extra_context or {}), "masked_fields": masked}
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self._out_of_scope(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is OrgUnit and not request.user.is_superuser:
            kwargs["queryset"] = scope_for(request.user, Action.MANAGE).units()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass
