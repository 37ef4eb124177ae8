"""Access expectations for the progress dashboards, exports and API (format: tests/access.py).

Dashboards are per org unit: the unit's own page is in scope where the unit is.
"""

from django.urls import reverse

from partnerships.models import Indicator
from tests.access import MANAGE, POSITIONS, VIEW, Entry, Saves, by_scope, per_persona, tiered

signed_in = per_persona(anonymous=302, default=200)
api_signed_in = per_persona(anonymous=401, default=200)


def _unit_url(name):
    return lambda world, position: reverse(name, args=[world.units[position].pk])


ENTRIES = [
    Entry("progress:home", {"GET": per_persona(anonymous=302, default=302)}),
    Entry(
        "progress:dashboard",
        {"GET": by_scope(VIEW)},
        url=_unit_url("progress:dashboard"),
        variants=POSITIONS,
    ),
    Entry(
        "progress:refresh",
        # Queues a recompute (on commit): nothing in the database changes either way.
        {"GET": per_persona(anonymous=302, default=405), "POST": tiered(VIEW, MANAGE, allowed=Saves(302))},
        url=_unit_url("progress:refresh"),
        variants=POSITIONS,
    ),
    Entry(
        "progress:export_xlsx",
        {"GET": by_scope(VIEW)},
        url=_unit_url("progress:export_xlsx"),
        variants=POSITIONS,
    ),
    Entry(
        "progress:export_pdf",
        {"GET": by_scope(VIEW)},
        url=_unit_url("progress:export_pdf"),
        variants=POSITIONS,
    ),
    Entry(
        "progress:export_docx",
        {"GET": by_scope(VIEW)},
        url=_unit_url("progress:export_docx"),
        variants=POSITIONS,
    ),
    Entry("indicator-list", {"GET": api_signed_in, "POST": per_persona(anonymous=401, default=405)}),
    Entry(
        "indicator-detail",
        {"GET": api_signed_in},
        url=lambda world, variant: reverse(
            "indicator-detail", args=[Indicator.objects.order_by("pk").first().pk]
        ),
    ),
    Entry("progress-list", {"GET": api_signed_in, "POST": per_persona(anonymous=401, default=405)}),
    Entry(
        "progress-list",
        {"GET": by_scope(VIEW, anonymous=401)},
        url=lambda world, position: reverse("progress-list") + f"?unit={world.units[position].pk}",
        variants=POSITIONS,
    ),
]

_not_staff = {"anonymous": 302, "viewer": 302, "leader_a": 302}
_nobody = per_persona(**_not_staff, default=403)
# Indicator rules change in migrations: read-only for the superuser too.
ADMIN_OVERRIDES = {
    "admin:progress_indicatorrule_add": {"GET": _nobody},
    "admin:progress_indicatorrule_change": {
        "GET": per_persona(**_not_staff, default=403, admin=302),
        "POST": _nobody,
    },
    "admin:progress_indicatorrule_delete": {"GET": _nobody, "POST": _nobody},
}
