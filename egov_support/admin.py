"""Admin: scoped by the access layer; staff edit figures here too, through the same services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import DeletesThroughService, ScopedAdminMixin, ScopedChoicesMixin
from core.tabular import Column, Kind, xlsx_response
from egov_support import services, statistics_import
from egov_support.models import (
    Campaign,
    FollowUpContact,
    HelpSession,
    Service,
    ServiceLine,
    ServiceStatistic,
    StatisticImport,
)


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    """The catalogue is shared by every province: only system administrators change it."""

    list_display = ["code", "name_vi", "name_en", "category", "online_level", "sort_order", "is_active"]
    list_filter = ["category", "online_level", "is_active"]
    search_fields = ["code", "name_vi", "name_en"]
    list_editable = ["sort_order", "is_active"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Campaign)
class CampaignAdmin(DeletesThroughService, ScopedAdminMixin, SimpleHistoryAdmin):
    scope_unit_field = "org_unit"
    list_display = ["name", "org_unit", "starts_on", "ends_on"]
    search_fields = ["name", "theme"]
    autocomplete_fields = ["org_unit", "participating_units"]
    list_select_related = ["org_unit"]
    # Targets and tagged activities are run on the campaign's page, through the services (which mark
    # the rollup); the admin keeps the campaign's own fields, saved through the same services.
    exclude = ["activities"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in CAMPAIGN_FIELDS if name in form.cleaned_data}
        if change:
            services.campaign_update(by=request.user, campaign=obj, **fields)
            return
        campaign = services.campaign_create(by=request.user, **fields)
        obj.pk, obj._state.adding = campaign.pk, False

    def save_related(self, request, form, formsets, change):
        """The participating units were set by the service (it checks each one); nothing else to save."""

    def delete_through(self, request, obj):
        services.campaign_delete(by=request.user, campaign=obj)


CAMPAIGN_FIELDS = ("name", "org_unit", "starts_on", "ends_on", "theme", "description", "participating_units")
_SESSION_FORM_FIELDS = (
    "team",
    "org_unit",
    "location_kind",
    "address",
    "date",
    "start_time",
    "end_time",
    "campaign",
    "notes",
)
_LINE_FORM_FIELDS = ("service", *services.LINE_COUNT_FIELDS)


class _RefusedByService(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class _RefusedByServiceForm(forms.ModelForm):
    """The admin form, re-shown with what the service refused (a field's error on the field)."""

    service_errors: dict = {}

    def clean(self):
        cleaned = super().clean()
        for field, messages in self.service_errors.items():
            self.add_error(field if field in self.fields else None, messages)
        return cleaned


class ServiceLineInline(ScopedChoicesMixin, admin.TabularInline):
    model = ServiceLine
    extra = 0
    fields = list(_LINE_FORM_FIELDS)  # every count the service keeps: it replaces the lines

    # A session's lines are part of the session: whoever may change the session (its scope, not
    # Django's per-model permissions, which the portal does not use) edits them.
    def _session_admin(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._session_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        session_admin = self._session_admin()
        if obj is None:
            return session_admin.has_add_permission(request)
        return session_admin.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._session_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._session_admin().has_change_permission(request, obj)


@admin.register(HelpSession)
class HelpSessionAdmin(DeletesThroughService, ScopedAdminMixin, SimpleHistoryAdmin):
    scope_unit_field = "org_unit"
    list_display = ["date", "team", "org_unit", "location_kind", "campaign"]
    list_filter = ["location_kind", "campaign", "date"]
    search_fields = ["team__name", "org_unit__name", "address"]
    date_hierarchy = "date"
    raw_id_fields = ["team", "campaign"]
    autocomplete_fields = ["org_unit"]
    filter_horizontal = ["volunteers"]
    readonly_fields = ["idempotency_key", "created_by", "contacts_purged_at"]
    list_select_related = ["team", "org_unit", "campaign"]
    inlines = [ServiceLineInline]
    actions = ["export_xlsx"]

    # One write path: the session, its lines and who was present are written by the services
    # (help_session_create / help_session_update / help_session_delete) in the admin's transaction;
    # the dirty marks, the stored totals and the history come from them. The service's refusals
    # (a volunteer not on the roster, a future date…) come back on the form, the input kept.

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "_help_session_refused", None)
        if refused is None:
            return form
        return type(form.__name__, (_RefusedByServiceForm, form), {"service_errors": refused})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _RefusedByService as refused:
            # The admin's transaction rolled back; the same POST again, the form showing the errors.
            request._help_session_refused = refused.errors
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Nothing here: ``save_related`` saves the session with its lines, through the service."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in _SESSION_FORM_FIELDS if name in data}
        lines = []
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is not ServiceLine:
                continue
            for line_form in formset.forms:
                if formset._should_delete_form(line_form) or not line_form.cleaned_data:
                    continue
                if line_form.instance.pk is None and not line_form.has_changed():
                    continue
                lines.append({name: line_form.cleaned_data.get(name) for name in _LINE_FORM_FIELDS})
        try:
            if change:
                stored = HelpSession.objects.select_related("team__org_unit").get(pk=form.instance.pk)
                session = services.help_session_update(
                    by=request.user,
                    session=stored,
                    lines=lines,
                    volunteers=data.get("volunteers", ()),
                    **fields,
                )
            else:
                session = services.help_session_create(
                    by=request.user, lines=lines, volunteers=data.get("volunteers", ()), **fields
                )
        except ValidationError as exc:
            raise _RefusedByService(exc.message_dict) from exc
        form.instance.pk = session.pk  # the log entry and the redirect name the saved session

    def delete_through(self, request, obj):
        services.help_session_delete(by=request.user, session=obj)

    @admin.action(description=_("Export the selected sessions to Excel"))
    def export_xlsx(self, request, queryset):
        rows = [
            [
                s.date,
                s.team.name,
                s.org_unit.name,
                s.get_location_kind_display(),
                line.service.name,
                line.citizens_assisted,
                line.dossiers_online,
                line.successful,
            ]
            for s in queryset.prefetch_related("lines__service")
            for line in s.lines.all()
        ]
        header = [
            _("Date"),
            _("Team"),
            _("Unit"),
            _("Place"),
            _("Service"),
            Column(_("Citizens assisted"), Kind.INTEGER),
            Column(_("Dossiers submitted online"), Kind.INTEGER),
            Column(_("Successful completions"), Kind.INTEGER),
        ]
        return xlsx_response("help-sessions.xlsx", [(_("Help sessions"), header, rows)])


@admin.register(FollowUpContact)
class FollowUpContactAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_unit_field = "session__team__org_unit"
    list_display = ["name", "session", "purge_on", "consent_recorded_at"]
    raw_id_fields = ["session"]
    readonly_fields = ["consent_recorded_at", "consent_recorded_by"]

    def has_add_permission(self, request, *args):
        return False  # added from the session page, where consent is recorded


@admin.register(ServiceStatistic)
class ServiceStatisticAdmin(DeletesThroughService, ScopedAdminMixin, SimpleHistoryAdmin):
    scope_unit_field = "org_unit"
    list_display = ["org_unit", "month", "source", "dossiers_total", "dossiers_online", "online_payments"]
    list_filter = ["source", "month"]
    search_fields = ["org_unit__name", "org_unit__code"]
    autocomplete_fields = ["org_unit"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]
    list_select_related = ["org_unit"]
    actions = ["export_xlsx"]

    def save_model(self, request, obj, form, change):
        """Through the service: the scope check, the upsert and the dirty mark happen in one place."""
        saved, _status = services.service_statistic_save(
            by=request.user,
            org_unit=obj.org_unit,
            month=obj.month,
            source=obj.source,
            dossiers_total=obj.dossiers_total,
            dossiers_online=obj.dossiers_online,
            online_payments=obj.online_payments,
            note=obj.note,
        )
        obj.pk = saved.pk

    def delete_through(self, request, obj):
        services.service_statistic_delete(by=request.user, statistic=obj)

    @admin.action(description=_("Export the selected statistics to Excel"))
    def export_xlsx(self, request, queryset):
        rows = [
            [
                s.org_unit.code,
                s.org_unit.name,
                s.month.strftime("%m/%Y"),
                s.dossiers_total,
                s.dossiers_online,
                s.online_payments,
                s.source,
            ]
            for s in queryset.select_related("org_unit")
        ]
        return xlsx_response(
            "official-statistics.xlsx", [(_("Statistics"), statistics_import.SHEET.header(), rows)]
        )


@admin.register(StatisticImport)
class StatisticImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "uploaded_by", "imported_at", "created", "updated", "unchanged"]
    readonly_fields = list_display

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
