"""Writes to accounts and roles."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts.access import Action, require
from accounts.models import Role, RoleAssignment, User
from org.models import OrgUnit

# Roles whose holders work in Django admin as well as in the portal.
ADMIN_SITE_ROLES = {Role.ADMIN, Role.PROVINCE_STAFF}


def _check_may_grant(*, by: User | None, role: str, org_unit: OrgUnit) -> None:
    if by is None or by.is_superuser:
        return
    if role == Role.ADMIN:
        raise PermissionDenied(_("Only a system administrator can grant the administrator role."))
    require(by, Action.MANAGE, org_unit, message=_("You can only grant roles in the units you manage."))


@transaction.atomic
def role_assign(*, user: User, role: str, org_unit: OrgUnit, by: User | None = None) -> RoleAssignment:
    """Give ``user`` a role on ``org_unit``; idempotent. Admin-site roles make the user staff."""
    _check_may_grant(by=by, role=role, org_unit=org_unit)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, org_unit=org_unit, defaults={"granted_by": by}
    )
    if role in ADMIN_SITE_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: User | None = None) -> None:
    _check_may_grant(by=by, role=assignment.role, org_unit=assignment.org_unit)
    user = assignment.user
    assignment.delete()
    still_staff = RoleAssignment.objects.filter(user=user, role__in=ADMIN_SITE_ROLES).exists()
    if user.is_staff and not user.is_superuser and not still_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    org_unit: OrgUnit,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    by: User | None = None,
) -> User:
    """Create a staff account with its first role (there is no public sign-up)."""
    _check_may_grant(by=by, role=role, org_unit=org_unit)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    role_assign(user=user, role=role, org_unit=org_unit, by=by)
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User | None = None) -> User:
    """Disable an account and end all its sessions and API tokens at once.

    Session data is encoded, so the user's sessions cannot be found by a query: only the live
    (non-expired) ones are decoded, in chunks, and deleted in one statement.
    """
    user.is_active = False
    user.save(update_fields=["is_active"])
    user_id = str(user.pk)
    live = Session.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    keys = [
        s.session_key
        for s in live.iterator(chunk_size=2000)
        if str(s.get_decoded().get("_auth_user_id")) == user_id
    ]
    Session.objects.filter(session_key__in=keys).delete()
    # cached_db sessions also live in the cache: a deleted row must not survive there.
    prefix = getattr(import_module(settings.SESSION_ENGINE).SessionStore, "cache_key_prefix", None)
    if prefix:
        caches[settings.SESSION_CACHE_ALIAS].delete_many([prefix + key for key in keys])
    AuthToken.objects.filter(user=user).delete()
    return user
