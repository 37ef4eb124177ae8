"""Access expectations for the portal's shell: home, health, language, API root, schema and docs,
the sign-in pages (allauth, two-factor) and the Django admin site's own pages (format: tests/access.py).
"""

from django.urls import reverse

from tests.access import Entry, per_persona

NOT_STAFF = {"anonymous": 302, "viewer": 302, "leader_a": 302}
signed_in_only = per_persona(anonymous=302, default=200)
api_signed_in_only = per_persona(anonymous=401, default=200)
anyone = 200

ENTRIES = [
    Entry("portal:home", {"GET": signed_in_only}),
    # Administrators only: the page does not exist for anyone else.
    Entry("portal:data_inventory", {"GET": per_persona(anonymous=302, admin=200, default=404)}),
    # The installable app (issue 24): the manifest and the worker are public (no data; Chrome fetches
    # the manifest without cookies); the queue page is a frame the phone fills from its own storage.
    Entry("portal:manifest", {"GET": anyone, "POST": 405}),
    Entry("portal:service_worker", {"GET": anyone, "POST": 405}),
    Entry("portal:offline_queue", {"GET": signed_in_only, "POST": per_persona(anonymous=302, default=405)}),
    Entry("health", {"GET": (200, 503), "POST": 405}),  # public: status of services, no data
    Entry("ping", {"GET": 200, "POST": 405}),  # public: the load test's trivial view, no data
    Entry("set_language", {"POST": 302, "GET": 302}, data={"language": "en", "next": "/"}),
    # --- API shell ---
    Entry("api-root", {"GET": api_signed_in_only}),
    # No credentials sent: refused, no token. Revoking needs the token itself (not a session).
    Entry("auth-token", {"POST": 400, "GET": 405, "DELETE": 401}),
    Entry("api-schema", {"GET": api_signed_in_only}),
    Entry("api-docs", {"GET": signed_in_only}),  # a browser page: anonymous to the sign-in page
    # --- Sign-in pages (allauth): no public sign-up, account pages only for the signed-in ---
    Entry("account_login", {"GET": per_persona(anonymous=200, default=302)}),
    Entry("account_logout", {"GET": per_persona(anonymous=302, default=200), "POST": 302}),
    Entry("account_inactive", {"GET": anyone}),
    Entry(
        "account_signup",
        {"GET": per_persona(anonymous=200, default=302), "POST": per_persona(anonymous=200, default=302)},
    ),
    Entry("account_reauthenticate", {"GET": signed_in_only}),
    Entry("account_email", {"GET": signed_in_only}),
    Entry("account_email_verification_sent", {"GET": anyone}),
    Entry("account_change_password", {"GET": signed_in_only}),
    Entry("account_set_password", {"GET": per_persona(anonymous=302, default=302)}),
    Entry("account_reset_password", {"GET": anyone}),
    Entry("account_reset_password_done", {"GET": anyone}),
    Entry("account_confirm_login_code", {"GET": 302}),
    # Re-authentication by an e-mailed code (allauth 65.22): login by code is off, so it sends everyone on.
    Entry("account_request_reauthentication_code", {"GET": 302}),
    Entry("account_confirm_reauthentication_code", {"GET": 302}),
    Entry(
        "account_confirm_email",
        {"GET": 200},
        url=lambda world, variant: reverse("account_confirm_email", args=["not-a-key"]),
    ),
    Entry(
        "account_reset_password_from_key",
        {"GET": 200},
        url=lambda world, variant: reverse("account_reset_password_from_key", args=["1", "bad-key"]),
    ),
    Entry("account_reset_password_from_key_done", {"GET": anyone}),
    Entry("mfa_index", {"GET": signed_in_only}),
    Entry("mfa_authenticate", {"GET": 302}),  # only during a login that awaits the code
    Entry("mfa_reauthenticate", {"GET": 302}),  # only for a user who has a second factor
    Entry("mfa_activate_totp", {"GET": 302}),  # asks for the password again first
    # Nothing to deactivate or view before TOTP is active (the MFA tests cover the active case).
    Entry("mfa_deactivate_totp", {"GET": per_persona(anonymous=302, default=404)}),
    Entry("mfa_view_recovery_codes", {"GET": per_persona(anonymous=302, default=404)}),
    Entry("mfa_generate_recovery_codes", {"GET": 302}),
    Entry("mfa_download_recovery_codes", {"GET": per_persona(anonymous=302, default=404)}),
    # --- The admin site's own pages (model pages are generated from the registry) ---
    Entry("admin:index", {"GET": per_persona(**NOT_STAFF, default=200)}),
    Entry("admin:login", {"GET": per_persona(anonymous=200, viewer=200, leader_a=200, default=302)}),
    Entry(
        "admin:logout",
        {"GET": per_persona(**NOT_STAFF, default=405), "POST": per_persona(**NOT_STAFF, default=200)},
    ),
    Entry("admin:password_change", {"GET": per_persona(**NOT_STAFF, default=200)}),
    Entry("admin:password_change_done", {"GET": per_persona(**NOT_STAFF, default=200)}),
    Entry("admin:autocomplete", {"GET": per_persona(**NOT_STAFF, default=403)}),  # no field named: refused
    Entry("admin:jsi18n", {"GET": per_persona(**NOT_STAFF, default=200)}),
    Entry(
        "admin:view_on_site",
        {"GET": per_persona(**NOT_STAFF, default=404)},  # org units have no public page
        url=lambda world, variant: reverse(
            "admin:view_on_site", args=[world.unit_content_type.pk, world.units["own_unit"].pk]
        ),
    ),
    Entry(
        "admin:app_list",
        {
            "GET": lambda persona, app: (
                302
                if persona in NOT_STAFF
                else 200
                if persona == "admin" or app in ("org", "accounts")
                else 404  # an app with no model the role may use
            )
        },
        url=lambda world, app: reverse("admin:app_list", args=[app]),
        variants=("org", "accounts", "auth", "account", "mfa", "axes"),
    ),
    Entry(
        "admin/(?P<url>.*)$",
        {"GET": per_persona(**NOT_STAFF, default=404)},
        url=lambda world, variant: "/admin/no-such-page/",
    ),
]

# The access-log admins of django-axes are read-only, even for the superuser.
_no_add = {"GET": per_persona(**NOT_STAFF, default=403)}
ADMIN_OVERRIDES = {
    "admin:axes_accessattempt_add": _no_add,
    "admin:axes_accesslog_add": _no_add,
    "admin:axes_accessfailurelog_add": _no_add,
}
