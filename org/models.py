"""The union hierarchy: one tree of org units, current and dissolved.

Subtree queries use a materialized path built from unit codes ("/TW/86/28777/"): a subtree is a
prefix match on an indexed column, ancestors are the path's own segments, and a whole national tree
loads with one bulk insert. Codes are stable (official administrative codes), so paths never move.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import fold

PATH_SEPARATOR = "/"
# How union names begin, the longest first ("Đoàn phường An Hội" -> the place "An Hội").
UNION_NAME_PREFIXES = ("Tỉnh đoàn ", "Thành đoàn ", "Đoàn đặc khu ", "Đoàn phường ", "Đoàn xã ", "Đoàn ")


class OrgUnitQuerySet(models.QuerySet):
    def within_paths(self, paths: tuple[str, ...] | list[str]) -> "OrgUnitQuerySet":
        """Units whose path starts with one of ``paths`` (each a whole subtree)."""
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def subtree_of(self, unit: "OrgUnit") -> "OrgUnitQuerySet":
        return self.filter(path__startswith=unit.path)

    def valid_on(self, day) -> "OrgUnitQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self) -> "OrgUnitQuerySet":
        return self.valid_on(timezone.localdate())

    def search(self, text: str) -> "OrgUnitQuerySet":
        folded = fold(text)
        return self.filter(Q(search_name__contains=folded) | Q(code__iexact=text.strip()))


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central Union")
        PROVINCE = "province", _("Provincial union")
        DISTRICT = "district", _("District union")
        COMMUNE = "commune", _("Commune/ward union")
        AGENCY = "agency", _("Agency union")
        SCHOOL = "school", _("School union")
        ENTERPRISE = "enterprise", _("Enterprise union")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("For a dissolved unit: the unit that took over its work and data."),
    )
    # Folded name for diacritic-insensitive search; kept in step by the services that write units.
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    # What the unit's printed reports carry (the progress PDF): the place in the date line and who signs.
    document_place = models.CharField(
        _("place on documents"),
        max_length=100,
        blank=True,
        help_text=_('As in "Vĩnh Long, ngày … tháng … năm …". Empty: taken from the unit\'s name.'),
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=100, blank=True, help_text=_("For example: Bí thư, Phó Bí thư.")
    )
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(valid_to__isnull=False),
                name="orgunit_successor_needs_valid_to",
            ),
            models.CheckConstraint(condition=~Q(successor=models.F("pk")), name="orgunit_not_own_successor"),
        ]
        indexes = [
            # Prefix matches (LIKE 'x%') use this index on PostgreSQL whatever the collation.
            models.Index(fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "parent"], name="orgunit_kind_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @staticmethod
    def build_path(parent_path: str | None, code: str) -> str:
        return f"{parent_path or PATH_SEPARATOR}{code}{PATH_SEPARATOR}"

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to the parent, read off the path without a query."""
        return [code for code in self.path.split(PATH_SEPARATOR) if code][:-1]

    @property
    def place(self) -> str:
        """The place a document of this unit is dated at: its setting, else its name without the
        union's prefix ("Tỉnh đoàn Vĩnh Long" -> "Vĩnh Long"); the Central Union's is Hà Nội."""
        if self.document_place:
            return self.document_place
        if self.kind == self.Kind.CENTRAL:
            return "Hà Nội"
        for prefix in UNION_NAME_PREFIXES:
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()

    def carried_on_by(self, day) -> "OrgUnit":
        """The unit doing this one's work on ``day``: itself while it exists, else its successor's
        (following a chain of merges; one query per hop unless ``successor`` was selected)."""
        unit, hops = self, 0
        while unit.successor_id and unit.valid_to is not None and unit.valid_to < day and hops < 20:
            unit, hops = unit.successor, hops + 1  # hops: a guard against a cycle in bad data
        return unit

    def ancestors(self) -> "OrgUnitQuerySet":
        return OrgUnit.objects.filter(code__in=self.ancestor_codes).order_by("depth")
