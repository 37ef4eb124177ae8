"""Test overlay: the production settings with what a test run needs and nothing more."""

import os
import uuid

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-000000000000000000")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: F403

# Manifest storage needs collectstatic; plain storage keeps tests independent of it.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/cds-test-media")  # noqa: S108
# The live server's thread must not keep connections open, or the test database cannot be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tests log personas in without a phone; the two-factor tests turn the rule on with `settings`.
MFA_REQUIRED_FOR_STAFF = False
# Test processes share one Redis (with each other, with the other pytest phase, with other runs on the
# machine): each keys its entries under its own prefix, this run's token plus the xdist worker's name
# (processes a test starts, such as a Celery worker, inherit both). tests/conftest.py clears this
# prefix's keys, and only these, before each test and after the session.
TEST_RUN = os.environ.setdefault("CDS_TEST_RUN", uuid.uuid4().hex[:12])
CACHES["default"]["KEY_PREFIX"] = f"test-{TEST_RUN}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
# The generators' and benchmarks' app (only with DEBUG otherwise): their commands are tested too.
if "devtools" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS.append("devtools")  # noqa: F405
# Many tests ask for API tokens from 127.0.0.1 within a minute; the throttle's own test sets its rate.
API_AUTH_THROTTLE = "10000/minute"
