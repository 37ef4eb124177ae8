"""The router every app's API uses: detail routes take numeric ids only.

DRF's default lookup pattern (``[^/.]+``) hands anything to the view, and ``/agreements/null,null/``
then failed converting the id (a 500). Ids here are integers: anything else is not a route (404)
before any view runs. 18 digits stay inside a bigint. A viewset with another lookup sets its own
``lookup_value_regex``.
"""

from rest_framework.routers import DefaultRouter

NUMERIC_ID = r"[0-9]{1,18}"


class PortalRouter(DefaultRouter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = NUMERIC_ID
