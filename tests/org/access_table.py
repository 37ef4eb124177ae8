"""Access expectations for the org hierarchy's pages, API and admin (format: tests/access.py)."""

from django.urls import reverse

from org.models import OrgUnit
from tests.access import MANAGE, POSITIONS, VIEW, Entry, Saves, by_scope, per_persona, tiered


def _unit_url(name):
    return lambda world, position: reverse(name, args=[world.units[position].pk])


def _snapshot(world):
    return list(OrgUnit.objects.order_by("pk").values())


def _api_rows(response):
    return {row["id"] for row in response.json()["results"]}


ENTRIES = [
    Entry(
        "org:unit_list",
        {"GET": per_persona(anonymous=302, default=200)},
        rows=lambda response: {unit.pk for unit in response.context["page"].object_list},
        row_objects=lambda world, position: world.units[position],
        row_scope=VIEW,
    ),
    Entry(
        "org:unit_pick",
        {"GET": per_persona(anonymous=302, default=200)},
        rows=lambda response: {row["value"] for row in response.json()["results"]},
        row_objects=lambda world, position: world.units[position],
        # A picker offers current units only: a dissolved unit is never chosen for new data.
        row_scope={persona: positions - {"dissolved_merged"} for persona, positions in VIEW.items()},
    ),
    Entry("org:unit_detail", {"GET": by_scope(VIEW)}, url=_unit_url("org:unit_detail"), variants=POSITIONS),
    Entry(
        "org:unit_document_settings",
        {
            "GET": tiered(VIEW, MANAGE),  # 403 where the unit is only seen, 404 outside
            "POST": tiered(VIEW, MANAGE, allowed=Saves(302)),
        },
        url=_unit_url("org:unit_document_settings"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"document_place": "Nơi khác", "signer_title": "Bí thư", "signer_name": "Người Ký"},
    ),
    Entry(
        "org-unit-list",
        {
            "GET": per_persona(anonymous=401, default=200),
            "POST": per_persona(anonymous=401, default=405),  # read-only: units come from the official list
        },
        rows=_api_rows,
        row_objects=lambda world, position: world.units[position],
        row_scope=VIEW,
        snapshot=_snapshot,
        data={"code": "99999", "name": "Đoàn xã Mới", "kind": "commune"},
    ),
    Entry(
        "org-unit-detail",
        {
            "GET": by_scope(VIEW, anonymous=401),
            "PUT": per_persona(anonymous=401, default=405),
            "PATCH": per_persona(anonymous=401, default=405),
            "DELETE": per_persona(anonymous=401, default=405),
        },
        url=_unit_url("org-unit-detail"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"name": "Đổi tên", "parent": None},
    ),
]

# Django admin (covered generically by tests/test_access_matrix.py): the objects at each position,
# and where the org-unit admin differs from the default (units are loaded, never added or deleted).
ADMIN_OBJECTS = {OrgUnit: lambda world, position: world.units[position]}
_superuser_only = per_persona(anonymous=302, viewer=302, leader_a=302, default=403, admin=200)
_never = per_persona(anonymous=302, viewer=302, leader_a=302, default=403)
ADMIN_OVERRIDES = {
    "admin:org_orgunit_add": {"GET": _superuser_only},
    "admin:org_orgunit_delete": {"GET": _never, "POST": _never},
}
