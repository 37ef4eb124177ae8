"""The ways a message reaches a person. Each channel is a small class with a ``code`` (a
``Delivery.Channel`` value), ``reaches(user)`` and ``send(delivery)``; adding SMS or Zalo is one
class here and one choice on ``Delivery.Channel``, nothing else.

``send`` raises on a failure worth retrying (``TRANSIENT_ERRORS``); the task retries with backoff.
"""

import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from notifications.models import Delivery, Notification

# Failures a later attempt may get past: the SMTP server down, busy or refusing for now.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


class Channel(Protocol):
    code: str

    def reaches(self, user) -> bool: ...

    def send(self, delivery: Delivery) -> None: ...


class PortalChannel:
    """The bell in the navigation bar: a row in the person's notification centre."""

    code = Delivery.Channel.PORTAL

    def reaches(self, user) -> bool:
        return True

    def send(self, delivery: Delivery) -> None:
        delivery.notification = Notification.objects.create(
            user_id=delivery.user_id,
            subject=delivery.subject,
            body=delivery.body,
            url=delivery.url,
            read_at=delivery.settled_at,  # settled before it was delivered: nothing to act on
        )


class EmailChannel:
    """E-mail through the configured SMTP server (``EMAIL_URL``)."""

    code = Delivery.Channel.EMAIL

    def reaches(self, user) -> bool:
        return bool(user.email)

    def send(self, delivery: Delivery) -> None:
        link = delivery.url
        if link.startswith("/"):
            link = settings.PORTAL_URL + link  # a mail is read outside the portal: the whole address
        body = delivery.body + (f"\n\n{link}" if link else "")
        EmailMessage(delivery.subject, body, None, [delivery.user.email]).send()


CHANNELS: dict[str, Channel] = {channel.code: channel for channel in (PortalChannel(), EmailChannel())}
