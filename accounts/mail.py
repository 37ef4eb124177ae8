"""Where mail goes when production has no EMAIL_URL: nowhere, with an error in the log.

Django's console backend would print every message, password-reset links included, to the server
log. This one sends nothing and logs who would have been written to (never the body); the deploy
check (accounts/checks.py) already fails in that configuration.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class UnconfiguredEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            logger.error(
                "e-mail not sent: EMAIL_URL is not set (subject %r, %d recipient(s))",
                message.subject,
                len(message.recipients()),
            )
        return 0
