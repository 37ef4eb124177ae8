"""Unit pickers on pages: typed, searched without diacritics in the user's scope, never a giant <select>."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from core.text import fold
from org.models import OrgUnit
from tests.volunteers.factories import TeamFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

MAX_OPTIONS = 200
SELECT = re.compile(r"<select\b[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</select>", re.S)


@pytest.fixture
def crowded(tree):
    """250 communes and 250 old districts more under Vĩnh Long: more than any list a person can read."""
    units = []
    for n in range(250):
        for kind, prefix, name in (
            (OrgUnit.Kind.COMMUNE, "c", "Đoàn xã Thử"),
            (OrgUnit.Kind.DISTRICT, "d", "Đoàn huyện Thử"),
        ):
            code = f"{prefix}{n:04d}"
            full = f"{name} {n}"
            units.append(
                OrgUnit(
                    code=code,
                    name=full,
                    kind=kind,
                    parent=tree.province_a,
                    path=OrgUnit.build_path(tree.province_a.path, code),
                    depth=tree.province_a.depth + 1,
                    search_name=fold(full),
                )
            )
    OrgUnit.objects.bulk_create(units)
    return tree


def _biggest_select(body: str, only=None) -> tuple[str, int]:
    sizes = [
        (name, inner.count("<option"))
        for name, inner in SELECT.findall(body)
        if only is None or name.split("-")[-1] in only
    ]
    return max(sizes, key=lambda pair: pair[1], default=("", 0))


def test_no_page_form_or_filter_renders_hundreds_of_units(crowded, personas, as_user):
    team = TeamFactory(org_unit=crowded.commune_a)
    volunteer = VolunteerFactory(home_unit=crowded.commune_a)
    pages = [
        reverse("egov_support:session_list"),
        reverse("egov_support:session_create"),
        reverse("egov_support:statistic_list"),
        reverse("egov_support:statistic_create"),
        reverse("volunteers:team_list"),
        reverse("volunteers:team_create"),
        reverse("volunteers:team_edit", args=[team.pk]),
        reverse("volunteers:volunteer_list"),
        reverse("volunteers:volunteer_join"),
        reverse("volunteers:volunteer_edit", args=[volunteer.pk]),
        reverse("partnerships:agreement_list"),
        reverse("partnerships:agreement_create"),
        reverse("org:unit_list"),
        reverse("accounts:user_create"),
    ]
    for persona in (personas.staff_a, personas.admin):
        client = as_user(persona)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            name, options = _biggest_select(response.content.decode())
            assert options <= MAX_OPTIONS, f"{url}: <select name={name}> has {options} options"


UNIT_FIELDS = {
    field.name
    for model in admin.site._registry
    for field in model._meta.get_fields()
    if field.is_relation and field.related_model is OrgUnit and not field.auto_created
}


def test_no_admin_add_form_renders_hundreds_of_units(crowded, personas, as_user):
    """Every unit field of every admin form (inlines too): typed into, not scrolled through."""
    client = as_user(personas.admin)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        response = client.get(url)
        if response.status_code != 200:
            continue
        name, options = _biggest_select(response.content.decode(), only=UNIT_FIELDS)
        assert options <= MAX_OPTIONS, f"{url}: <select name={name}> has {options} options"


def test_a_filter_keeps_the_chosen_unit_as_its_only_option(crowded, personas, as_user):
    response = as_user(personas.staff_a).get(
        reverse("egov_support:session_list"), {"unit": crowded.commune_a.pk}
    )

    body = response.content.decode()
    select = next(inner for name, inner in SELECT.findall(body) if name == "unit")
    assert "Đoàn phường An Hội" in select
    assert select.count("<option") == 2  # the empty choice and the chosen unit
    assert "data-unit-picker" in body


def _pick(client, q, purpose="view"):
    response = client.get(reverse("org:unit_pick"), {"q": q, "purpose": purpose})
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_the_search_ignores_diacritics_and_stays_in_scope(crowded, personas, as_user):
    assert _pick(as_user(personas.staff_a), "an hoi") == ["Đoàn phường An Hội"]
    assert _pick(as_user(personas.staff_a), "PHÚ khuong") == ["Đoàn phường Phú Khương"]
    assert _pick(as_user(personas.staff_a), "28777") == ["Đoàn phường An Hội"]
    assert _pick(as_user(personas.staff_b), "an hoi") == []
    assert _pick(as_user(personas.leader_a), "phuong") == ["Đoàn phường An Hội"]
    assert _pick(as_user(personas.leader_a), "vinh long", purpose="manage") == []
    assert _pick(as_user(personas.outsider), "phuong") == []


def test_the_search_answers_a_few_units_at_most(crowded, personas, as_user):
    assert len(_pick(as_user(personas.staff_a), "thu")) == 20


def test_a_party_may_be_any_union_unit_above_the_communes_but_only_for_managers(crowded, personas, as_user):
    assert _pick(as_user(personas.staff_a), "thanh hoa", purpose="party") == ["Tỉnh đoàn Thanh Hóa"]
    assert _pick(as_user(personas.leader_a), "thanh hoa", purpose="party") == []


def test_anonymous_is_sent_to_sign_in(client, tree):
    assert client.get(reverse("org:unit_pick"), {"q": "an"}).status_code == 302
