"""One mapping from service errors to HTTP for the whole API."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler

from core.audit_log import log_denied


def portal_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = exc.message_dict
            if NON_FIELD_ERRORS in errors:  # a service's error about the whole row, named as DRF names it
                errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
            exc = exceptions.ValidationError(errors)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, OverflowError):
        # A filter or id beyond the database's integer range: the caller's mistake, not a server error.
        exc = exceptions.ValidationError({"non_field_errors": ["A number in the request is out of range."]})
    response = exception_handler(exc, context)
    if response is not None and response.status_code in (401, 403, 404):
        reason = {401: "unauthenticated", 403: "forbidden", 404: "out_of_scope"}[response.status_code]
        log_denied(context["request"], reason)
    return response
