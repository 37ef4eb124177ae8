"""Users and their roles, each role scoped to an org unit and its subtree."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit


class User(AbstractUser):
    """The portal's user; roles live in RoleAssignment, not in Django groups."""

    PERSONAL_DATA = {
        "username": _("Sign in and show who did what in the history"),
        "first_name": _("Show who did what"),
        "last_name": _("Show who did what"),
        "email": _("Password reset and reminders"),
        "password": _("Sign in (stored as a salted hash only)"),
        "last_login": _("Security: spot unused or misused accounts"),
    }
    PERSONAL_DATA_RETENTION = _("While the account exists; a disabled account is kept for the audit history.")

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        # Vietnamese order: family name (họ) first, then middle and given names.
        return f"{self.last_name} {self.first_name}".strip()


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    PROVINCE_STAFF = "province_staff", _("Province staff")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    VIEWER = "viewer", _("Viewer")


class RoleAssignmentQuerySet(models.QuerySet):
    def for_user(self, user) -> "RoleAssignmentQuerySet":
        return self.filter(user=user).select_related("org_unit")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org_unit"], name="roleassignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org_unit}"
