"""One env-driven settings module (django-environ).

Zero-config development defaults: SQLite, local-memory cache, Celery tasks run eagerly.
With DATABASE_URL and REDIS_URL set, the same code runs on PostgreSQL with a real
Celery worker and beat on Redis. DEBUG is off unless the environment turns it on, and
a non-debug process refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    # Fail loudly: a production process with a guessable key or open hosts is worse than none.
    missing = [
        name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not value
    ]
    if missing:
        raise ImproperlyConfigured(f"Set {' and '.join(missing)} in the environment (DEBUG is off).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens that expire and can be revoked (stored hashed)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    # The portal's apps, bottom (shared helpers) to top (the shell): the layers in pyproject.toml.
    "core",
    "org",
    "accounts",
    "notifications",
    "signoff",
    "partnerships",
    "volunteers",
    "egov_support",
    "reporting",
    "progress",
    "portal",
]
if DEBUG:  # generators and benchmarks (seed_scale, bench_rollup): developers' machines and tests only
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped for browsers that ask (the dashboard's 130 KB of HTML is ~15 KB over a phone's
    # mobile data); static files come compressed from WhiteNoise above. Django masks CSRF tokens per
    # response and pads the gzip header (BREACH mitigations).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SessionRefreshMiddleware",
    "portal.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # On the way out: signed-in users' responses are never cached (personal data).
    "portal.middleware.NoStoreForAuthenticatedMiddleware",
    "portal.middleware.PortalUserHeaderMiddleware",  # whose pages the service worker may keep offline
    "portal.middleware.ExportLogMiddleware",  # files handed out, into the audit log
    "portal.middleware.AccessDeniedLogMiddleware",  # out-of-scope 404s and 403s into the audit log
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.HtmxSignInMiddleware",  # a fragment after the session ended: the page signs in
    "allauth.account.middleware.AccountMiddleware",
    "accounts.mfa.RequireStaffMFAMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an eager task writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis down degrades to "nothing cached" (core/cache.py); short timeouts keep pages responsive.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker the tasks run in-process, so `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died unacknowledged is redelivered after the visibility timeout (acks late).
# Longer than the longest task (the hard limit above); tests use a short one.
_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _VISIBILITY_TIMEOUT,
    # Workers sweep for abandoned tasks every interval × throttle seconds (kombu: 10 × 10); a short
    # timeout gets a matching sweep, else it would wait for the default 100 s.
    "unacked_restore_interval": max(1, min(10, _VISIBILITY_TIMEOUT // 3)),
    "unacked_restore_throttle": 10 if _VISIBILITY_TIMEOUT >= 300 else 1,
    "socket_connect_timeout": 2,
}
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Beat schedule, declared in code; apps add their entries here as they land.
CELERY_BEAT_SCHEDULE: dict = {}

# --- Auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "accounts.adapters.NoSignupAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False  # usernames are stored folded (accounts.models.fold_username)
# axes owns every sign-in lockout (in the database, per folded username, on every path:
# accounts/lockout.py). allauth's own "login_failed" limits live in the cache, answered before axes
# with another message, counted per IP at 10 a minute (one person's typos locked a whole commune
# office) and shut everyone out when Redis was down: they are off.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Đoàn CĐS"
# Wrong codes count toward the sign-in lockout like wrong passwords (accounts/mfa.py).
MFA_FORMS = {
    "authenticate": "accounts.mfa.LockoutAuthenticateForm",
    "reauthenticate": "accounts.mfa.LockoutReauthenticateForm",
}
# Accept the code of the previous or next 30-second step too (RFC 6238 allows for clock drift and
# typing time): phones in commune offices are not always on network time.
MFA_TOTP_TOLERANCE = 1
# Superusers, system admins and province staff must activate an authenticator app (accounts/mfa.py).
# Off under DEBUG so the demo logins of `make run` work without a phone.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=not DEBUG)

# Lockout (accounts/lockout.py): a username after 5 failures within 5 minutes (issue #7), counted on
# the folded name across the portal's form, the admin's, the API token endpoint and authenticator
# codes; an IP address only after 50 (a commune office shares one address). axes has one duration
# for the counting window and the lock: failures older than it are dropped, and each failure during
# the lock extends it.
AXES_FAILURE_LIMIT = 5
LOCKOUT_IP_FAILURE_LIMIT = env.int("LOCKOUT_IP_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.lockout.PortalAxesHandler"  # the two thresholds above
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"  # "Bob " and "bob" are one count
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"  # Vietnamese page or JSON, HTTP 429
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # models.W040: SQLite builds the help sessions' covering index on its key columns only. The INCLUDE
    # columns are for PostgreSQL's national scan; a development database needs the key alone.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
# With Redis, sessions are read from the cache and written to both (Django's cached_db): no session
# query per page; Redis down or a miss falls back to the table. Without Redis the cache is per process,
# where a sign-out in one worker would not reach another's copy: sessions stay in the table alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
# Idle timeout: an active session is saved (its expiry moved on) at most every 5 minutes, not on
# every request (portal.middleware.SessionRefreshMiddleware).
SESSION_REFRESH_SECONDS = 5 * 60

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an unauthenticated call answers 401 with "WWW-Authenticate: Token" (DRF takes the
    # header from the first class; session auth has none and would answer 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.portal_exception_handler",
    "DATE_INPUT_FORMATS": ["%d/%m/%Y", "iso-8601"],
}
# Requests to the API token endpoint per client IP (accounts.api.views.SignInThrottle): 429 beyond.
API_AUTH_THROTTLE = env.str("API_AUTH_THROTTLE", default="20/minute")
# API tokens (django-rest-knox): stored hashed, expire after API_TOKEN_TTL hours, sent as
# "Authorization: Token ..."; a password change ends them (accounts.models.User.save).
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=env.int("API_TOKEN_TTL", default=24)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đoàn CĐS portal API",
    "DESCRIPTION": "Agreements, volunteer teams, e-government support and progress of the youth union's "
    "digital-transformation programme. Every list is scoped to the caller's org units.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are for signed-in staff and integrators, not for anyone on the network.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind", "status" or "role": give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "OrgUnitKindEnum": "org.models.OrgUnit.Kind",
        "RoleEnum": "accounts.models.Role",
        "IndicatorKindEnum": "partnerships.models.Indicator.Kind",
        "PartnerKindEnum": "partnerships.models.Partner.Kind",
        "AgreementKindEnum": "partnerships.models.Agreement.Kind",
        "AgreementStatusEnum": "partnerships.models.Agreement.Status",
        "PartyRoleEnum": "partnerships.models.AgreementParty.Role",
        "CommitmentStatusEnum": "partnerships.models.Commitment.Status",
        "TeamKindEnum": "volunteers.models.Team.Kind",
        "TeamStatusEnum": "volunteers.models.Team.Status",
        "MembershipRoleEnum": "volunteers.models.Membership.Role",
        "ActivityKindEnum": "volunteers.models.Activity.Kind",
        "TargetStatusEnum": "progress.models.TargetStatus.Status",
        "SignoffStatusEnum": "signoff.models.SignoffStatus",
    },
}

# --- Language, dates, time --------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
# Django's vi locale has none, and "05/03/2026" must mean 5 March. Libraries read the global one.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"  # uploads are only served through views that check scope
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------
# EMAIL_URL (django-environ): smtp+tls://user:password@smtp.example.org:587, smtps://... for implicit
# TLS. Without it, development prints mail to the console; production sends nothing (a logged error
# per message, never its body: a password-reset link must not land in the server log), and
# `manage.py check --deploy` fails (accounts/checks.py).
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "accounts.mail.UnconfiguredEmailBackend"
    )
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # seconds: a slow SMTP server must not hold a worker
SERVER_EMAIL = env.str("SERVER_EMAIL", default="Đoàn CĐS <no-reply@doan-cds.local>")
# Where the portal is reached: links in e-mails (reminders) are made absolute with it.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Đoàn CĐS <no-reply@doan-cds.local>")

# --- Security ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The language switch's cookie: sent on same-site navigation only, never read by scripts; Secure
# with the session cookie (below).
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Browser features the portal never uses are off for it and anything it could embed
# (django-permissions-policy). A photo taken for an activity goes through the file picker, which
# this does not block.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The container's healthcheck calls /health/ over plain HTTP from inside: a redirect to https
    # would never reach the view (docker-compose.yml).
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# No inline scripts on the portal's pages; the stock admin is left out of the policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline style attributes (progress bars, Chart.js sizing) are harmless; inline scripts are not.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The service worker (/sw.js) and the web app manifest, from this site only (issue 24).
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}

# Every line goes through the redaction filter (phones, ID numbers, secrets: core/audit_log.py).
# Security events are JSON lines from the "portal.audit" logger: log_event(event, **fields).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.audit_log.RedactingFilter"}},
    # Every stamp says its zone (2026-12-07 07:31:29,146+0700): the processes run in TIME_ZONE.
    "formatters": {
        "plain": {
            "class": "config.log_format.ZonedFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "django.server": {
            "class": "config.log_format.ZonedServerFormatter",
            "format": "[{asctime}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "core.audit_log.StderrHandler", "formatter": "plain", "filters": ["redact"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "portal.audit": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# Services that tests may need: with REQUIRE_SERVICES=1 a missing one fails instead of skipping.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)

# Demo data: the password every demo account gets (README lists the accounts).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

CELERY_BEAT_SCHEDULE.update(
    {
        # Every 5 minutes: beat proves it is alive; /health/ shows when it last ran.
        "beat-heartbeat": {"task": "core.tasks.beat_heartbeat_task", "schedule": crontab(minute="*/5")},
        # Every 3 minutes: the progress rollup consumes dirty marks (the after-commit queueing may miss some).
        "progress-rollup-dirty": {
            "task": "progress.tasks.rollup_dirty_task",
            "schedule": crontab(minute="*/3"),
        },
        # Nightly at 02:30: the full progress recompute, the safety net of the incremental one.
        "progress-rollup-full": {
            "task": "progress.tasks.rollup_progress_task",
            "schedule": crontab(hour=2, minute=30),
        },
    }
)

CELERY_BEAT_SCHEDULE.update(
    {
        # 00:20 daily: agreements follow their dates (signed → active → ended), open commitments past due → overdue.
        "partnerships-follow-dates": {
            "task": "partnerships.tasks.follow_agreement_dates_task",
            "schedule": crontab(hour=0, minute=20),
        },
        # 07:00 daily, after the status run: reminders 90/30/7 days before a phase ends and for overdue commitments.
        "partnerships-reminders": {
            "task": "partnerships.tasks.send_agreement_reminders_task",
            "schedule": crontab(hour=7, minute=0),
        },
        # Daily at 02:15: erase citizens' follow-up contacts past their purge date (the counts stay).
        "egov-purge-follow-up-contacts": {
            "task": "egov_support.tasks.purge_follow_up_contacts_task",
            "schedule": crontab(hour=2, minute=15),
        },
    }
)

CELERY_BEAT_SCHEDULE.update(
    {
        # Every 15 minutes: the reporting reminders each province's schedule makes due (by default
        # Friday 16:00 for the week, the 3rd working day 08:00 for the month before); once per period.
        "reporting-scheduled-reminders": {
            "task": "reporting.tasks.send_scheduled_reminders_task",
            "schedule": crontab(minute="*/15"),
        },
    }
)
