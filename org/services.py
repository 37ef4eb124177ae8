"""Writes to the union hierarchy."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from vietnam_provinces import Province, VietNamDivisionType, Ward

from core.text import fold
from org.data import pre_reform, reform_2025
from org.models import OrgUnit

CENTRAL_CODE = "TW"
CENTRAL_NAME = "Trung ương Đoàn TNCS Hồ Chí Minh"

_COMMUNE_PREFIX = {
    VietNamDivisionType.XA: "Đoàn xã",
    VietNamDivisionType.PHUONG: "Đoàn phường",
    VietNamDivisionType.DAC_KHU: "Đoàn đặc khu",
}


def province_code(number: int) -> str:
    return f"{int(number):02d}"


def commune_code(number: int) -> str:
    return f"{int(number):05d}"


def province_union_name(province: Province) -> str:
    # Centrally-run cities have a Thành đoàn, provinces a Tỉnh đoàn.
    if province.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG:
        return "Thành đoàn " + province.name.removeprefix("Thành phố ").strip()
    return f"Tỉnh đoàn {province.name}"


def commune_union_name(ward: Ward) -> str:
    prefix = _COMMUNE_PREFIX.get(ward.division_type, "Đoàn")
    bare = ward.name
    for word in ("Phường ", "Xã ", "Đặc khu "):
        bare = bare.removeprefix(word)
    return f"{prefix} {bare}"


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    kind: str
    parent_code: str | None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    successor_code: str | None = None


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    retired: int
    total: int


def _real_tree_rows() -> list[list[_Row]]:
    """The tree level by level (parents before children), from the package and the reform data."""
    reform = reform_2025.REFORM_DATE
    central = [_Row(CENTRAL_CODE, CENTRAL_NAME, OrgUnit.Kind.CENTRAL, None)]
    provinces = [
        _Row(
            province_code(p.code),
            province_union_name(p),
            OrgUnit.Kind.PROVINCE,
            CENTRAL_CODE,
            valid_from=reform,
        )
        for p in Province.iter_all()
    ]
    provinces += [
        _Row(
            reform_2025.dissolved_province_code(old),
            name,
            OrgUnit.Kind.PROVINCE,
            CENTRAL_CODE,
            valid_to=reform_2025.LAST_DAY_BEFORE_REFORM,
            successor_code=successor,
        )
        for old, name, successor in reform_2025.DISSOLVED_PROVINCES
    ]
    communes = [
        _Row(
            commune_code(w.code),
            commune_union_name(w),
            OrgUnit.Kind.COMMUNE,
            province_code(w.province_code),
            valid_from=reform,
        )
        for w in Ward.iter_all()
    ]
    communes += _pre_reform_district_rows()
    return [central, provinces, communes]


def _pre_reform_district_rows() -> list[_Row]:
    """The 696 district unions of before the reform, dissolved on 30/06/2025 (see org.data.pre_reform)."""
    items = pre_reform.districts()
    names = pre_reform.district_union_names(items)
    dissolved = {old for old, _name, _successor in reform_2025.DISSOLVED_PROVINCES}
    current = {
        fold(p.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")): province_code(p.code)
        for p in Province.iter_all()
    }
    current_codes = set(current.values())
    # The portal's communes carry vietnam-provinces' codes: a successor ward is found by province and name.
    ward_code = {
        (province_code(w.province_code), fold(w.name)): commune_code(w.code) for w in Ward.iter_all()
    }
    commune_codes = set(ward_code.values())

    def parent(item: pre_reform.District) -> str:
        if item.province_code in dissolved:
            return reform_2025.dissolved_province_code(item.province_code)
        short = fold(item.province_name.removeprefix("Tỉnh ").removeprefix("Thành phố "))
        if short in current:  # the continuing unit whose name lives on (Đồng Tháp 87 -> 82)
            return current[short]
        return item.province_code if item.province_code in current_codes else item.successor_province_code

    def successor(item: pre_reform.District) -> str:
        if item.successor_ward is not None:
            province, name = item.successor_ward
            found = ward_code.get((province, fold(name)))
            if found:
                return found
            if item.successor_ward_code in commune_codes:
                return item.successor_ward_code
        return item.successor_province_code

    return [
        _Row(
            reform_2025.dissolved_district_code(item.code),
            names[item.code],
            OrgUnit.Kind.DISTRICT,
            parent(item),
            valid_to=reform_2025.LAST_DAY_BEFORE_REFORM,
            successor_code=successor(item),
        )
        for item in items
    ]


@transaction.atomic
def org_units_load_real_tree() -> LoadResult:
    """Load or refresh the national tree: idempotent, a handful of bulk statements.

    New units are inserted, renamed ones updated; a package unit that has disappeared from the
    official list is never deleted (its data and agreements must stay): it gets a ``valid_to``.
    """
    levels = _real_tree_rows()
    existing = {u.code: u for u in OrgUnit.objects.all()}
    created = updated = 0
    for level in levels:
        new_units, changed = [], []
        for row in level:
            parent = existing[row.parent_code] if row.parent_code else None
            unit = existing.get(row.code)
            if unit is None:
                new_units.append(
                    OrgUnit(
                        code=row.code,
                        name=row.name,
                        search_name=fold(row.name),
                        kind=row.kind,
                        parent=parent,
                        path=OrgUnit.build_path(parent.path if parent else None, row.code),
                        depth=(parent.depth + 1) if parent else 0,
                        valid_from=row.valid_from,
                        valid_to=row.valid_to,
                    )
                )
            elif (unit.name, unit.valid_to) != (row.name, row.valid_to):
                unit.name, unit.search_name, unit.valid_to = row.name, fold(row.name), row.valid_to
                changed.append(unit)
        for unit in OrgUnit.objects.bulk_create(new_units, batch_size=1000):
            existing[unit.code] = unit
        if not all(u.pk for u in new_units):  # SQLite < 3.35 and some backends return no ids
            existing.update({u.code: u for u in OrgUnit.objects.filter(code__in=[u.code for u in new_units])})
        OrgUnit.objects.bulk_update(changed, ["name", "search_name", "valid_to"], batch_size=1000)
        created += len(new_units)
        updated += len(changed)

    # Successors point at units of any level, so they are linked once every unit exists.
    with_successor = []
    for level in levels:
        for row in level:
            successor = existing[row.successor_code] if row.successor_code else None
            unit = existing[row.code]
            if unit.successor_id != (successor.pk if successor else None):
                unit.successor = successor
                with_successor.append(unit)
    OrgUnit.objects.bulk_update(with_successor, ["successor"], batch_size=1000)

    retired = _retire_missing({row.code for level in levels for row in level})
    return LoadResult(created=created, updated=updated, retired=retired, total=OrgUnit.objects.count())


def _retire_missing(official_codes: set[str]) -> int:
    """Mark package units no longer on the official list as ended yesterday; never delete them."""
    loaded_kinds = [OrgUnit.Kind.PROVINCE, OrgUnit.Kind.COMMUNE]
    gone = OrgUnit.objects.filter(
        kind__in=loaded_kinds, valid_to__isnull=True, code__regex=r"^[0-9]+$"
    ).exclude(code__in=official_codes)
    return gone.update(valid_to=timezone.localdate() - datetime.timedelta(days=1))


# What a person may change on a unit (admin); its code and parent, hence its path, never move.
ORG_UNIT_FIELDS = (
    "name",
    "kind",
    "valid_from",
    "valid_to",
    "successor",
    "document_place",
    "signer_title",
    "signer_name",
)


def _check_successor(unit: OrgUnit, successor: OrgUnit | None) -> None:
    if successor is not None and (successor.pk == unit.pk or successor.path.startswith(unit.path)):
        raise ValidationError(
            {"successor": _("A unit cannot be merged into itself or one of its own sub-units.")}
        )


@transaction.atomic
def org_unit_create(*, code: str, parent: OrgUnit | None, **fields) -> OrgUnit:
    """A unit added by hand (the tree itself comes from the official list: org_units_load_real_tree)."""
    unit = OrgUnit(
        code=code,
        parent=parent,
        path=OrgUnit.build_path(parent.path if parent else None, code),
        depth=(parent.depth + 1) if parent else 0,
    )
    return _org_unit_save(unit, fields)


@transaction.atomic
def org_unit_update(*, unit: OrgUnit, **changes) -> OrgUnit:
    """Change a unit's own fields (``ORG_UNIT_FIELDS``); a successor is never the unit or under it."""
    return _org_unit_save(unit, changes)


def _org_unit_save(unit: OrgUnit, fields: dict) -> OrgUnit:
    unknown = set(fields) - set(ORG_UNIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown org unit fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(unit, name, value)
    _check_successor(unit, unit.successor)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def org_unit_dissolve(*, unit: OrgUnit, last_day: datetime.date, successor: OrgUnit) -> OrgUnit:
    """Close a unit and record who takes over its work (its data then rolls up there)."""
    _check_successor(unit, successor)
    unit.valid_to = last_day
    unit.successor = successor
    unit.full_clean()
    unit.save(update_fields=["valid_to", "successor", "search_name"])
    return unit


@transaction.atomic
def org_unit_document_settings_update(
    *, unit: OrgUnit, document_place: str, signer_title: str, signer_name: str
) -> OrgUnit:
    """What the unit's reports print: the place of the date line and who signs (the caller has
    checked that the user manages ``unit``). Surrounding spaces are dropped; empty means the default."""
    unit.document_place = document_place.strip()
    unit.signer_title = signer_title.strip()
    unit.signer_name = signer_name.strip()
    unit.full_clean()
    unit.save(update_fields=["document_place", "signer_title", "signer_name"])
    return unit
