import datetime

import pytest

from accounts.access import Action, scope_for
from org.models import OrgUnit
from org.services import org_unit_dissolve, org_units_load_real_tree

pytestmark = pytest.mark.django_db


def test_real_tree_has_the_post_reform_country_and_is_idempotent():
    first = org_units_load_real_tree()
    second = org_units_load_real_tree()

    current_provinces = OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True)
    assert current_provinces.count() == 34
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).count() == 3321
    assert first.created == first.total
    assert (second.created, second.updated, second.retired, second.total) == (0, 0, 0, first.total)
    assert OrgUnit.objects.get(code="86").name == "Tỉnh đoàn Vĩnh Long"
    assert OrgUnit.objects.get(code="01").name == "Thành đoàn Hà Nội"
    assert OrgUnit.objects.get(code="28777").name == "Đoàn phường An Hội"


def test_real_tree_keeps_dissolved_units_with_their_successors():
    org_units_load_real_tree()

    ben_tre = OrgUnit.objects.get(code="old-83")
    tien_giang = OrgUnit.objects.get(code="old-82")
    my_tho = OrgUnit.objects.get(code="old-d815")

    assert (ben_tre.name, ben_tre.valid_to, ben_tre.successor.code) == (
        "Tỉnh đoàn Bến Tre",
        datetime.date(2025, 6, 30),
        "86",
    )
    assert tien_giang.successor.name == "Tỉnh đoàn Đồng Tháp"
    assert my_tho.parent == tien_giang
    assert my_tho.successor.code == "28261"
    assert OrgUnit.objects.filter(valid_to__isnull=False, kind=OrgUnit.Kind.PROVINCE).count() == 29


def test_real_tree_retires_a_commune_that_left_the_official_list_instead_of_deleting_it():
    org_units_load_real_tree()
    parent = OrgUnit.objects.get(code="86")
    OrgUnit.objects.create(
        code="99999",
        name="Đoàn xã Cũ",
        kind=OrgUnit.Kind.COMMUNE,
        parent=parent,
        path=OrgUnit.build_path(parent.path, "99999"),
        depth=2,
    )

    result = org_units_load_real_tree()

    assert result.retired == 1
    assert OrgUnit.objects.get(code="99999").valid_to is not None


def test_subtree_and_ancestors(tree):
    subtree = set(OrgUnit.objects.subtree_of(tree.province_a).values_list("code", flat=True))

    assert subtree == {"86", "28777", "28756", "28789"}
    assert [u.code for u in tree.commune_a.ancestors()] == ["TW", "86"]
    assert tree.commune_a.path == "/TW/86/28777/"


def test_search_ignores_diacritics(tree):
    assert set(OrgUnit.objects.search("ben tre").values_list("code", flat=True)) == {
        "old-83",
        "old-d829",
        "28789",
    }
    assert set(OrgUnit.objects.search("THANH HOA").values_list("code", flat=True)) == {"38"}


def test_valid_on_filters_by_dates(tree):
    before = set(OrgUnit.objects.valid_on(datetime.date(2025, 1, 1)).values_list("code", flat=True))
    after = set(OrgUnit.objects.valid_on(datetime.date(2025, 8, 1)).values_list("code", flat=True))

    assert "old-83" in before and "86" not in before
    assert "86" in after and "old-83" not in after


def test_dissolve_refuses_a_successor_inside_the_unit(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        org_unit_dissolve(unit=tree.province_a, last_day=datetime.date(2026, 1, 1), successor=tree.commune_a)

    assert "successor" in excinfo.value.message_dict
    tree.province_a.refresh_from_db()
    assert tree.province_a.valid_to is None


def test_staff_of_successor_see_the_dissolved_units_merged_into_them(tree, personas):
    scope = scope_for(personas.staff_a, Action.MANAGE)

    assert scope.contains(tree.dissolved_a)
    assert scope.contains(tree.dissolved_district_a)
    assert not scope.contains(tree.province_b)
    # A commune leader whose ward took over a dissolved district sees that district.
    leader_of_ben_tre_ward = scope_for(personas.leader_a, Action.VIEW)
    assert not leader_of_ben_tre_ward.contains(tree.dissolved_district_a)


def test_a_scope_follows_chains_of_merges_and_the_subtrees_they_bring(tree, personas):
    """Issue 19: the merges are read into the scope step by step (not all of them at once); what a
    chain brings in stays in, as does a unit merged into a unit that sits under a dissolved one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrgUnitFactory

    gone = datetime.date(2025, 6, 30)
    # An older union merged into Bến Tre (itself merged into province A), and one merged into a
    # commune that stayed under Bến Tre; a code with LIKE's wildcards is matched literally.
    older = OrgUnitFactory(
        code="old_%1", kind=OrgUnit.Kind.DISTRICT, valid_to=gone, successor=tree.dissolved_a
    )
    kept_under = OrgUnitFactory(code="kept", parent=tree.dissolved_a)
    into_kept = OrgUnitFactory(code="old-x", valid_to=gone, successor=kept_under)
    unrelated = OrgUnitFactory(code="old_%2", valid_to=gone, successor=tree.province_b)

    with CaptureQueriesContext(connection) as queries:
        scope = scope_for(personas.staff_a, Action.VIEW)
        assert scope_for(personas.staff_a, Action.MANAGE) == scope  # the same role: read once

    assert all(scope.contains(unit) for unit in (tree.dissolved_a, older, kept_under, into_kept))
    assert not scope.contains(unrelated)
    assert not scope.contains(tree.province_b)
    assert len(queries) == 4  # the roles, then the merges into A, into Bến Tre's and the rest, none left


def test_real_tree_has_the_pre_reform_districts_dissolved_with_their_successors():
    org_units_load_real_tree()

    districts = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT)
    dong_thap = OrgUnit.objects.get(code="82")
    # Seed article 002: "Thành đoàn và Huyện đoàn của 12 huyện, thành phố trên địa bàn tỉnh".
    pre_reform_dong_thap = districts.filter(parent=dong_thap, code__in=[f"old-d{n}" for n in range(866, 878)])

    assert districts.count() == 696
    assert not districts.filter(valid_to__isnull=True).exists()
    assert set(districts.values_list("valid_to", flat=True)) == {datetime.date(2025, 6, 30)}
    assert not districts.filter(successor__isnull=True).exists()
    assert pre_reform_dong_thap.count() == 12
    assert OrgUnit.objects.get(code="old-d866").name == "Thành đoàn Cao Lãnh"
    assert OrgUnit.objects.get(code="old-d866").successor.name == "Đoàn phường Cao Lãnh"
    assert OrgUnit.objects.get(code="old-d877").name == "Huyện đoàn Châu Thành (Đồng Tháp)"
    assert {u.successor.parent_id for u in pre_reform_dong_thap.select_related("successor")} == {dong_thap.pk}
    # A district of a dissolved province sits under it: Mỹ Tho under Tiền Giang.
    assert OrgUnit.objects.get(code="old-d815").parent.code == "old-82"
