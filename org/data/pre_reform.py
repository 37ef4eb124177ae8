"""The pre-reform district level (before 01/07/2025), read from the `vietnamadminunits` package's data.

The package (MIT licence) ships the 63 provinces, 696 districts and 10,040 wards as they were before
the 2025 reform and the old→new conversion of wards. Its files are read directly (its Python modules
load large tables on import and are not needed): one SQLite query and one JSON file, well under a
second, once per load.

Each district becomes a dissolved district union (``valid_to`` 30/06/2025) under its pre-reform
province union (a dissolved one, "old-NN", or the continuing unit whose name lives on). Its successor
is the current commune/ward that took over its seat: among the new wards that received its wards,
the one bearing the district's own name (Thành phố Mỹ Tho → Phường Mỹ Tho), else the one that
received most of them; a district whose wards went nowhere (the islands without communes) passes to
the current province.

The new wards' codes here are the official ones (Quyết định 19/2025/QĐ-TTg); the portal's units carry
the codes of ``vietnam-provinces`` 2025.10.1, which differ for 114 wards, so a ward is found by its
province and name first and by code only when the name is not found.
"""

import importlib.util
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "vietnamadminunits"

# How a district's union is called, by the kind of district.
DISTRICT_UNION_PREFIX = {
    "Quận": "Quận đoàn",
    "Huyện": "Huyện đoàn",
    "Thị xã": "Thị đoàn",
    "Thành phố": "Thành đoàn",
}


@dataclass(frozen=True)
class District:
    code: str  # pre-reform district code, e.g. "815"
    name: str  # "Thành phố Mỹ Tho"
    kind: str  # Quận / Huyện / Thị xã / Thành phố
    short_name: str  # "Mỹ Tho"
    province_code: str  # pre-reform province code, e.g. "82"
    province_name: str  # "Tỉnh Tiền Giang"
    # The new (official) ward code and (province code, ward name) of its successor; None: the province.
    successor_ward_code: str | None
    successor_ward: tuple[str, str] | None
    successor_province_code: str  # the current province that took over its territory


def _data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The {PACKAGE} package is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _bare(short_name: str) -> str:
    """'Cao Lãnh (Thành phố)' -> 'Cao Lãnh': the package marks namesakes within a province."""
    return short_name.split(" (", 1)[0].strip()


@cache
def districts() -> tuple[District, ...]:
    """All 696 pre-reform districts with their successors (read once per process)."""
    folder = _data_dir()
    with sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True) as connection:
        legacy = connection.execute(
            "SELECT DISTINCT provinceCode, province, provinceKey, districtCode, district, districtType, "
            "districtShort, districtKey FROM admin_units_legacy ORDER BY districtCode"
        ).fetchall()
        new_wards = connection.execute(
            "SELECT provinceKey, wardKey, wardCode, provinceCode, ward, wardShort FROM admin_units"
        ).fetchall()
    conversion = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))

    ward_by_key = {
        (pkey, wkey): (code, pcode, name, short) for pkey, wkey, code, pcode, name, short in new_wards
    }
    new_province_of = {old: new for new, olds in conversion["DICT_PROVINCE"].items() for old in olds}
    province_code_of_key = {pkey: pcode for pkey, _w, _c, pcode, _n, _s in new_wards}
    # (old province key, old district key) -> Counter of the new wards (province key, ward key) receiving its wards
    received: dict[tuple[str, str], Counter] = {}
    for new_province, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old_key in old_keys:
                old_province, old_district = old_key.split("_")[:2]
                received.setdefault((old_province, old_district), Counter())[(new_province, new_ward)] += 1
    for new_province, olds in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, options in olds.items():
            default = next(
                (o["newWardKey"] for o in options if o["isDefaultNewWard"]), options[0]["newWardKey"]
            )
            old_province, old_district = old_key.split("_")[:2]
            received.setdefault((old_province, old_district), Counter())[(new_province, default)] += 1

    result = []
    for pcode, pname, pkey, dcode, dname, dkind, dshort, dkey in legacy:
        bare = _bare(dshort)
        candidates = received.get((pkey, dkey), Counter())
        known = [(key, count) for key, count in candidates.items() if key in ward_by_key]
        namesake = [key for key, _count in known if ward_by_key[key][3] == bare]
        if namesake:
            chosen = min(namesake, key=lambda key: ward_by_key[key][0])
        elif known:
            chosen = min(known, key=lambda item: (-item[1], ward_by_key[item[0]][0]))[0]
        else:
            chosen = None
        successor_province = province_code_of_key.get(new_province_of.get(pkey, ""), pcode)
        ward = ward_by_key.get(chosen) if chosen else None
        result.append(
            District(
                code=dcode,
                name=dname,
                kind=dkind,
                short_name=bare,
                province_code=pcode,
                province_name=pname,
                successor_ward_code=ward[0] if ward else None,
                successor_ward=(ward[1], ward[2]) if ward else None,
                successor_province_code=ward[1] if ward else successor_province,
            )
        )
    return tuple(result)


def district_union_names(items: tuple[District, ...]) -> dict[str, str]:
    """{district code: union name}; a name shared by districts of several provinces (Huyện đoàn Châu
    Thành) carries its province in brackets, so pickers and lists tell them apart."""
    plain = {d.code: f"{DISTRICT_UNION_PREFIX.get(d.kind, 'Đoàn')} {d.short_name}" for d in items}
    counts = Counter(plain.values())
    province_short = {d.code: d.province_name.removeprefix("Tỉnh ").removeprefix("Thành phố ") for d in items}
    return {
        code: name if counts[name] == 1 else f"{name} ({province_short[code]})"
        for code, name in plain.items()
    }
