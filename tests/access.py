"""The access matrix: expectations per URL name × method × persona × object position.

Each app lists its URLs in ``tests/<app>/access_table.py`` (see CONTRIBUTING "Access matrix");
``tests/test_access_matrix.py`` merges every table, adds Django admin generically from the admin
registry, runs every case and fails when a URL pattern of the resolver is in no table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

# --- Personas (fixtures of tests/conftest.py) --------------------------------------------------
ANONYMOUS, VIEWER, LEADER_A, STAFF_A, STAFF_B, ADMIN = (
    "anonymous",
    "viewer",
    "leader_a",
    "staff_a",
    "staff_b",
    "admin",
)
PERSONAS = (ANONYMOUS, VIEWER, LEADER_A, STAFF_A, STAFF_B, ADMIN)
SIGNED_IN = PERSONAS[1:]
ADMIN_SITE_USERS = (STAFF_A, STAFF_B, ADMIN)  # is_staff: province staff and the superuser

# --- Object positions, seen from commune leader A (Đoàn phường An Hội, in Vĩnh Long) -------------
OWN = "own_unit"  # Đoàn phường An Hội
DESCENDANT = "descendant"  # a school union under An Hội
SIBLING = "sibling_commune"  # Đoàn phường Phú Khương, same province
PARENT = "parent_province"  # Tỉnh đoàn Vĩnh Long
OTHER = "other_province"  # Đoàn phường Hạc Thành, Thanh Hóa
DISSOLVED = "dissolved_merged"  # Tỉnh đoàn Bến Tre, dissolved and merged into Vĩnh Long
POSITIONS = (OWN, DESCENDANT, SIBLING, PARENT, OTHER, DISSOLVED)
ALL = frozenset(POSITIONS)
NONE: frozenset = frozenset()
IN_PROVINCE_A = frozenset({OWN, DESCENDANT, SIBLING, PARENT, DISSOLVED})

# Who may do what where: written out, not computed by the access layer under test.
VIEW = {
    ANONYMOUS: NONE,
    VIEWER: ALL,  # read-only on the whole country
    LEADER_A: frozenset({OWN, DESCENDANT}),
    STAFF_A: IN_PROVINCE_A,
    STAFF_B: frozenset({OTHER}),
    ADMIN: ALL,
}
LOG = {**VIEW, VIEWER: NONE}
MANAGE = {**LOG, LEADER_A: NONE}


class Saves(int):
    """An expected status that means the write was allowed (the database may change)."""


@dataclass
class Entry:
    """One URL name and what each persona gets from it.

    ``expect`` maps a method to a status, or to ``f(persona, variant) -> status | None`` (None: not
    run, e.g. a successful delete that would destroy the fixture). ``variants`` are the object
    positions (or other labels) the URL is built for; ``url(world, variant)`` builds it.
    ``rows(response) -> set[pk]`` with ``row_objects(world, position)`` checks a list shows exactly
    the rows of ``row_scope[persona]``. Writes that are refused must leave ``snapshot(world)`` equal.
    """

    name: str
    expect: dict[str, int | tuple[int, ...] | Callable]
    url: Callable[[SimpleNamespace, str | None], str] | None = None
    variants: tuple = (None,)
    rows: Callable | None = None
    row_objects: Callable | None = None
    row_scope: dict | None = None
    snapshot: Callable | None = None
    data: dict | Callable = field(default_factory=dict)  # or ``data(world, variant) -> dict``
    also_covers: tuple[str, ...] = ()  # unnamed patterns (routes) this entry stands for
    app: str = ""  # the app whose table (and ``populate``) the entry comes from; set by the matrix

    def cases(self):
        for method, expectation in self.expect.items():
            for persona in PERSONAS:
                for variant in self.variants:
                    status = expectation(persona, variant) if callable(expectation) else expectation
                    if status is not None:
                        yield method, persona, variant, status


def by_scope(scope: dict, inside=200, outside=404, **fixed) -> Callable:
    """``inside`` when the position is in ``scope[persona]``, else ``outside``; ``fixed`` statuses
    for personas the scope does not decide (anonymous: 302 unless given)."""
    fixed.setdefault(ANONYMOUS, 302)

    def expect(persona, position):
        if persona in fixed:
            return fixed[persona]
        return inside if position in scope[persona] else outside

    return expect


def per_persona(**statuses) -> Callable:
    """``per_persona(anonymous=302, default=200, staff_a=403)``."""
    default = statuses.pop("default", None)

    def expect(persona, variant):
        return statuses.get(persona, default)

    return expect


def tiered(view: dict, act: dict, allowed=200, denied=403, outside=404, **fixed) -> Callable:
    """Pages that find the object in ``view`` scope and then check ``act``: ``allowed`` where the
    persona may act, ``denied`` where they only see the object, ``outside`` (404) elsewhere."""
    fixed.setdefault(ANONYMOUS, 302)

    def expect(persona, position):
        if persona in fixed:
            return fixed[persona]
        if position in act[persona]:
            return allowed
        return denied if position in view[persona] else outside

    return expect


def anywhere(scope: dict, allowed=200, denied=403, **fixed) -> Callable:
    """Pages with no object (a create form, an import): ``allowed`` for a persona whose ``scope``
    holds any position, ``denied`` otherwise."""
    fixed.setdefault(ANONYMOUS, 302)

    def expect(persona, variant):
        if persona in fixed:
            return fixed[persona]
        return allowed if scope[persona] else denied

    return expect
