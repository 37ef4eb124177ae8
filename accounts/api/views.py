"""API tokens (django-rest-knox): issued for a password and, where TOTP applies, a current code.

``POST /api/v1/auth/token/`` with ``username``, ``password`` (and ``otp``) answers ``{"token", "expiry"}``;
tokens are stored hashed, expire after ``API_TOKEN_TTL`` hours and end when the password changes
(``accounts.models.User.save``). ``DELETE`` with ``Authorization: Token ...`` revokes that token.

DRF's stock endpoint trades a password for a token, which would let anyone with a stolen password
skip the second factor: a user who has TOTP (or must have it) also sends ``otp``. Wrong passwords and
wrong codes count toward the same lockout as the portal's form (accounts/lockout.py): a locked
username answers 429. The endpoint is also throttled per client (scope ``auth``).
"""

import math

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from knox.views import LoginView
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from accounts import lockout
from accounts.mfa import mfa_required


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class SignInThrottled(exceptions.Throttled):
    """429 with the wait in the message (Vietnamese) and in Retry-After."""

    def __init__(self, wait: float | None):
        seconds = math.ceil(wait or 1)
        super().__init__(
            detail=_("Too many sign-in requests from this address. Try again in %(seconds)d seconds.")
            % {"seconds": seconds}
        )
        self.wait = seconds


class SignInThrottle(SimpleRateThrottle):
    """Requests to the token endpoint per client address (``API_AUTH_THROTTLE``, read per request).

    Counted in the cache: with Redis down nothing is counted and requests go through (the cache logs
    a warning), while the lockout, kept in the database, still holds."""

    scope = "auth"

    def get_rate(self):
        return settings.API_AUTH_THROTTLE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(
        label=_("Authenticator code"), required=False, write_only=True, allow_blank=True
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None and not mfa_required(user):
            return attrs
        code = (attrs.get("otp") or "").strip()
        # validate_code() marks a right code used (no replay): called once.
        if totp is not None and code and TOTP(totp).validate_code(code):
            return attrs
        if totp is not None and code:
            # A wrong code is a failed sign-in, counted like a wrong password.
            lockout.record_failure(self.context["request"], user.get_username())
        raise serializers.ValidationError(
            _("A current code from your authenticator app is required."), code="authorization"
        )


_TOKEN = inline_serializer(
    "IssuedToken",
    {
        "token": serializers.CharField(help_text="Send as `Authorization: Token <token>`."),
        "expiry": serializers.DateTimeField(help_text="When the token stops working."),
    },
)


class TokenView(LoginView):
    """Issue (POST, anonymous) and revoke (DELETE, with the token) an API token."""

    authentication_classes = [TokenAuthentication]
    throttle_classes = [SignInThrottle]
    serializer_class = TokenRequestSerializer

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    def get_authenticators(self):
        # Issuing a token ignores any token sent with the request; revoking needs it.
        return [TokenAuthentication()]

    def throttled(self, request, wait):
        raise SignInThrottled(wait)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: _TOKEN,
            400: OpenApiResponse(description="Wrong username, password or authenticator code."),
            429: OpenApiResponse(description="Locked out after repeated failures, or throttled."),
        },
        auth=[],
    )
    def post(self, request, format=None):
        # axes marks Django's request (its middleware reads it), not DRF's wrapper.
        django_request = request._request
        serializer = TokenRequestSerializer(data=request.data, context={"request": django_request})
        if not serializer.is_valid():
            if getattr(django_request, "axes_locked_out", False):
                raise LockedOut(lockout.lockout_message(lockout.cool_off_minutes(django_request)))
            raise exceptions.ValidationError(serializer.errors)
        request.user = serializer.validated_data["user"]
        return super().post(request, format=format)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="The token is revoked.")})
    def delete(self, request, format=None):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


token_view = TokenView.as_view()
