"""Login events into the structured log (core/audit_log.py). Logging only: no business rule here."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.audit_log import log_event


def _client(request) -> dict:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR"), "path": request.path}


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    log_event("auth.login", user_id=user.pk, username=user.get_username(), **_client(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    log_event("auth.logout", user_id=getattr(user, "pk", None), **_client(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in ``credentials``; only the username is kept.
    log_event("auth.login_failed", username=credentials.get("username", ""), **_client(request))


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("auth.locked_out", username=username, ip=ip_address, path=getattr(request, "path", None))
