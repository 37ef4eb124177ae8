"""The page axes shows a locked-out user (AXES_LOCKOUT_CALLABLE)."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """A Vietnamese page in the portal's layout, HTTP 429; the username is not echoed back."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "account/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
