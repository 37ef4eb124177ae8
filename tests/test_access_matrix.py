"""The access matrix: every URL pattern × method × persona × object position, one expected status.

Tables: ``tests/<app>/access_table.py`` (``ENTRIES``, optional ``ADMIN_OBJECTS``/``ADMIN_OVERRIDES``);
Django admin is covered generically here from the admin registry. A URL pattern in no table fails
``test_every_url_pattern_is_in_the_table``.
"""

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import ScopedAdminMixin
from accounts.models import Role
from accounts.services import role_assign
from org.models import OrgUnit
from tests.access import (
    ADMIN,
    ADMIN_SITE_USERS,
    ANONYMOUS,
    DESCENDANT,
    DISSOLVED,
    OTHER,
    OWN,
    PARENT,
    PERSONAS,
    POSITIONS,
    SIBLING,
    VIEW,
    Entry,
    Saves,
    by_scope,
    per_persona,
)
from tests.factories import OrgUnitFactory, UserFactory

TESTS = Path(__file__).resolve().parent


def _tables():
    for path in sorted(TESTS.glob("*/access_table.py")):
        yield importlib.import_module(f"tests.{path.parent.name}.access_table")


TABLES = list(_tables())

# Object builders per app: ``populate(world)`` in a table adds that app's rows at every position
# (idempotent; a table may call another app's). A case builds only the rows its app needs.
POPULATE = {table.__name__.split(".")[1]: table.populate for table in TABLES if hasattr(table, "populate")}


ADMIN_OBJECTS = {
    model: make for table in TABLES for model, make in getattr(table, "ADMIN_OBJECTS", {}).items()
}
ADMIN_OVERRIDES = {k: v for table in TABLES for k, v in getattr(table, "ADMIN_OVERRIDES", {}).items()}
ADMIN_ROW_SCOPE = {m: s for table in TABLES for m, s in getattr(table, "ADMIN_ROW_SCOPE", {}).items()}


# --- Django admin, generically per registered ModelAdmin ------------------------------------------

NOT_STAFF = {ANONYMOUS: 302, "viewer": 302, "leader_a": 302}  # the admin sends them to its login


def _snapshot_of(model):
    return lambda world: list(model._default_manager.order_by("pk").values())


def _admin_entries(model, model_admin) -> list[Entry]:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
    scoped = isinstance(model_admin, ScopedAdminMixin) or model in ADMIN_OBJECTS
    changelist = Entry(
        f"{info}_changelist",
        {
            "GET": per_persona(**NOT_STAFF, default=200)
            if scoped
            else per_persona(**NOT_STAFF, default=403, admin=200)
        },
    )
    add = Entry(
        f"{info}_add",
        {
            "GET": per_persona(**NOT_STAFF, default=200)
            if scoped
            else per_persona(**NOT_STAFF, default=403, admin=200)
        },
    )
    if not scoped:
        # No role gives rights on these models: province staff are refused, only the superuser enters.
        def url(name):
            return lambda world, variant: reverse(name, args=["0"])

        missing = per_persona(**NOT_STAFF, default=403, admin=302)
        entries = [
            changelist,
            add,
            Entry(
                f"{info}_change",
                {"GET": missing, "POST": missing},
                url=url(f"{info}_change"),
                snapshot=_snapshot_of(model),
            ),
            Entry(
                f"{info}_delete",
                {"GET": missing, "POST": missing},
                url=url(f"{info}_delete"),
                snapshot=_snapshot_of(model),
            ),
            Entry(
                f"{info}_history",
                # django-simple-history's history page answers 404 for a row that never existed.
                {
                    "GET": per_persona(
                        **NOT_STAFF, default=404 if isinstance(model_admin, SimpleHistoryAdmin) else 302
                    )
                },
                url=url(f"{info}_history"),
            ),
            Entry(
                f"{prefix}<path:object_id>/",
                {"GET": 302},
                url=lambda world, variant, info=info: reverse(f"{info}_change", args=["0"]).removesuffix(
                    "change/"
                ),
            ),
        ]
        if isinstance(model_admin, SimpleHistoryAdmin):
            entries.append(
                Entry(
                    f"{info}_simple_history",
                    {"GET": per_persona(**NOT_STAFF, default=404)},
                    url=lambda world, variant, info=info: reverse(f"{info}_simple_history", args=["0", "0"]),
                )
            )
    else:
        make = ADMIN_OBJECTS.get(model)
        if make is None:
            pytest.fail(
                f"{model.__name__} has a scoped admin: add it to ADMIN_OBJECTS in its access_table.py"
            )
        row_scope = ADMIN_ROW_SCOPE.get(model, VIEW)
        changelist.rows = lambda response: {obj.pk for obj in response.context["cl"].result_list}
        changelist.row_objects = make
        changelist.row_scope = {p: row_scope[p] for p in ADMIN_SITE_USERS}

        def url(name):
            return lambda world, position: reverse(name, args=[make(world, position).pk])

        def fix_admin(expectation):
            # The superuser sees every row; the others as their scope says.
            return lambda persona, position: 200 if persona == ADMIN else expectation(persona, position)

        visible = fix_admin(by_scope(row_scope, inside=200, outside=302, **NOT_STAFF))
        entries = [
            changelist,
            add,
            Entry(
                f"{info}_change",
                {
                    "GET": visible,
                    "POST": by_scope(row_scope, inside=200, outside=302, **NOT_STAFF, admin=200),
                },
                url=url(f"{info}_change"),
                variants=POSITIONS,
                snapshot=_snapshot_of(model),
            ),
            Entry(
                f"{info}_delete",
                {
                    "GET": visible,
                    # Only refused deletes are posted: an allowed one would remove the fixture.
                    "POST": by_scope(row_scope, inside=None, outside=302, **NOT_STAFF, admin=None),
                },
                url=url(f"{info}_delete"),
                variants=POSITIONS,
                snapshot=_snapshot_of(model),
            ),
            Entry(f"{info}_history", {"GET": visible}, url=url(f"{info}_history"), variants=POSITIONS),
            Entry(
                f"{prefix}<path:object_id>/",
                {"GET": 302},
                url=lambda world, position: url(f"{info}_change")(world, position).removesuffix("change/"),
                variants=POSITIONS,
            ),
        ]
        if isinstance(model_admin, SimpleHistoryAdmin):
            # One past version of the row (django-simple-history's "revert" form): as the change page.
            def version_url(world, position, info=info):
                obj = make(world, position)
                return reverse(f"{info}_simple_history", args=[obj.pk, obj.history.latest().history_id])

            entries.append(
                Entry(f"{info}_simple_history", {"GET": visible}, url=version_url, variants=POSITIONS)
            )
    for entry in entries:
        for method, expectation in ADMIN_OVERRIDES.get(entry.name, {}).items():
            entry.expect[method] = expectation
    return entries


def admin_entries() -> list[Entry]:
    entries = []
    for model, model_admin in admin.site._registry.items():
        for entry in _admin_entries(model, model_admin):
            entry.app = model._meta.app_label
            entries.append(entry)
    return entries


def table_entries() -> list[Entry]:
    entries = []
    for table in TABLES:
        for entry in table.ENTRIES:
            entry.app = table.__name__.split(".")[1]
            entries.append(entry)
    return entries


ENTRIES = table_entries() + admin_entries()


# --- Coverage: every pattern of the resolver is in a table ----------------------------------------


def url_patterns(patterns=None, prefix="", namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name or route


def test_every_url_pattern_is_in_the_table():
    covered = {e.name for e in ENTRIES} | {route for e in ENTRIES for route in e.also_covers}
    missing = sorted(set(url_patterns()) - covered)
    assert not missing, (
        f"URL patterns with no access expectations (add them to tests/<app>/access_table.py): {missing}"
    )
    stale = sorted(covered - set(url_patterns()))
    assert not stale, f"access table entries for URLs that no longer exist: {stale}"


def test_matrix_size():
    cases = sum(len(list(e.cases())) for e in ENTRIES)
    print(f"access matrix: {len(ENTRIES)} URL entries, {cases} cases")
    assert cases > 1000


# --- The world every case runs in -------------------------------------------------------------------


@pytest.fixture
def world(tree, personas):
    return build_world(tree, personas)


def build_world(tree, personas) -> SimpleNamespace:
    """The six positions' units and one member account at each (rows of apps come from populate)."""
    school = OrgUnitFactory(
        code="28777-THCS", name="Liên đội THCS An Hội", kind=OrgUnit.Kind.SCHOOL, parent=tree.commune_a
    )
    units = {
        OWN: tree.commune_a,
        DESCENDANT: school,
        SIBLING: tree.sibling_a,
        PARENT: tree.province_a,
        OTHER: tree.commune_b,
        DISSOLVED: tree.dissolved_a,
    }
    # One account per position, holding a viewer role there: the rows of the accounts admin.
    members = {}
    for position, unit in units.items():
        member = UserFactory(username=f"member_{position}")
        role_assign(user=member, role=Role.VIEWER, org_unit=unit)
        members[position] = member
    return SimpleNamespace(
        tree=tree,
        personas=personas,
        units=units,
        members=members,
        unit_content_type=ContentType.objects.get_for_model(OrgUnit),
    )


def _client(world, persona: str) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        client.force_login(
            getattr(world.personas, persona), backend="django.contrib.auth.backends.ModelBackend"
        )
    return client


def _request(client: Client, method: str, url: str, data: dict):
    if method in ("PUT", "PATCH") or (method == "POST" and url.startswith("/api/")):
        return getattr(client, method.lower())(url, data=json.dumps(data), content_type="application/json")
    if method == "DELETE":
        return client.delete(url)
    if method == "GET":
        return client.get(url)
    return getattr(client, method.lower())(url, data=data)


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_access(entry: Entry, world):
    if populate := POPULATE.get(entry.app):
        populate(world)
    clients = {persona: _client(world, persona) for persona in PERSONAS}
    mismatches = []
    for method, persona, variant, expected in entry.cases():
        url = entry.url(world, variant) if entry.url else reverse(entry.name)
        before = entry.snapshot(world) if entry.snapshot and method != "GET" else None
        data = entry.data(world, variant) if callable(entry.data) else entry.data
        response = _request(clients[persona], method, url, data)
        allowed = expected if isinstance(expected, tuple) else (expected,)
        where = f"{method} {url} as {persona}" + (f" ({variant})" if variant else "")
        if response.status_code not in allowed:
            mismatches.append(f"{where}: {response.status_code}, expected {expected}")
            continue
        if entry.rows and method == "GET" and response.status_code == 200:
            listed = entry.rows(response)
            for position in POSITIONS:
                shown = entry.row_objects(world, position).pk in listed
                if shown != (position in entry.row_scope[persona]):
                    mismatches.append(f"{where}: row at {position} {'shown' if shown else 'missing'}")
        refused = response.status_code >= 300 and not any(isinstance(s, Saves) for s in allowed)
        if before is not None and refused and entry.snapshot(world) != before:
            mismatches.append(f"{where}: refused ({response.status_code}) but the database changed")
    assert not mismatches, "\n".join(mismatches)
