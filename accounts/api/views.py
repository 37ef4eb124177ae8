"""API token issue that honours two-factor authentication.

DRF's stock endpoint trades a password for a token, which would let anyone with a stolen password
skip the second factor. Here a user who has TOTP (or must have it) also sends a current ``otp`` code.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from accounts.mfa import mfa_required


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
        code = attrs.get("otp") or ""
        if totp is None or not code or not TOTP(totp).validate_code(code):
            raise serializers.ValidationError(
                _("A current code from your authenticator app is required."), code="authorization"
            )
        return attrs


class TokenView(ObtainAuthToken):
    serializer_class = TokenRequestSerializer


token_view = TokenView.as_view()
