"""Generated data (demo seeders, seed_scale, the rollup bench) must be data a person could enter.

Each stored fact is checked as if it were typed in anew, by the rules the services run on a
person's input (the models' ``clean()``, which ``full_clean()`` calls in every service): an activity
or a membership before its team's founding, a session or a monthly figure before its unit existed.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from egov_support.models import HelpSession, ServiceStatistic
from volunteers.models import Activity, Membership


def refused_rows(limit: int = 5) -> dict[str, list[str]]:
    """{model: ["row: error", ...]} of the facts the services would refuse (at most ``limit`` each)."""
    today = timezone.localdate()
    refused: dict[str, list[str]] = {}
    for queryset, day in (
        (Activity.objects.select_related("team"), "date"),
        (Membership.objects.select_related("team"), "joined_on"),
        (HelpSession.objects.select_related("org_unit", "team"), "date"),
        (ServiceStatistic.objects.select_related("org_unit"), "month"),
    ):
        errors = []
        for row in queryset.order_by("pk").iterator(chunk_size=5000):
            row._state.adding = True  # as if typed in now: every date rule applies
            try:
                row.clean()
                if getattr(row, day) > today:
                    raise ValidationError({day: "in the future"})
            except ValidationError as exc:
                errors.append(f"{row.pk} ({getattr(row, day)}): {'; '.join(exc.messages)}")
        if errors:
            refused[queryset.model.__name__] = [f"{len(errors)} rows", *errors[:limit]]
    return refused
