"""Access expectations for partners and agreements: pages, API, export, document, admin
(format: tests/access.py).

Each position holds one agreement whose only union party is the unit there (with one objective,
one commitment, one target and a PDF). Agreements follow their own view rule: a unit also sees the
agreements of the units above it (and of their dissolved predecessors), read only.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from partnerships.models import Agreement, Commitment, Partner
from tests.access import (
    ALL,
    ANONYMOUS,
    DESCENDANT,
    DISSOLVED,
    IN_PROVINCE_A,
    LEADER_A,
    MANAGE,
    NONE,
    OTHER,
    OWN,
    PARENT,
    POSITIONS,
    STAFF_A,
    STAFF_B,
    VIEWER,
    Entry,
    Saves,
    anywhere,
    by_scope,
    per_persona,
    tiered,
)
from tests.partnerships.factories import PartnerFactory, make_agreement, objective_with_everything

# Leader A sees the agreements of its province (and of Bến Tre, merged into it), read only.
AGREEMENT_VIEW = {
    ANONYMOUS: NONE,
    VIEWER: ALL,
    LEADER_A: frozenset({OWN, DESCENDANT, PARENT, DISSOLVED}),
    STAFF_A: IN_PROVINCE_A,
    STAFF_B: frozenset({OTHER}),
    "admin": ALL,
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def populate(world) -> None:
    if hasattr(world, "agreements"):
        return
    world.partner = PartnerFactory(name="VNPT Vĩnh Long")
    world.agreements = {}
    for position, unit in world.units.items():
        agreement = make_agreement(
            units=[unit],
            partners=[world.partner],
            title=f"Thỏa thuận {position}",
            objectives=[objective_with_everything(unit=unit, due=datetime.date(2030, 1, 1))],
        )
        agreement.document.save("thoa-thuan.pdf", ContentFile(PDF))
        world.agreements[position] = agreement


def agreement_at(world, position) -> Agreement:
    return world.agreements[position]


def _agreement_url(name):
    return lambda world, position: reverse(name, args=[agreement_at(world, position).pk])


def _snapshot(world):
    return [
        list(Agreement.objects.order_by("pk").values()),
        list(Commitment.objects.order_by("pk").values()),
        list(Partner.objects.order_by("pk").values()),
    ]


def _xlsx_agreements(response) -> set[int]:
    """Agreement pks of an export (found by title: each position's title is unique)."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    return set(Agreement.objects.filter(title__in=titles).values_list("pk", flat=True))


def _page_rows(response):
    return {a.pk for a in response.context["page"].object_list}


def _api_rows(response):
    return {row["id"] for row in response.json()["results"]}


signed_in = per_persona(anonymous=302, default=200)
api_signed_in = per_persona(anonymous=401, default=200)
_rows = {"row_objects": agreement_at, "row_scope": AGREEMENT_VIEW}
_managers_only = anywhere(MANAGE)

ENTRIES = [
    # --- Pages ---
    Entry("partnerships:agreement_list", {"GET": signed_in}, rows=_page_rows, **_rows),
    Entry("partnerships:agreement_export", {"GET": signed_in}, rows=_xlsx_agreements, **_rows),
    Entry(
        "partnerships:agreement_create",
        {"GET": _managers_only, "POST": anywhere(MANAGE, allowed=400)},
        snapshot=_snapshot,
        data={"title": ""},
    ),
    Entry(
        "partnerships:agreement_detail",
        {"GET": by_scope(AGREEMENT_VIEW)},
        url=_agreement_url("partnerships:agreement_detail"),
        variants=POSITIONS,
    ),
    Entry(
        "partnerships:agreement_edit",
        {"GET": tiered(AGREEMENT_VIEW, MANAGE), "POST": tiered(AGREEMENT_VIEW, MANAGE, allowed=400)},
        url=_agreement_url("partnerships:agreement_edit"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"title": ""},
    ),
    Entry(
        "partnerships:agreement_print",
        {"GET": by_scope(AGREEMENT_VIEW)},
        url=_agreement_url("partnerships:agreement_print"),
        variants=POSITIONS,
    ),
    Entry(
        "partnerships:agreement_pdf",
        {"GET": by_scope(AGREEMENT_VIEW)},
        url=_agreement_url("partnerships:agreement_pdf"),
        variants=POSITIONS,
    ),
    Entry(
        "partnerships:agreement_document",
        {"GET": by_scope(AGREEMENT_VIEW)},
        url=_agreement_url("partnerships:agreement_document"),
        variants=POSITIONS,
    ),
    Entry(
        "partnerships:agreement_transition",
        {
            "GET": per_persona(anonymous=302, default=405),
            "POST": tiered(AGREEMENT_VIEW, MANAGE, allowed=Saves(302)),
        },
        url=_agreement_url("partnerships:agreement_transition"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"to": "terminated"},
    ),
    Entry(
        "partnerships:commitment_done",
        {"POST": tiered(AGREEMENT_VIEW, MANAGE, allowed=Saves(302))},
        url=lambda world, position: reverse(
            "partnerships:commitment_done",
            args=[Commitment.objects.get(objective__agreement=agreement_at(world, position)).pk],
        ),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"done": "1"},
    ),
    Entry("partnerships:partner_list", {"GET": signed_in}),
    Entry(
        "partnerships:partner_create",
        {"GET": _managers_only, "POST": anywhere(MANAGE, allowed=(Saves(302), 200))},
        snapshot=_snapshot,
        data={"name": "Viettel Vĩnh Long", "kind": "enterprise"},
    ),
    Entry(
        "partnerships:partner_edit",
        {"GET": _managers_only, "POST": anywhere(MANAGE, allowed=Saves(302))},
        url=lambda world, variant: reverse("partnerships:partner_edit", args=[world.partner.pk]),
        snapshot=_snapshot,
        data={"name": "VNPT Vĩnh Long (đổi tên)", "kind": "enterprise"},
    ),
    # --- API ---
    Entry(
        "partner-list",
        {
            "GET": api_signed_in,
            "POST": anywhere(MANAGE, allowed=(Saves(201), 400), anonymous=401),
        },
        snapshot=_snapshot,
        data={"name": "Viettel Thanh Hóa", "kind": "enterprise"},
    ),
    Entry(
        "partner-detail",
        {
            "GET": api_signed_in,
            "PUT": anywhere(MANAGE, allowed=Saves(200), anonymous=401),
            "PATCH": anywhere(MANAGE, allowed=Saves(200), anonymous=401),
        },
        url=lambda world, variant: reverse("partner-detail", args=[world.partner.pk]),
        snapshot=_snapshot,
        data={"name": "VNPT (API)", "kind": "enterprise"},
    ),
    Entry(
        "agreement-list",
        {"GET": api_signed_in, "POST": anywhere(MANAGE, allowed=400, anonymous=401)},
        rows=_api_rows,
        snapshot=_snapshot,
        data={"title": "Mới", "start_date": "2026-01-01", "end_date": "2026-12-31", "parties": []},
        **_rows,
    ),
    Entry(
        "agreement-detail",
        {
            "GET": by_scope(AGREEMENT_VIEW, anonymous=401),
            # A PUT without the required fields fails validation (400) before the rights are checked.
            "PUT": tiered(AGREEMENT_VIEW, MANAGE, allowed=(Saves(200), 400), denied=400, anonymous=401),
            "PATCH": tiered(AGREEMENT_VIEW, MANAGE, allowed=Saves(200), anonymous=401),
        },
        url=_agreement_url("agreement-detail"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"title": "Đổi tên qua API"},
    ),
    Entry(
        "agreement-transition",
        {"POST": tiered(AGREEMENT_VIEW, MANAGE, allowed=(Saves(200), 400), anonymous=401)},
        url=_agreement_url("agreement-transition"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"to": "terminated"},
    ),
]

ADMIN_OBJECTS = {Agreement: agreement_at}
# Admin is for editing: staff see there only the agreements of units they manage.
ADMIN_ROW_SCOPE = {Agreement: MANAGE}
_not_staff = {"anonymous": 302, "viewer": 302, "leader_a": 302}
_nobody = per_persona(**_not_staff, default=403)
_staff = per_persona(**_not_staff, default=200)
_missing = per_persona(**_not_staff, default=302)  # object "0": the admin's "does not exist"
ADMIN_OVERRIDES = {
    # Agreements are created in the portal's form and deleted only by the superuser.
    "admin:partnerships_agreement_add": {"GET": _nobody},
    "admin:partnerships_agreement_delete": {
        "GET": per_persona(**_not_staff, default=403, admin=200),
        "POST": per_persona(**_not_staff, default=403, admin=None),
    },
    # The indicator catalogue: staff read it, only the superuser adds or changes, nobody deletes.
    "admin:partnerships_indicator_changelist": {"GET": _staff},
    "admin:partnerships_indicator_change": {
        "GET": _missing,
        "POST": per_persona(**_not_staff, default=403, admin=302),
    },
    "admin:partnerships_indicator_delete": {"GET": _nobody, "POST": _nobody},
    # Partners belong to no unit: province staff maintain them; nobody deletes (agreements refer to them).
    "admin:partnerships_partner_changelist": {"GET": _staff},
    "admin:partnerships_partner_add": {"GET": _staff},
    "admin:partnerships_partner_change": {"GET": _missing, "POST": _missing},
    "admin:partnerships_partner_delete": {"GET": _nobody, "POST": _nobody},
}
