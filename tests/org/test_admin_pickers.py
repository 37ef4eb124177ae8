"""Admin unit pickers: typed names without diacritics, only the units the user manages."""

import pytest
from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField
from django.test import RequestFactory

from org.models import OrgUnit

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/"


def _unit_fields(model_admin, model):
    for field in model._meta.get_fields():
        if (
            isinstance(field, ForeignKey | ManyToManyField)
            and field.related_model is OrgUnit
            and field.editable
        ):
            yield field.name


def test_every_admin_form_picks_units_by_typing(personas):
    request = RequestFactory().get("/admin/")
    request.user = personas.admin
    missing = []
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin)] + [
            (inline.model, inline) for inline in model_admin.get_inline_instances(request)
        ]
        for form_model, form_admin in admins:
            readonly = set(form_admin.get_readonly_fields(request))
            for name in _unit_fields(form_admin, form_model):
                shown = form_admin.get_fields(request) if hasattr(form_admin, "get_fields") else []
                if name in readonly or name not in shown:
                    continue
                if name not in form_admin.autocomplete_fields:
                    missing.append(f"{type(form_admin).__name__}.{name}")
    assert missing == []


def _pick(client, term, model="campaign", field="org_unit", app="egov_support"):
    response = client.get(
        AUTOCOMPLETE, {"term": term, "app_label": app, "model_name": model, "field_name": field}
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_staff_find_a_commune_typed_without_diacritics(as_user, personas):
    client = as_user(personas.staff_a)

    assert _pick(client, "an hoi") == ["Đoàn phường An Hội"]
    assert _pick(client, "AN HỘI") == ["Đoàn phường An Hội"]
    assert _pick(client, "28756") == ["Đoàn phường Phú Khương"]
    homes = _pick(client, "phuong", model="volunteer", field="home_unit", app="volunteers")
    assert set(homes) == {"Đoàn phường An Hội", "Đoàn phường Phú Khương", "Đoàn phường Bến Tre"}


def test_the_picker_offers_only_current_units_in_the_users_scope(as_user, personas):
    client = as_user(personas.staff_b)

    assert _pick(client, "an hoi") == []
    assert _pick(client, "hac thanh") == ["Đoàn phường Hạc Thành"]
    assert "Tỉnh đoàn Bến Tre" not in _pick(as_user(personas.admin), "ben tre")


def test_the_picker_is_closed_to_a_leader(as_user, personas):
    response = as_user(personas.leader_a).get(
        AUTOCOMPLETE,
        {"term": "an", "app_label": "egov_support", "model_name": "campaign", "field_name": "org_unit"},
    )

    assert response.status_code in (302, 403)


def test_admin_list_search_ignores_diacritics(as_user, personas):
    response = as_user(personas.staff_a).get("/admin/org/orgunit/", {"q": "phu khuong"})

    assert [unit.name for unit in response.context["cl"].queryset] == ["Đoàn phường Phú Khương"]
