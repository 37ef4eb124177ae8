from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from accounts import services
from accounts.access import Action, can_anywhere
from accounts.admin_scoping import DeletesThroughService, ScopedChoicesMixin, ScopedModelAdmin
from accounts.choices import users_in_scope
from accounts.models import Role, RoleAssignment, User


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "org_unit"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(DeletesThroughService, ScopedModelAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "org_unit", "granted_by", "created_at"]
    list_filter = ["role", "org_unit__kind"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "org_unit__name",
        "org_unit__code",
    ]
    list_select_related = ["user", "org_unit", "granted_by"]
    autocomplete_fields = ["org_unit"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [c for c in Role.choices if c[0] != Role.ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Writes go through the service, which re-checks the grantor's rights.
        if change:
            services.role_revoke(assignment=RoleAssignment.objects.get(pk=obj.pk), by=request.user)
        assignment = services.role_assign(
            user=obj.user, role=obj.role, org_unit=obj.org_unit, by=request.user
        )
        obj.pk = assignment.pk

    def delete_through(self, request, obj):
        services.role_revoke(assignment=obj, by=request.user)


class RoleInline(ScopedChoicesMixin, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ["role", "org_unit", "granted_by", "created_at"]
    readonly_fields = ["role", "org_unit", "granted_by", "created_at"]
    extra = 0
    can_delete = False


@admin.register(User)
class UserAdmin(ScopedChoicesMixin, DjangoUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "role_assignments__role"]

    def get_queryset(self, request):
        return users_in_scope(request.user)

    def has_module_permission(self, request):
        return request.user.is_superuser or can_anywhere(request.user, Action.MANAGE)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser  # province staff create accounts with a role in the portal

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Province staff may correct names, e-mail and activity, never privileges.
        return [
            (None, {"fields": ("username", "password")}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["username", "last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and (obj.is_superuser or "is_staff" in form.changed_data):
            raise PermissionDenied
        if change and "is_active" in form.changed_data and not obj.is_active:
            super().save_model(request, obj, form, change)
            services.user_deactivate(user=obj, by=request.user)
            return
        super().save_model(request, obj, form, change)


# API tokens are stored hashed and end by themselves (expiry, password change, deactivation,
# DELETE /api/v1/auth/token/); knox's admin would list every user's tokens to any admin-site user.
admin.site.unregister(AuthToken)
