"""Scoping fails closed: with no role, every read of unit-owned data is empty or a 404.

The access matrix proves the exact rows per persona; this walks the code instead, so a new selector,
API list or admin that forgets the scope fails here even before anyone writes its table entry:
- every selector taking ``user`` (each app's ``selectors`` module), called for an account with no role;
- every list route of the API, for that account;
- every ModelAdmin of a unit-owned model (found from the models' foreign keys), for a staff account
  with no role: it must be a ScopedAdminMixin or closed to everyone but the superuser.
"""

import datetime
import importlib
import inspect

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.admin_scoping import ScopedAdminMixin
from org.models import OrgUnit
from reporting.periods import Period
from tests.access import OWN
from tests.factories import UserFactory
from tests.test_access_matrix import POPULATE, build_world

DOMAIN_APPS = (
    "org",
    "accounts",
    "notifications",
    "signoff",
    "partnerships",
    "volunteers",
    "egov_support",
    "reporting",
    "progress",
)
# Rows that belong to no unit: catalogues shared by the whole country, readable by every signed-in user.
UNSCOPED = {"partner_list", "partner-list", "service-list", "indicator-list"}


def _unit_path(model, depth=3):
    """The lookup from ``model`` to the OrgUnit that owns it ("team__org_unit"), or None."""
    if model is OrgUnit:
        return ""
    if depth == 0:
        return None
    for field in model._meta.get_fields():
        if isinstance(field, ForeignKey) and field.related_model is OrgUnit and field.name != "successor":
            return field.name
    for field in model._meta.get_fields():
        if isinstance(field, ForeignKey) and field.related_model._meta.app_label in DOMAIN_APPS:
            inner = _unit_path(field.related_model, depth - 1)
            if inner is not None and field.related_model is not OrgUnit:
                return f"{field.name}__{inner}" if inner else field.name
    return None


def unit_owned_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS
        and not model.__name__.startswith("Historical")
        and _unit_path(model) is not None
    ]


@pytest.fixture
def nobody(db):
    """Signed in, staff flag even, but no role on any unit."""
    return UserFactory(username="nobody_staff", is_staff=True)


@pytest.fixture
def full_world(tree, personas):
    world = build_world(tree, personas)
    for populate in POPULATE.values():
        populate(world)
    return world


def _selectors():
    for app in DOMAIN_APPS:
        try:
            module = importlib.import_module(f"{app}.selectors")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and "user" in inspect.signature(function).parameters:
                yield pytest.param(function, id=f"{app}.{name}")


def _arguments(world):
    unit = world.units[OWN]
    return {
        "pk": lambda: world.teams[OWN].pk,
        "unit": lambda: unit,
        "unit_id": lambda: unit.pk,
        "iso_year": lambda: 2025,
        "iso_week": lambda: 41,
        "period": lambda: Period("week", 2025, 41),
        "year": lambda: 2025,
        "teams": lambda: world.teams[OWN].__class__.objects.all(),
        "team": lambda: world.teams[OWN],
        "agreement": lambda: world.agreements[OWN],
        "kpis": lambda: [],
        "volunteer": lambda: world.volunteers[OWN],
        "campaign": lambda: world.campaigns[OWN],
        "today": lambda: datetime.date(2025, 11, 5),  # October ended: every unit's month unsent
    }


@pytest.mark.django_db
@pytest.mark.parametrize("selector", list(_selectors()))
def test_selectors_return_nothing_without_a_role(selector, full_world, nobody):
    arguments = _arguments(full_world)
    kwargs = {"user": nobody}
    for name, parameter in inspect.signature(selector).parameters.items():
        if name == "user" or parameter.default is not inspect.Parameter.empty:
            continue
        assert name in arguments, f"{selector.__name__}: add a value for {name!r} to _arguments()"
        kwargs[name] = arguments[name]()
    try:
        result = selector(**kwargs)
    except Http404:
        return
    if selector.__name__ in UNSCOPED or result is None:
        return
    if isinstance(result, QuerySet):
        assert not result.exists(), f"{selector.__name__} returned rows for an account with no role"
    elif isinstance(result, list | tuple):
        assert not any(result), f"{selector.__name__} returned {result!r}"
    elif isinstance(result, dict):
        assert not any(result.values()), f"{selector.__name__} returned {result!r}"
    elif isinstance(result, int):  # a count of what the user may see
        assert result == 0, f"{selector.__name__} counted {result} for an account with no role"
    else:
        pytest.fail(f"{selector.__name__} returned {result!r} for an account with no role")


def _api_list_routes(patterns=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_list_routes(pattern.url_patterns)
        elif (
            isinstance(pattern, URLPattern)
            and (pattern.name or "").endswith("-list")
            and "format" not in str(pattern.pattern)
        ):
            yield pattern.name


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(set(_api_list_routes())))
def test_api_lists_are_empty_without_a_role(route, full_world, nobody):
    client = Client()
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse(route))
    assert response.status_code in (200, 404)
    if response.status_code == 200 and route not in UNSCOPED:
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        assert rows == [], f"{route} listed {len(rows)} rows for an account with no role"


def test_every_unit_owned_model_is_found():
    # The walk above must see the models the access layer is about; a refactor that hides them fails.
    names = {model.__name__ for model in unit_owned_models()}
    assert {"Team", "Volunteer", "Activity", "HelpSession", "ServiceStatistic", "Target"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [m for m in unit_owned_models() if m in admin.site._registry],
    ids=lambda m: m.__name__,
)
def test_admin_of_unit_owned_models_is_scoped(model, full_world, nobody):
    model_admin = admin.site._registry[model]
    client = Client()
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    if isinstance(model_admin, ScopedAdminMixin):
        assert response.status_code == 403 or not response.context["cl"].result_list
    else:
        # Not scoped: it must be closed to every staff account that is not the superuser.
        assert response.status_code == 403, f"{model.__name__}'s admin is open and not scoped"
