"""The "Change history" section of detail pages: who changed what, when, in which unit.

Reads django-simple-history's tables (every domain model has ``history = HistoricalRecords()``) and
turns them into rows for ``templates/includes/history.html``. Values of personal fields are masked:
a model lists them in ``PERSONAL_DATA`` (the same declaration the data inventory reads), so the page
says that the phone changed, never the number.

Generic on purpose (core sits below the domain apps): callers pass the historical querysets.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

MASK = "•••"
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: object
    who: str
    unit: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def personal_fields(model) -> frozenset[str]:
    """Fields of ``model`` that hold personal data (its ``PERSONAL_DATA`` declaration)."""
    return frozenset(getattr(model, "PERSONAL_DATA", {}))


def _display(record, name: str) -> str:
    value = getattr(record, name, None)
    if value is None or value == "":
        return "—"
    model_field = record.instance_type._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return f"#{getattr(record, model_field.attname)}"
    return str(value)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return str(_("system"))
    return user.get_full_name() or user.username


def _subject(record, masked: frozenset[str]) -> str:
    """What the row is about: the model's name and its title or name, unless that names a person."""
    label = str(record.instance_type._meta.verbose_name)
    own = next((n for n in ("title", "name") if hasattr(record, n) and n not in masked), None)
    pk = getattr(record, record.instance_type._meta.pk.attname)
    return f"{label}: {getattr(record, own)}" if own else f"{label} #{pk}"


def _m2m_members(records) -> dict[tuple[str, int], set[int]]:
    """(m2m field, history id) -> the related ids at that version: one query per m2m table."""
    wanted = defaultdict(list)  # (historical model, field name) -> records
    for record in records:
        for m2m_field in record._history_m2m_fields:
            wanted[(type(record), m2m_field.name)].append(record)
    members = defaultdict(set)
    for (_historical, name), group in wanted.items():
        through = getattr(group[0], name).model
        related = get_m2m_reverse_field_name(group[0].instance_type._meta.get_field(name))
        rows = through.objects.filter(history__in=[r.history_id for r in group]).values_list(
            "history_id", related
        )
        for history_id, related_id in rows:
            members[(name, history_id)].add(related_id)
    return members


def history_rows(*histories: QuerySet, unit_field: str = "org_unit", limit: int = 30) -> list[HistoryRow]:
    """The newest ``limit`` changes across ``histories`` (historical querysets), newest first.

    Each change is compared with the previous version of the same row; values of personal fields
    are replaced by a mask. The unit is the row's own unit at the time (``unit_field``), if it has one.
    """
    records = sorted(
        chain.from_iterable(
            h.select_related("history_user").order_by("-history_date")[:limit] for h in histories
        ),
        key=lambda r: r.history_date,
        reverse=True,
    )[:limit]
    # Each change is compared with the next older version of the same row among those read (one
    # query per history, whatever the number of rows); the oldest one read is shown without detail.
    older = {}
    for record in reversed(records):
        key = (record.instance_type, getattr(record, record.instance_type._meta.pk.attname))
        record.previous_version = older.get(key)
        older[key] = record
    m2m_members = _m2m_members(records)
    units = _unit_names(records, unit_field)
    rows = []
    for record in records:
        model = record.instance_type
        masked = personal_fields(model)
        changes = []
        previous = record.previous_version
        if record.history_type == "~" and previous is not None:
            m2m_names = [f.name for f in record._history_m2m_fields]
            delta = record.diff_against(previous, excluded_fields=m2m_names, foreign_keys_are_objs=False)
            for name in m2m_names:  # compared from the rows read in one query, shown as counts
                old_ids = m2m_members.get((name, previous.history_id), set())
                new_ids = m2m_members.get((name, record.history_id), set())
                if old_ids != new_ids:
                    verbose = str(model._meta.get_field(name).verbose_name)
                    changes.append(Change(verbose, str(len(old_ids)), str(len(new_ids))))
            for change in sorted(delta.changes, key=lambda c: c.field):
                verbose = str(model._meta.get_field(change.field).verbose_name)
                if change.field in masked:
                    changes.append(Change(verbose, MASK, MASK))
                else:
                    changes.append(
                        Change(verbose, _display(previous, change.field), _display(record, change.field))
                    )
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=_who(record),
                unit=units.get(getattr(record, f"{unit_field}_id", None), "—"),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                subject=_subject(record, masked),
                changes=changes,
            )
        )
    return rows


def _unit_names(records, unit_field: str) -> dict:
    """Unit id -> name for the records' ``unit_field``, read from the model it points to (the org
    tree: core sits below it and does not import it), one query per such model."""
    ids_by_model = defaultdict(set)
    for record in records:
        unit_id = getattr(record, f"{unit_field}_id", None)
        if unit_id is not None:
            ids_by_model[record.instance_type._meta.get_field(unit_field).related_model].add(unit_id)
    names = {}
    for model, ids in ids_by_model.items():
        names.update(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    return names
