"""Access expectations of the monthly sign-off: pages, step buttons and API (format: tests/access.py).

Each position holds one sign-off: its August 2025 submitted and waiting for approval (a submitted
month locks its figures: no other table's facts fall in it, so a world populated by every table
still lets them change theirs).
"""

import datetime

from django.urls import reverse

from signoff.models import MonthSignoff, SignoffEvent, SignoffStatus
from tests.access import LOG, MANAGE, POSITIONS, VIEW, Entry, Saves, by_scope, per_persona, tiered

AUGUST = datetime.date(2025, 8, 1)


def populate(world) -> None:
    if hasattr(world, "signoffs"):
        return
    world.signoffs = {}
    for position, unit in world.units.items():
        world.signoffs[position] = MonthSignoff.objects.create(
            org_unit=unit,
            month=AUGUST,
            status=SignoffStatus.SUBMITTED,
            submitted_at=datetime.datetime(2025, 9, 3, 8, tzinfo=datetime.UTC),
        )


def _snapshot(world):
    return [list(model.objects.order_by("pk").values()) for model in (MonthSignoff, SignoffEvent)]


def _step(step, month="2025-08"):
    year, number = month.split("-")
    return lambda world, position: reverse(
        "signoff:month_step", args=[world.units[position].pk, int(year), int(number), step]
    )


def _api_rows(response):
    body = response.json()
    return {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}


# A step in scope always lands back on the unit's page (done, or refused with the message there);
# one the user may not take is a 403, a unit outside their view a 404.
_decide = tiered(VIEW, MANAGE, allowed=Saves(302), denied=403)
_api_decide = tiered(VIEW, MANAGE, allowed=(Saves(200), 400), denied=403, anonymous=401)

ENTRIES = [
    Entry("signoff:month_overview", {"GET": per_persona(anonymous=302, default=200)}),
    Entry(
        "signoff:month_overview",
        {"GET": per_persona(anonymous=302, default=200)},
        url=lambda world, variant: reverse("signoff:month_overview") + "?month=2025-08&status=submitted",
    ),
    Entry(
        "signoff:unit_months",
        {"GET": by_scope(VIEW)},
        url=lambda world, position: reverse("signoff:unit_months", args=[world.units[position].pk]),
        variants=POSITIONS,
    ),
    Entry(
        "signoff:month_step",
        {"POST": tiered(VIEW, LOG, allowed=Saves(302), denied=403)},
        url=_step("submit", "2025-11"),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    Entry(
        "signoff:month_step",
        {"POST": tiered(VIEW, LOG, allowed=Saves(302), denied=403)},
        url=_step("withdraw"),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    Entry(
        "signoff:month_step", {"POST": _decide}, url=_step("approve"), variants=POSITIONS, snapshot=_snapshot
    ),
    Entry(
        "signoff:month_step",
        {"POST": _decide},
        url=_step("return"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"reason": "Thiếu số liệu"},
    ),
    Entry(
        "signoff:month_step",
        {"POST": _decide},
        url=_step("unlock"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"reason": "Sửa số liệu"},
    ),
    Entry(
        "month-signoff-list",
        {
            "GET": per_persona(anonymous=401, default=200),
            "POST": by_scope(LOG, inside=(Saves(201), 400), outside=400, anonymous=401),
        },
        rows=_api_rows,
        row_objects=lambda world, position: world.signoffs[position],
        row_scope=VIEW,
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {"org_unit": world.units[position].pk, "month": "2025-11"},
    ),
    Entry(
        "month-signoff-detail",
        {"GET": by_scope(VIEW, anonymous=401)},
        url=lambda world, position: reverse("month-signoff-detail", args=[world.signoffs[position].pk]),
        variants=POSITIONS,
    ),
    *(
        Entry(
            f"month-signoff-{step}",
            {"POST": _api_decide},
            url=lambda world, position, step=step: reverse(
                f"month-signoff-{step}", args=[world.signoffs[position].pk]
            ),
            variants=POSITIONS,
            snapshot=_snapshot,
            data={"reason": "Lý do"},
        )
        for step in ("approve", "return", "unlock")
    ),
    Entry(
        "month-signoff-withdraw",
        {"POST": tiered(VIEW, LOG, allowed=(Saves(200), 400), denied=403, anonymous=401)},
        url=lambda world, position: reverse("month-signoff-withdraw", args=[world.signoffs[position].pk]),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
]
