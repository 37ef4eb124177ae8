"""Two-factor authentication: who must use it, and the middleware that enforces it.

Superusers, system administrators and province staff can change what whole provinces see, so they
must have an authenticator app (TOTP) before they use the portal or admin. Everyone else may turn
it on. The rule is switched by ``settings.MFA_REQUIRED_FOR_STAFF`` (off under DEBUG for the demo).
"""

from functools import wraps
from urllib.parse import urlencode

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import lockout
from accounts.access import roles_of
from accounts.models import Role

MFA_REQUIRED_ROLES = frozenset({Role.ADMIN, Role.PROVINCE_STAFF})

# URL names a user without TOTP can still reach: the MFA pages, the password check allauth asks
# for before activation, signing out and the language switch. Static files and /health/ are
# served before this middleware or have no user.
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "health",
    }
)


def mfa_required(user) -> bool:
    """Whether ``user`` must have TOTP before using the portal (always False when the rule is off)."""
    if not getattr(settings, "MFA_REQUIRED_FOR_STAFF", False) or not user.is_authenticated:
        return False
    return user.is_superuser or any(a.role in MFA_REQUIRED_ROLES for a in roles_of(user))


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireStaffMFAMiddleware:
    """Send a user who must have TOTP but has none to the setup page until they activate it.

    Runs in ``process_view`` so the resolved URL name is known. API requests get a 403 JSON answer
    instead of a redirect. Token-authenticated API calls are checked where the token is issued.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.url_name in ALLOWED_URL_NAMES:
            return None
        user = request.user
        if not mfa_required(user) or has_totp(user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Set up two-factor authentication in the portal first.")}, status=403
            )
        messages.warning(
            request,
            _("Your role requires two-factor authentication: activate an authenticator app to continue."),
        )
        return redirect("mfa_activate_totp")


def password_only_admin_login(view_func):
    """Wrap ``admin.site.login``: it keeps its form (and axes' lockout), but never finishes a login
    that needs a second factor. Such a user is signed out again and sent to the portal's login,
    which asks for the authenticator code."""

    @wraps(view_func)
    def login(request, *args, **kwargs):
        response = view_func(request, *args, **kwargs)
        user = request.user
        if request.method == "POST" and user.is_authenticated and (mfa_required(user) or has_totp(user)):
            logout(request)
            messages.info(request, _("Sign in here: your account uses two-factor authentication."))
            return redirect(f"{reverse('account_login')}?{urlencode({'next': reverse('admin:index')})}")
        return response

    return login


class _CodeCountsTowardLockout:
    """A wrong authenticator or recovery code counts toward the lockout like a wrong password, and
    a locked account takes no code at all, not even the right one (MFA_FORMS)."""

    def clean_code(self):
        request = context.request
        username = self.user.get_username()
        if lockout.is_locked(request, username):
            request.axes_locked_out = True  # axes' middleware answers with the lockout page (429)
            raise ValidationError(lockout.lockout_message(None), code="locked")
        try:
            return super().clean_code()
        except ValidationError:
            lockout.record_failure(request, username)
            raise


class LockoutAuthenticateForm(_CodeCountsTowardLockout, AuthenticateForm):
    pass


class LockoutReauthenticateForm(_CodeCountsTowardLockout, ReauthenticateForm):
    pass
