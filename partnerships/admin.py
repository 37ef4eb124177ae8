"""Admin for partners and agreements, scoped like the pages and writing through the services.

The indicator catalogue's admin is the progress app's (an indicator is defined with how it is
computed). Agreements are created in the portal's form (they need two parties, objectives and targets in one
transaction); here staff search, filter, correct the agreement's own fields, change status with the
actions, and read the history. The inlines are read-only for the same reason.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import Action, can_anywhere
from accounts.admin_scoping import ScopedAdminMixin, ScopedChoicesMixin
from partnerships import selectors, services
from partnerships.models import Agreement, AgreementAttendee, AgreementParty, Objective, Partner


@admin.register(Partner)
class PartnerAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "search_name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]

    def has_module_permission(self, request):
        return request.user.is_superuser or can_anywhere(request.user, Action.MANAGE)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # agreements refer to partners

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ("name", "short_name", "kind", "parent")}
        if change:
            services.partner_update(by=request.user, partner=Partner.objects.get(pk=obj.pk), **data)
        else:
            obj.pk = services.partner_create(by=request.user, **data).pk


class PartyInline(ScopedChoicesMixin, admin.TabularInline):
    model = AgreementParty
    fields = ["position", "org_unit", "partner", "role", "signatory_name", "signatory_title"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


class AttendeeInline(admin.TabularInline):
    """Witnesses and attendees of the signing, shown; written by the agreement services (the seeds)."""

    model = AgreementAttendee
    fields = ["position", "role", "name", "title", "organisation"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


class ObjectiveInline(ScopedChoicesMixin, admin.TabularInline):
    model = Objective
    fields = ["number", "text", "area"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


def _transition_action(status: str, label):
    def run(modeladmin, request, queryset):
        done = 0
        for agreement in queryset:
            try:
                services.agreement_transition(by=request.user, agreement=agreement, to=status)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, f"{agreement}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if done:
            messages.success(request, _("%(count)d agreement(s) changed.") % {"count": done})

    run.__name__ = f"mark_{status}"
    run.short_description = label
    return run


@admin.register(Agreement)
class AgreementAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_unit_field = "parties__org_unit"
    list_display = [
        "title",
        "code",
        "kind",
        "status",
        "start_date",
        "end_date",
        "signed_on",
        "is_illustrative",
    ]
    list_filter = ["status", "kind", "start_date", "is_illustrative"]
    search_fields = ["title", "code", "search_text"]
    date_hierarchy = "start_date"
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["follows"]
    inlines = [PartyInline, AttendeeInline, ObjectiveInline]
    actions = [
        _transition_action(Agreement.Status.SIGNED, _("Mark as signed")),
        _transition_action(Agreement.Status.SUSPENDED, _("Suspend")),
        _transition_action(Agreement.Status.ACTIVE, _("Resume (active)")),
        _transition_action(Agreement.Status.TERMINATED, _("Terminate")),
    ]

    def get_queryset(self, request):
        queryset = super(ScopedAdminMixin, self).get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Rows of the user's own units (not the ancestors' read-only ones): admin is for editing.
        return queryset.filter(pk__in=selectors.agreements_visible(request.user, Action.MANAGE).values("pk"))

    def has_view_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return services.agreement_can_manage(request.user, obj)

    def has_add_permission(self, request, *args):
        return False  # created in the portal's form, parties and objectives together

    def has_change_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return services.agreement_can_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in services.AGREEMENT_FIELDS if name in form.cleaned_data
        }
        if "document" in form.changed_data:
            fields["document"] = form.cleaned_data["document"] or ""
        services.agreement_update(by=request.user, agreement=obj, **fields)
