"""Users and their roles, each role scoped to an org unit and its subtree."""

import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit


def fold_username(value: str | None) -> str:
    """The one form of a username: NFKC, no surrounding spaces, lower case.

    "LOCK_PORTAL", " lock_portal" and "lock_portal" are one identity: stored, looked up and
    locked out (accounts/lockout.py) under this form on every sign-in path.
    """
    return unicodedata.normalize("NFKC", value or "").strip().lower()


class UserManager(DjangoUserManager):
    def get_by_natural_key(self, username):
        # ModelBackend (portal, admin and API sign-in) looks users up here.
        return self.get(**{self.model.USERNAME_FIELD: fold_username(username)})


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

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Case variants of one name can never be two accounts, whoever writes the row.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_folded_unique",
                violation_error_message=_("A user with that username already exists."),
            ),
        ]

    @classmethod
    def normalize_username(cls, username):
        return fold_username(super().normalize_username(username))

    def save(self, *args, **kwargs):
        self.username = fold_username(self.username)
        # set_password() keeps the new raw password until the save; a hash upgrade at sign-in does
        # not (Django clears it first), so this is a real change of password.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            # API tokens were issued against the old password: a changed password ends them all,
            # whichever path changed it (portal, reset link, admin, changepassword).
            from knox.models import AuthToken

            AuthToken.objects.filter(user=self).delete()

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
