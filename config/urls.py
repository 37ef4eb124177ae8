from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts import admin_scoping
from accounts.mfa import password_only_admin_login
from portal.api.schema import docs_view, schema_view
from portal.views import health, ping

admin.site.site_header = "Đoàn CĐS"
admin.site.site_title = "Đoàn CĐS"
# The admin's own login form has no second-factor step: users with TOTP sign in through the portal.
admin.site.login = password_only_admin_login(admin.site.login)
# The autocomplete answers for any relation of any model: only with the choices the user has.
admin_scoping.install(admin.site)

urlpatterns = [
    path("", include("portal.urls")),
    path("units/", include("portal.units.urls")),
    path("users/", include("accounts.urls")),
    path("", include("signoff.urls")),
    path("", include("partnerships.urls")),
    path("", include("volunteers.urls")),
    path("", include("egov_support.urls")),
    path("", include("notifications.urls")),
    path("", include("reporting.urls")),
    path("", include("progress.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("health/", health, name="health"),
    path("ping/", ping, name="ping"),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", schema_view, name="api-schema"),
    path("api/docs/", docs_view, name="api-docs"),  # anonymous: to the sign-in page and back
]
