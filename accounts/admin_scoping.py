"""Django admin, scoped by the same access layer as pages and the API.

Non-superusers see only rows in their view scope and change only rows in their manage scope;
every foreign-key and many-to-many choice of a form or an inline (``ScopedChoicesMixin``) and of the
autocomplete endpoint (``ScopedAutocompleteJsonView``) comes from ``accounts.choices``: a choice
outside it is refused with the field named. Django's per-model permissions are not used for this:
roles on org units are the one source of truth.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, ManyToManyRawIdWidget
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.access import Action, can, can_anywhere, scope_for
from accounts.choices import choices_for

OUT_OF_SCOPE_CHOICE = _("%(field)s: this choice does not exist or is outside the units you manage.")


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """The raw-id box names the chosen row only when it is a choice the user has: a refused id
    typed by hand is not answered with that row's name."""

    choices_queryset = None

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            allowed = self.choices_queryset is None or self.choices_queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError):
            allowed = False
        return super().label_and_url_for_value(value) if allowed else ("", "")


def scope_choice_field(formfield, db_field, request):
    """Limit a relation's form field to ``choices_for`` (manage rights) and name the field when refused."""
    if formfield is None or not hasattr(formfield, "queryset") or request.user.is_superuser:
        return formfield
    allowed = choices_for(request.user, db_field.related_model, Action.MANAGE)
    formfield.queryset = formfield.queryset.filter(pk__in=allowed.values("pk"))
    label = str(capfirst(db_field.verbose_name)).replace("%", "%%")
    message = str(OUT_OF_SCOPE_CHOICE) % {"field": label}
    formfield.error_messages["invalid_choice"] = message
    formfield.error_messages["invalid_pk_value"] = message
    widget = formfield.widget
    if isinstance(widget, ForeignKeyRawIdWidget) and not isinstance(widget, ManyToManyRawIdWidget):
        scoped = ScopedRawIdWidget(widget.rel, widget.admin_site, widget.attrs, using=widget.db)
        scoped.choices_queryset = formfield.queryset
        formfield.widget = scoped
    return formfield


class ScopedChoicesMixin:
    """Every relation choice of a ModelAdmin or an inline through the access layer (accounts.choices)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return scope_choice_field(formfield, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return scope_choice_field(formfield, db_field, request)


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete answers for any relation of any model: only with its choices."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.user.is_superuser:
            return queryset
        related = self.source_field.remote_field.model
        allowed = choices_for(self.request.user, related, Action.MANAGE)
        return queryset.filter(pk__in=allowed.values("pk"))


def install(site: admin.AdminSite) -> None:
    """Answer the site's autocomplete with ``ScopedAutocompleteJsonView`` (before its URLs are built)."""
    site.autocomplete_view = lambda request: ScopedAutocompleteJsonView.as_view(admin_site=site)(request)


class DeletesThroughService:
    """An admin whose deletes, one ("Delete") or many ("Delete selected"), go through a service.

    Define ``delete_through(request, obj)``. A bulk delete sends every row through it in one
    transaction: one refusal and none is deleted.
    """

    def delete_through(self, request, obj) -> None:
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_through(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through(request, obj)


def changed_fields(form, allowed) -> dict:
    """The fields of an admin form the user changed, with their new values (a service's ``**fields``)."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}


class ScopedAdminMixin(ScopedChoicesMixin):
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

    # A service's refusal the form could not foresee (a month approved and locked…) comes up out of
    # the admin's transaction, which has rolled back: the person sees its message, nothing changed.
    def _refused(self, request, error: ValidationError, to: str) -> HttpResponseRedirect:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(to)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            return self._refused(request, error, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error, request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:  # the "delete selected" action and the other bulk actions
            return super().changelist_view(request, extra_context)
        except ValidationError as error:
            return self._refused(request, error, request.get_full_path())

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


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass
