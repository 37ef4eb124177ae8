"""Access expectations for accounts in Django admin (format: tests/access.py).

Rows of the accounts admin: one member account per position, holding a viewer role there.
"""

from django.urls import reverse

from accounts.models import RoleAssignment, User
from tests.access import MANAGE, POSITIONS, Entry, Saves, anywhere, by_scope, per_persona

NOT_STAFF = {"anonymous": 302, "viewer": 302, "leader_a": 302}

ADMIN_OBJECTS = {
    RoleAssignment: lambda world, position: RoleAssignment.objects.get(user=world.members[position]),
    User: lambda world, position: world.members[position],
}
# Province staff see and edit the accounts of the units they manage.
ADMIN_ROW_SCOPE = {User: MANAGE}
_superuser_only = per_persona(**NOT_STAFF, default=403, admin=200)
ADMIN_OVERRIDES = {
    # Staff may correct names, e-mail and activity of accounts they manage: an empty form is valid
    # there (and deactivates); the superuser's full form needs a username.
    "admin:accounts_user_change": {
        "POST": by_scope(MANAGE, inside=Saves(302), outside=302, **NOT_STAFF, admin=200),
    },
    # Province staff create accounts in the portal (with a role), and never delete them.
    "admin:accounts_user_add": {"GET": _superuser_only},
    "admin:accounts_user_delete": {
        "GET": per_persona(**NOT_STAFF, default=403, admin=200),
        "POST": per_persona(**NOT_STAFF, default=403, admin=None),
    },
}

ENTRIES = [
    Entry(
        "admin:auth_user_password_change",
        {
            "GET": by_scope(MANAGE, inside=200, outside=404, **NOT_STAFF, admin=200),
            "POST": by_scope(MANAGE, inside=200, outside=404, **NOT_STAFF, admin=200),
        },
        url=lambda world, position: reverse(
            "admin:auth_user_password_change", args=[world.members[position].pk]
        ),
        variants=POSITIONS,
        snapshot=lambda world: list(User.objects.order_by("pk").values_list("password", flat=True)),
        data={"password1": "short", "password2": "short"},  # refused by the validators even where allowed
    ),
]


def _snapshot(world):
    return [
        list(User.objects.order_by("pk").values()),
        list(RoleAssignment.objects.order_by("pk").values()),
    ]


def _member_url(name, extra=lambda world, position: ()):
    return lambda world, position: reverse(name, args=[world.members[position].pk, *extra(world, position)])


# The account pages exist only for those who manage accounts: a 404 for leaders and viewers.
_managers = anywhere(MANAGE, denied=404)
_member = {"viewer": 404, "leader_a": 404}
ENTRIES += [
    Entry(
        "accounts:user_list",
        {"GET": _managers},
        rows=lambda response: {u.pk for u in response.context["page"].object_list},
        row_objects=lambda world, position: world.members[position],
        row_scope=MANAGE,
    ),
    Entry(
        "accounts:user_create",
        {"GET": _managers, "POST": _managers},
        snapshot=_snapshot,
        data={"username": ""},
    ),
    Entry(
        "accounts:user_detail",
        {"GET": by_scope(MANAGE, **_member), "POST": by_scope(MANAGE, **_member)},
        url=_member_url("accounts:user_detail"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"role": ""},
    ),
    Entry(
        "accounts:role_revoke",
        # Only refused revocations are posted: an allowed one would remove the fixture's role.
        {"GET": per_persona(anonymous=302, default=405), "POST": by_scope(MANAGE, inside=None, **_member)},
        url=_member_url(
            "accounts:role_revoke",
            lambda world, position: (RoleAssignment.objects.get(user=world.members[position]).pk,),
        ),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    Entry(
        "accounts:user_deactivate",
        {"GET": per_persona(anonymous=302, default=405), "POST": by_scope(MANAGE, inside=None, **_member)},
        url=_member_url("accounts:user_deactivate"),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
]
