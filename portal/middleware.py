import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import OutOfScope
from core.audit_log import log_denied, log_export


class SessionRefreshMiddleware:
    """The idle timeout without a session write on every request.

    ``SESSION_COOKIE_AGE`` counts from the session's last save. Saving it on each request (Django's
    SESSION_SAVE_EVERY_REQUEST) costs a database write per page view; here an active session is saved
    at most every ``SESSION_REFRESH_SECONDS``, so it expires after the idle limit (± that interval).
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.session_key
            and int(time.time()) - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS
        ):
            self.stamp(session)  # marks the session modified: saved with a new expiry
        return self.get_response(request)

    @classmethod
    def stamp(cls, session):
        session[cls.KEY] = int(time.time())


@receiver(user_logged_in, dispatch_uid="session_refresh_at_login")
def _stamp_at_login(sender, request, user, **kwargs):
    """A sign-in saves the session anyway: the first page after it need not save it again."""
    if request is not None and hasattr(request, "session"):
        SessionRefreshMiddleware.stamp(request.session)


class VietnameseFirstLocaleMiddleware:
    """Vietnamese for everyone unless they chose otherwise with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which puts staff on English
    Windows into English; here only the switch's cookie changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreForAuthenticatedMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user.

    Pages and API answers for staff may show personal data (volunteers' phones, citizens helped);
    neither a shared proxy nor the browser's disk cache on a commune office PC may keep them.
    Static files are served by WhiteNoise before this runs and keep their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class PortalUserHeaderMiddleware:
    """``X-Portal-User: <id>`` on every page for a signed-in user (issue 24).

    The service worker keeps a leader's logging pages for offline use under that user's id and serves
    them back only while the same user is signed in; an answer naming another user, or nobody (the
    sign-in page), makes it delete every other user's copies. The id tells the user nothing new."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["X-Portal-User"] = str(user.pk)
        return response


class ExportLogMiddleware:
    """An audit line for every file handed to a signed-in user (Excel, CSV, PDF, JSON exports and
    uploaded documents), from any page, API view or admin action, without each view remembering to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        is_file = response.get("Content-Disposition", "").startswith(("attachment", "inline; filename"))
        if user is not None and user.is_authenticated and response.status_code == 200 and is_file:
            log_export(request, response)
        return response


class AccessDeniedLogMiddleware:
    """Logs refusals raised by views: out-of-scope 404s of the access layer and PermissionDenied.

    The API logs its own refusals in core/api/exceptions.py (DRF handles them inside the view).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OutOfScope | PermissionDenied):
            log_denied(request, "out_of_scope" if isinstance(exception, OutOfScope) else "forbidden")
        return None


class HtmxSignInMiddleware:
    """A fragment htmx asks for after the session has ended (the bell's count, the list's filter, a
    team's roster): the whole page goes to the sign-in page, and back to that page after it, instead
    of the sign-in page being swapped into the fragment's place. After django_htmx's middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code == 302:
            sign_in = resolve_url(settings.LOGIN_URL)
            if urlsplit(response["Location"]).path == sign_in:
                back = request.htmx.current_url_abs_path or "/"
                return HttpResponseClientRedirect(f"{sign_in}?{urlencode({'next': back})}")
        return response
