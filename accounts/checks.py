"""Deploy checks of the sign-in set-up (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends that never deliver mail to a person: fine in development and tests, not in production.
NOT_DELIVERING = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "accounts.mail.UnconfiguredEmailBackend",
}


@register(Tags.security, deploy=True)
def email_configured(app_configs=None, **kwargs):
    """Password resets and reminders need real mail; the console backend would print reset links
    into the server log."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in NOT_DELIVERING:
        return []
    return [
        Error(
            f"E-mail is not configured: {settings.EMAIL_BACKEND} delivers nothing, so password-reset "
            "links and reminders reach nobody.",
            hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587 (see .env.example).",
            id="accounts.E001",
        )
    ]
