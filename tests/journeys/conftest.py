"""Persona journeys: what each person does in the portal, driven through Chromium the way they do it.

Leaders on a phone (390 x 844), staff on a desktop (1280 x 800); the real buttons, JavaScript on, no
service called to get past a screen; each journey keeps a screenshot of its last screen in SCREENSHOTS.
"""

import importlib

import pytest

LEADER_PHONE = {"width": 390, "height": 844}
STAFF_DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def leader_page(browser_context_factory):
    return browser_context_factory(LEADER_PHONE)


@pytest.fixture
def staff_page(browser_context_factory):
    return browser_context_factory(STAFF_DESKTOP)


@pytest.fixture(autouse=True)
def migrations_catalogue(transactional_db):
    """The catalogue the data migrations load (services, indicators and their rules): a browser test's
    transactional database is flushed after each test, so a journey that seeds the demo after another
    journey found no indicators (Indicator.DoesNotExist, a target "not computed"). The migrations'
    own functions put it back; they leave rows that are there alone."""
    from django.apps import apps

    for module, function in (
        ("egov_support.migrations.0002_seed_service_catalogue", "seed_services"),
        ("egov_support.migrations.0012_service_app_tnvn", "seed_services"),
        ("partnerships.migrations.0002_indicators_catalogue", "add_indicators"),
        ("progress.migrations.0002_indicator_rules", "add_rules"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)
