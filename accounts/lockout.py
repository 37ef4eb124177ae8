"""Sign-in lockout (django-axes): one count per username, whatever the path or the case.

Every path that checks a secret — the portal's password form, the admin's, the API token endpoint,
and the authenticator code asked after the password (allauth's two-factor step and the API's ``otp``)
— counts a failure here, against the folded username (``accounts.models.fold_username``), in the
database. So 5 failures on any variant of a name lock every variant everywhere, and the lock holds
with Redis down.

Locks: a username after ``AXES_FAILURE_LIMIT`` failures; an IP address only after
``LOCKOUT_IP_FAILURE_LIMIT`` (much higher: a commune office shares one address, and one person's
typos must not lock their colleagues out).
"""

import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import fold_username


def lockout_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the folded username from the credentials or the posted form."""
    if credentials and credentials.get("username") is not None:
        return fold_username(credentials["username"])
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    # The admin and the API post "username", allauth's form "login".
    raw = data.get("username") or data.get("login")
    return fold_username(raw) if raw is not None else None


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PortalAxesHandler(AxesDatabaseHandler):
    """axes' database handler with two thresholds: per username, and a much higher one per IP.

    axes has one failure limit for all its lockout parameters; here the IP's own count only locks
    once it reaches ``LOCKOUT_IP_FAILURE_LIMIT``, and a successful sign-in clears the user's own
    failures, never those of other accounts tried from the same address.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_username = _failures(recent.filter(username=username)) if username else 0
        by_ip = _failures(recent.filter(ip_address=request.axes_ip_address))
        if by_ip >= settings.LOCKOUT_IP_FAILURE_LIMIT:
            return max(by_username, get_failure_limit(request, credentials))
        return by_username

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count


def record_failure(request, username: str) -> bool:
    """Count a failed check of a secret other than the password (an authenticator or recovery code)
    against ``username``, as a wrong password is counted; True when the username is now locked.

    ``request`` must be Django's request (not DRF's wrapper): axes marks it, and its middleware then
    answers with the lockout response."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def is_locked(request, username: str) -> bool:
    """Whether ``username`` (or the request's IP) is locked out now."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def cool_off_minutes(request) -> int | None:
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds() / 60) if cool_off else None


def lockout_message(minutes: int | None) -> str:
    if minutes:
        return ngettext(
            "Too many failed sign-in attempts: the account is locked for now. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts: the account is locked for now. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    return _("Too many failed sign-in attempts: the account is locked for now. Try again later.")


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: HTTP 429, the username never echoed back. A Vietnamese page in the
    portal's layout, or a JSON answer for the API."""
    minutes = cool_off_minutes(request)
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(minutes)}, status=status)
        if minutes:
            response["Retry-After"] = str(minutes * 60)
        return response
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "account/lockout.html", context, status=status)
