"""Admin for teams, volunteers, memberships and activities: scoped like the pages.

Writes go through the same rules as the services where it matters for the statistics
(dirty marks for activities and memberships). Volunteers' history shows which fields changed,
never their values.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import DeletesThroughService, ScopedAdminMixin, ScopedChoicesMixin, changed_fields
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


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    pass


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["volunteer", "role", "joined_on", "left_on"]
    raw_id_fields = ["volunteer"]


class TeamOrganisationInline(ScopedChoicesMixin, admin.TabularInline):
    model = TeamOrganisation
    extra = 0
    autocomplete_fields = ["partner"]


class ActivityPhotoInline(ScopedChoicesMixin, admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    fields = ["image", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


class TrainingInline(ScopedChoicesMixin, admin.TabularInline):
    model = Training
    extra = 0


def _save_memberships(request, formset) -> None:
    """A team's roster inline, through the membership services (they check the scope and mark the
    rosters where a membership counted and counts); deleted rows marked where they counted."""
    team = formset.instance
    for form in formset.forms:
        if not form.has_changed() or form in formset.deleted_forms:
            continue
        membership = form.instance
        if membership.pk is None:
            created = services.membership_create(
                by=request.user,
                team=team,
                volunteer=form.cleaned_data["volunteer"],
                role=form.cleaned_data["role"],
                joined_on=form.cleaned_data["joined_on"],
            )
            if form.cleaned_data.get("left_on"):
                services.membership_end(
                    by=request.user, membership=created, left_on=form.cleaned_data["left_on"]
                )
            form.instance = created
        else:
            fields = changed_fields(form, services.MEMBERSHIP_FIELDS)
            services.membership_update(
                by=request.user, membership=membership, role=form.cleaned_data["role"], **fields
            )
    for form in formset.deleted_forms:
        if form.instance.pk:
            services.membership_delete(by=request.user, membership=form.instance)
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class TeamAdminForm(forms.ModelForm):
    """What the team services check beyond the model, said on the field before they are called."""

    def clean_contact_phone(self):
        return services.normalize_phone(self.cleaned_data.get("contact_phone"))


class ActivityAdminForm(forms.ModelForm):
    """What activity_create / activity_update check beyond the model, said on the field."""

    def clean(self):
        cleaned = super().clean()
        day, team = cleaned.get("date"), cleaned.get("team")
        if day and day > timezone.localdate():
            self.add_error("date", _("An activity cannot be logged for a future date."))
        if team is not None and self.instance.pk is None and team.status == Team.Status.DISSOLVED:
            self.add_error("team", _("This team is dissolved; activities can no longer be logged."))
        return cleaned


@admin.register(Team)
class TeamAdmin(DeletesThroughService, ScopedHistoryAdmin):
    form = TeamAdminForm
    scope_unit_field = "org_unit"
    list_display = ["name", "kind", "org_unit", "status", "founded_on", "is_illustrative"]
    list_filter = ["kind", "status", "is_illustrative"]
    search_fields = ["name", "search_name", "org_unit__code"]
    list_select_related = ["org_unit"]
    raw_id_fields = ["agreements"]
    autocomplete_fields = ["org_unit"]
    inlines = [TeamOrganisationInline, MembershipInline]
    list_per_page = 50

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # Through the team services: the scope, the rules and the rollup marks (where the team
        # counted and counts now) are theirs.
        fields = changed_fields(form, (*services.TEAM_FIELDS, "agreements"))
        if change:
            services.team_update(by=request.user, team=obj, **fields)
            return
        fields.pop("org_unit", None), fields.pop("name", None)
        team = services.team_create(by=request.user, org_unit=obj.org_unit, name=obj.name, **fields)
        obj.pk, obj.created_at, obj._state.adding = team.pk, team.created_at, False

    def save_related(self, request, form, formsets, change):
        # The agreements served were set by the team services in save_model (they check each one);
        # form.save_m2m() would write them again unchecked, so only the inlines are saved here.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            _save_memberships(request, formset)
            return
        super().save_formset(request, form, formset, change)

    # A team with members, activities or sessions cannot be deleted (PROTECT); one without still
    # counted as an active team where it stood.
    def delete_through(self, request, obj):
        services.team_delete(by=request.user, team=obj)


@admin.register(Volunteer)
class VolunteerAdmin(ScopedHistoryAdmin):
    scope_unit_field = "home_unit"
    list_display = ["__str__", "home_unit", "birth_year", "consent_on", "erased_at"]
    search_fields = ["search_name", "phone"]
    list_select_related = ["home_unit"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["home_unit"]
    filter_horizontal = ["skills"]
    readonly_fields = ["erased_at"]
    inlines = [TrainingInline]
    list_per_page = 50
    # Personal fields are never stored in history; the object column shows initials only.
    object_history_list_template = "admin/volunteers/volunteer/history_list.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied  # a past version would show personal fields in full

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # Through the volunteer services: the scope, the phone's form, an erased volunteer refused.
        if change:
            skills = form.cleaned_data.get("skills") if "skills" in form.changed_data else None
            fields = changed_fields(form, services.VOLUNTEER_FIELDS)
            services.volunteer_update(by=request.user, volunteer=obj, skills=skills, **fields)
            return
        fields = {
            name: form.cleaned_data[name] for name in services.VOLUNTEER_FIELDS if name in form.cleaned_data
        }
        home_unit = fields.pop("home_unit")
        volunteer = services.volunteer_create(
            by=request.user, home_unit=home_unit, skills=form.cleaned_data.get("skills") or (), **fields
        )
        obj.pk, obj._state.adding = volunteer.pk, False

    def save_related(self, request, form, formsets, change):
        # The skills were set by the service; only the inlines are saved here.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Membership)
class MembershipAdmin(DeletesThroughService, ScopedHistoryAdmin):
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
        # Through the membership services: the scope, the rules and the rollup marks where the
        # membership counted (its stored team and dates) and where it counts now.
        if change:
            fields = changed_fields(form, services.MEMBERSHIP_FIELDS)
            services.membership_update(by=request.user, membership=obj, role=obj.role, **fields)
            return
        created = services.membership_create(
            by=request.user, team=obj.team, volunteer=obj.volunteer, role=obj.role, joined_on=obj.joined_on
        )
        if obj.left_on:
            services.membership_end(by=request.user, membership=created, left_on=obj.left_on)
        obj.pk, obj._state.adding = created.pk, False

    def delete_through(self, request, obj):
        services.membership_delete(by=request.user, membership=obj)


@admin.register(Activity)
class ActivityAdmin(DeletesThroughService, ScopedHistoryAdmin):
    form = ActivityAdminForm
    scope_unit_field = "team__org_unit"
    list_display = ["date", "title", "team", "kind", "participants", "volunteer_hours"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    list_select_related = ["team"]
    raw_id_fields = ["team"]
    readonly_fields = ["created_by"]  # who logged it is a record, not a choice
    search_fields = ["title", "team__search_name"]
    inlines = [ActivityPhotoInline]
    list_per_page = 50

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # Through the activity services (scope, rules, rollup marks of the old and the new date).
        fields = changed_fields(form, services.ACTIVITY_FIELDS)
        if not change:
            activity, _created = services.activity_create(by=request.user, team=obj.team, **fields)
            obj.pk, obj.created_at, obj._state.adding = activity.pk, activity.created_at, False
        else:
            if "team" in form.changed_data:  # moved to another team (only here)
                fields["team"] = form.cleaned_data["team"]
            services.activity_update(by=request.user, activity=obj, **fields)

    def delete_through(self, request, obj):
        services.activity_delete(by=request.user, activity=obj)  # its photos' files and the rollup marks


@admin.register(WeeklyReport)
class WeeklyReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_unit_field = "team__org_unit"
    list_display = ["team", "iso_year", "iso_week", "submitted_at", "submitted_by"]
    list_select_related = ["team", "submitted_by"]
    raw_id_fields = ["team"]
    readonly_fields = ["submitted_by"]  # who submitted it is a record, not a choice


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]

    def has_module_permission(self, request):
        return request.user.is_superuser
