from django.db import models
from django.utils.translation import gettext_lazy as _


class DirtyMark(models.Model):
    """An (org unit, month) whose facts changed since the last rollup.

    Written by domain services in the same transaction as the change (so a crash cannot lose it),
    consumed by the progress rollup, which recomputes the unit, its ancestors and its successors.
    Lives at the bottom so apps below `progress` can write it without importing it.
    """

    org_unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    # Whether who is on a team's roster (or where a team is) may have changed: only then does an
    # incremental rollup recount the volunteers, the costliest step of a run.
    rosters = models.BooleanField(_("rosters changed"), default=False)
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pending progress update")
        verbose_name_plural = _("pending progress updates")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "month", "rosters"], name="dirtymark_unit_month_kind")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.month:%m/%Y}"
