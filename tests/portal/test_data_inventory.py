"""The personal data inventory: generated from the models' PERSONAL_DATA declarations, complete, and
shown to administrators only."""

import pytest
from django.apps import apps
from django.urls import reverse

from portal.data_inventory import NOT_PERSONAL, PROJECT_APPS, inventory, undeclared_personal_fields

pytestmark = pytest.mark.django_db


def test_every_personal_looking_field_is_declared():
    assert undeclared_personal_fields() == [], (
        "Declare these in the model's PERSONAL_DATA (purpose) and PERSONAL_DATA_RETENTION, or list them "
        "in portal.data_inventory.NOT_PERSONAL with the reason"
    )


def test_exceptions_name_real_fields():
    for key in NOT_PERSONAL:
        label, model_name, field_name = key.split(".")
        apps.get_model(label, model_name)._meta.get_field(field_name)


def test_every_declared_field_exists_and_has_a_purpose_and_a_retention():
    declared = 0
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for name, purpose in getattr(model, "PERSONAL_DATA", {}).items():
                model._meta.get_field(name)
                assert str(purpose).strip(), f"{model.__name__}.{name} has no purpose"
                assert str(getattr(model, "PERSONAL_DATA_RETENTION", "")).strip(), model.__name__
                declared += 1
    assert declared == len(inventory())


def test_volunteer_contact_fields_are_not_kept_in_history_but_names_are_masked_there():
    rows = {(r.record, r.field_name): r for r in inventory()}
    assert not rows[("tình nguyện viên", "phone")].in_history
    assert rows[("tình nguyện viên", "family_name")].in_history  # erasure blanks it there too
    assert not rows[("liên hệ hỗ trợ tiếp", "phone")].in_history


def test_administrators_see_every_declared_field(as_user, personas):
    response = as_user(personas.admin).get(reverse("portal:data_inventory"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Danh mục dữ liệu cá nhân" in body
    for row in inventory():
        assert f'<code class="small text-body-secondary">{row.field_name}</code>' in body
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    assert "Danh mục dữ liệu cá nhân" in as_user(personas.admin).get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize("persona", ["staff_a", "leader_a", "viewer", "outsider"])
def test_the_page_does_not_exist_for_other_users(as_user, personas, persona):
    client = as_user(getattr(personas, persona))
    assert client.get(reverse("portal:data_inventory")).status_code == 404
    assert "Danh mục dữ liệu cá nhân" not in client.get(reverse("portal:home")).content.decode()
