"""Admin for teams, volunteers, memberships and activities: scoped like the pages.

Writes go through the same rules as the services where it matters for the statistics
(dirty marks for activities and memberships). Volunteers' history shows which fields changed,
never their values.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import Action, scope_for
from accounts.admin_scoping import ScopedAdminMixin
from core.progress_marks import mark_dirty_many
from volunteers import services
from volunteers.models import (
    Activity,
    ActivityPhoto,
    Membership,
    Skill,
    Team,
    TeamOrganisation,
    Training,
    Volunteer,
    WeeklyReport,
)


class ScopedChoicesMixin:
    """Team and volunteer choices (inlines too) limited to what the user manages."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            scope = scope_for(request.user, Action.MANAGE)
            if db_field.related_model is Team:
                kwargs["queryset"] = scope.filter(Team.objects.all(), "org_unit")
            elif db_field.related_model is Volunteer:
                kwargs["queryset"] = scope.filter(Volunteer.objects.all(), "home_unit")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedHistoryAdmin(ScopedChoicesMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    pass


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["volunteer", "role", "joined_on", "left_on"]
    raw_id_fields = ["volunteer"]


class TeamOrganisationInline(admin.TabularInline):
    model = TeamOrganisation
    extra = 0
    autocomplete_fields = ["partner"]


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    fields = ["image", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


def _mark_memberships(formset) -> None:
    pairs = [(f.instance.team.org_unit_id, f.instance.joined_on) for f in formset.forms if f.instance.pk]
    mark_dirty_many(pairs, rosters=True)


@admin.register(Team)
class TeamAdmin(ScopedHistoryAdmin):
    scope_unit_field = "org_unit"
    list_display = ["name", "kind", "org_unit", "status", "founded_on"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "search_name", "org_unit__code"]
    list_select_related = ["org_unit"]
    raw_id_fields = ["org_unit", "agreement"]
    inlines = [TeamOrganisationInline, MembershipInline]
    list_per_page = 50

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # Admin edits bypass the team form, not the rollup: mark where the team counted and counts now.
        before = services.team_progress_marks(Team.objects.get(pk=obj.pk)) if change else []
        super().save_model(request, obj, form, change)
        mark_dirty_many(before + services.team_progress_marks(obj), rosters=True)

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            _mark_memberships(formset)

    # A team with members, activities or sessions cannot be deleted (PROTECT); one without still
    # counted as an active team where it stood.
    @transaction.atomic
    def delete_model(self, request, obj):
        marks = services.team_progress_marks(obj)
        super().delete_model(request, obj)
        mark_dirty_many(marks, rosters=True)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        marks = [mark for team in queryset for mark in services.team_progress_marks(team)]
        super().delete_queryset(request, queryset)
        mark_dirty_many(marks, rosters=True)


@admin.register(Volunteer)
class VolunteerAdmin(ScopedHistoryAdmin):
    scope_unit_field = "home_unit"
    list_display = ["__str__", "home_unit", "birth_year", "consent_on", "erased_at"]
    search_fields = ["search_name", "phone"]
    list_select_related = ["home_unit"]
    raw_id_fields = ["home_unit", "user"]
    filter_horizontal = ["skills"]
    readonly_fields = ["erased_at"]
    inlines = [TrainingInline]
    list_per_page = 50
    # Personal fields are never stored in history; the object column shows initials only.
    object_history_list_template = "admin/volunteers/volunteer/history_list.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied  # a past version would show personal fields in full


@admin.register(Membership)
class MembershipAdmin(ScopedHistoryAdmin):
    scope_unit_field = "team__org_unit"
    list_display = ["volunteer", "team", "role", "joined_on", "left_on"]
    list_filter = ["role"]
    list_select_related = ["volunteer", "team"]
    raw_id_fields = ["volunteer", "team"]
    search_fields = ["volunteer__search_name", "team__search_name"]
    object_history_list_template = "admin/volunteers/volunteer/history_list.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied  # a past version would name the volunteer in full

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        mark_dirty_many(
            [(obj.team.org_unit_id, obj.joined_on), (obj.team.org_unit_id, obj.left_on or obj.joined_on)],
            rosters=True,
        )

    @transaction.atomic
    def delete_model(self, request, obj):
        unit_id, day = obj.team.org_unit_id, obj.joined_on
        super().delete_model(request, obj)
        mark_dirty_many([(unit_id, day)], rosters=True)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        pairs = list(queryset.values_list("team__org_unit_id", "joined_on"))
        super().delete_queryset(request, queryset)
        mark_dirty_many(pairs, rosters=True)


@admin.register(Activity)
class ActivityAdmin(ScopedHistoryAdmin):
    scope_unit_field = "team__org_unit"
    list_display = ["date", "title", "team", "kind", "participants", "volunteer_hours"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    list_select_related = ["team"]
    raw_id_fields = ["team", "created_by"]
    search_fields = ["title", "team__search_name"]
    inlines = [ActivityPhotoInline]
    list_per_page = 50

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        old_date = form.initial.get("date") if change else None
        super().save_model(request, obj, form, change)
        mark_dirty_many([(obj.team.org_unit_id, d) for d in {obj.date, old_date or obj.date}])

    @transaction.atomic
    def delete_model(self, request, obj):
        unit_id, day = obj.team.org_unit_id, obj.date
        super().delete_model(request, obj)
        mark_dirty_many([(unit_id, day)])


@admin.register(WeeklyReport)
class WeeklyReportAdmin(ScopedChoicesMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_unit_field = "team__org_unit"
    list_display = ["team", "iso_year", "iso_week", "submitted_at", "submitted_by"]
    list_select_related = ["team", "submitted_by"]
    raw_id_fields = ["team", "submitted_by"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]

    def has_module_permission(self, request):
        return request.user.is_superuser
