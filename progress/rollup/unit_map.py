"""The rollup map: source unit -> every unit it counts toward, per range of months."""

import datetime
import hashlib

from org.models import OrgUnit
from progress.models import (
    RollupMap,
    RollupState,
)
from progress.rollup.months import FIRST_MONTH, LAST_MONTH, add_months, month_start


def _map_signature(units: list[tuple]) -> str:
    digest = hashlib.sha256()
    for row in units:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def rollup_map_rows(units: list[tuple]) -> list[tuple[int, int, datetime.date, datetime.date]]:
    """(source, target, month_from, month_to) for ``units`` = [(id, parent_id, valid_to, successor_id)].

    Facts of month M count toward the source and each ancestor; a unit dissolved before M hands
    them to its successor (following chains), whose own ancestors then count them.
    """
    by_id = {
        unit_id: (parent_id, valid_to, successor_id) for unit_id, parent_id, valid_to, successor_id in units
    }
    # Months where some unit hands over to its successor split the timeline into ranges.
    breaks = sorted(
        {add_months(month_start(v), 1) for _, _, v, s in units if v is not None and s is not None}
    )
    starts = [FIRST_MONTH, *breaks]
    ranges = [
        (start, add_months(starts[i + 1], -1) if i + 1 < len(starts) else LAST_MONTH)
        for i, start in enumerate(starts)
    ]

    def targets_at(unit_id: int, month: datetime.date) -> list[int]:
        found, current, hops = [], unit_id, 0
        while current is not None and hops < 100:  # hops: a guard against a cycle in bad data
            hops += 1
            parent_id, valid_to, successor_id = by_id[current]
            if successor_id is not None and valid_to is not None and month > month_start(valid_to):
                current = successor_id
                continue
            if current not in found:
                found.append(current)
            current = parent_id
        return found

    rows = []
    for unit_id in by_id:
        open_ranges: dict[int, list[datetime.date]] = {}
        for start, end in ranges:
            for target in targets_at(unit_id, start):
                if target in open_ranges and open_ranges[target][1] == add_months(start, -1):
                    open_ranges[target][1] = end  # extends the previous range of this target
                else:
                    if target in open_ranges:
                        rows.append((unit_id, target, *open_ranges[target]))
                    open_ranges[target] = [start, end]
        rows.extend((unit_id, target, first, last) for target, (first, last) in open_ranges.items())
    return rows


# What a unit contributes beyond the map: the communes stock reads its kind and its whole validity.
SIGNED_FIELDS = ("pk", "parent_id", "valid_to", "successor_id", "valid_from", "kind")


def _signed_units() -> list[tuple]:
    """Every unit's SIGNED_FIELDS: the map's four first (source, parent, end, successor)."""
    return list(OrgUnit.objects.order_by("pk").values_list(*SIGNED_FIELDS))


def rollup_map_rebuild(*, force: bool = False) -> bool:
    """Rebuild the map when units changed (signature of parents, end dates, successors, and the start
    dates and kinds the communes stock reads: a unit edited in any of these makes the run a full one)."""
    signed = _signed_units()
    units = [row[:4] for row in signed]
    signature = _map_signature(signed)
    state = rollup_state()
    if not force and state.map_signature == signature and RollupMap.objects.exists():
        return False
    RollupMap.objects.all().delete()
    RollupMap.objects.bulk_create(
        [
            RollupMap(source_id=s, target_id=t, month_from=f, month_to=e)
            for s, t, f, e in rollup_map_rows(units)
        ],
        batch_size=5000,
    )
    state.map_signature = signature
    state.save(update_fields=["map_signature"])
    return True


def map_is_stale() -> bool:
    """Units changed since the map was built (or a migration cleared its signature): a full run is due."""
    return rollup_state().map_signature != _map_signature(_signed_units())


def rollup_state() -> RollupState:
    state, _ = RollupState.objects.get_or_create(pk=1)
    return state
