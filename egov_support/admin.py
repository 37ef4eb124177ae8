"""Admin: scoped by the access layer; staff edit figures here too, through the same services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import ScopedAdminMixin, ScopedChoicesMixin
from core.progress_marks import mark_dirty, mark_dirty_many
from core.tabular import Column, Kind, xlsx_response
from egov_support import services
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
class CampaignAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_unit_field = "org_unit"
    list_display = ["name", "org_unit", "starts_on", "ends_on"]
    search_fields = ["name", "theme"]
    raw_id_fields = ["org_unit"]
    filter_horizontal = ["participating_units"]
    list_select_related = ["org_unit"]


class ServiceLineInline(ScopedChoicesMixin, admin.TabularInline):
    model = ServiceLine
    extra = 0
    fields = ["service", "citizens_assisted", "dossiers_online", "successful", "female", "male"]


@admin.register(HelpSession)
class HelpSessionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_unit_field = "org_unit"
    list_display = ["date", "team", "org_unit", "location_kind", "campaign"]
    list_filter = ["location_kind", "campaign", "date"]
    search_fields = ["team__name", "org_unit__name", "address"]
    date_hierarchy = "date"
    raw_id_fields = ["team", "org_unit", "campaign"]
    filter_horizontal = ["volunteers"]
    readonly_fields = ["idempotency_key", "created_by", "contacts_purged_at"]
    list_select_related = ["team", "org_unit", "campaign"]
    inlines = [ServiceLineInline]
    actions = ["export_xlsx"]

    def save_model(self, request, obj, form, change):
        # Admin edits bypass the phone form, not the rollup: mark the old and the new month dirty.
        old = (
            HelpSession.objects.filter(pk=obj.pk).values_list("org_unit_id", "date").first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        mark_dirty_many([(obj.org_unit_id, obj.date), *([old] if old else [])])

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        mark_dirty(org_unit_id=form.instance.org_unit_id, day=form.instance.date)

    def save_related(self, request, form, formsets, change):
        # Lines (inline) and who was present (m2m) are saved here: the stored totals follow them.
        super().save_related(request, form, formsets, change)
        services.help_session_totals_refresh(session_ids=[form.instance.pk])

    def delete_model(self, request, obj):
        unit_id, day = obj.org_unit_id, obj.date
        super().delete_model(request, obj)
        mark_dirty(org_unit_id=unit_id, day=day)

    def delete_queryset(self, request, queryset):
        pairs = list(queryset.values_list("org_unit_id", "date"))
        super().delete_queryset(request, queryset)
        mark_dirty_many(pairs)

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
class ServiceStatisticAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_unit_field = "org_unit"
    list_display = ["org_unit", "month", "source", "dossiers_total", "dossiers_online", "online_payments"]
    list_filter = ["source", "month"]
    search_fields = ["org_unit__name", "org_unit__code"]
    raw_id_fields = ["org_unit"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]
    list_select_related = ["org_unit"]
    actions = ["export_xlsx"]

    def save_model(self, request, obj, form, change):
        """Through the service: the scope check, the upsert and the dirty mark happen in one place."""
        saved, _status = services.service_statistic_save(
            user=request.user,
            org_unit=obj.org_unit,
            month=obj.month,
            source=obj.source,
            dossiers_total=obj.dossiers_total,
            dossiers_online=obj.dossiers_online,
            online_payments=obj.online_payments,
            note=obj.note,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        unit_id, day = obj.org_unit_id, obj.month
        super().delete_model(request, obj)
        mark_dirty(org_unit_id=unit_id, day=day)

    def delete_queryset(self, request, queryset):
        pairs = list(queryset.values_list("org_unit_id", "month"))
        super().delete_queryset(request, queryset)
        mark_dirty_many(pairs)

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
        return xlsx_response("official-statistics.xlsx", [(_("Statistics"), services.IMPORT_HEADERS, rows)])


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
