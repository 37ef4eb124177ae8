"""The API's schema and docs: for signed-in users and integrators, each told how to get in.

A browser opening /api/docs/ anonymously is sent to the sign-in page and back (a bare 403 JSON in a
browser tab said nothing); a client asking for /api/schema/ without credentials is told how to send
them.
"""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions

SIGN_IN_FOR_SCHEMA = _(
    "The API schema is for signed-in users: sign in at /accounts/login/ in a browser, or send an API "
    "token in the Authorization header (POST /api/v1/auth/token/ with your username and password)."
)


class SchemaView(SpectacularAPIView):
    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(SIGN_IN_FOR_SCHEMA)
        super().permission_denied(request, message=message, code=code)


schema_view = SchemaView.as_view()
docs_view = login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
