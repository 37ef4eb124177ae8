"""Persona journeys: what each person does in the portal, driven through Chromium the way they do it.

Leaders on a phone (390 x 844), staff on a desktop (1280 x 800); the real buttons, JavaScript on, no
service called to get past a screen; each journey keeps a screenshot of its last screen in SCREENSHOTS.
"""

import pytest

LEADER_PHONE = {"width": 390, "height": 844}
STAFF_DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def leader_page(browser_context_factory):
    return browser_context_factory(LEADER_PHONE)


@pytest.fixture
def staff_page(browser_context_factory):
    return browser_context_factory(STAFF_DESKTOP)
