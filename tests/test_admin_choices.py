"""Every choice Django admin offers comes through the access layer (issue #17 item 2).

Walks EVERY registered ModelAdmin as province staff: its add form, the change form of rows it
lists, each inline's forms, and the autocomplete endpoint for every relation of every model; every
row offered must be inside the persona's scope, judged here from the rows' own units (not by asking
the rule under test). A model registered next year is walked the same way without anyone adding it.
Then the issue's own attack: a help session posted with another province's team, volunteers and
campaign, and a team saved with another province's agreement, are refused with the field named.
"""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField
from django.forms import FileField, ModelChoiceField
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.choices import has_rule
from accounts.models import User
from egov_support.models import Campaign, HelpSession, Service
from org.models import OrgUnit
from partnerships.models import Agreement, Indicator, Partner
from tests.access import OTHER, OWN, PARENT
from tests.test_access_matrix import POPULATE, build_world
from tests.test_scoping_fails_closed import _unit_path
from volunteers.models import Skill

pytestmark = pytest.mark.django_db

SHARED = {Partner, Indicator, Service, Skill}  # catalogues of the whole country
# Relations no non-superuser ever edits in admin (Django's own auth tables, history's user).
NEVER_EDITED_BY_STAFF = {"Group", "Permission", "ContentType"}


@pytest.fixture
def world(tree, personas):
    world = build_world(tree, personas)
    for populate in POPULATE.values():
        populate(world)
    return world


def roots_of(world, persona: str) -> list[str]:
    tree = world.tree
    return {"staff_a": [tree.province_a.path, tree.dissolved_a.path], "staff_b": [tree.province_b.path]}[
        persona
    ]


def _within(unit, roots) -> bool:
    return unit is not None and any(unit.path.startswith(root) for root in roots)


def in_scope(obj, roots) -> bool:
    """Whether a row offered as a choice lies where the persona works, from the row's own units."""
    if type(obj) in SHARED:
        return True
    if isinstance(obj, OrgUnit):
        return _within(obj, roots)
    if isinstance(obj, User):
        units = [a.org_unit for a in obj.role_assignments.select_related("org_unit")]
        return not obj.is_superuser and bool(units) and all(_within(u, roots) for u in units)
    if isinstance(obj, Agreement):
        # Seen from below too: the Central Union's agreement binds every province (read, not written).
        units = [p.org_unit for p in obj.parties.select_related("org_unit") if p.org_unit_id]
        return any(_within(u, roots) or any(root.startswith(u.path) for root in roots) for u in units)
    if isinstance(obj, Campaign):
        return any(_within(u, roots) for u in [obj.org_unit, *obj.participating_units.all()])
    path = _unit_path(type(obj))
    assert path is not None, f"{type(obj).__name__} is offered as a choice: say here how to judge its scope"
    unit = obj
    for part in path.split("__") if path else []:
        unit = getattr(unit, part)
    return _within(unit, roots)


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _forms(response):
    yield response.context["adminform"].form
    for inline in response.context.get("inline_admin_formsets") or []:
        yield inline.formset.empty_form
        yield from inline.formset.forms


@pytest.mark.parametrize("persona", ["staff_a", "staff_b"])
def test_every_admin_form_offers_only_choices_in_scope(world, persona):
    user = getattr(world.personas, persona)
    roots = roots_of(world, persona)
    client = _client(user)
    request = RequestFactory().get("/admin/")
    request.user = user
    checked, leaks = set(), []
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{info}_add")]
        urls += [reverse(f"{info}_change", args=[obj.pk]) for obj in model_admin.get_queryset(request)[:3]]
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            for form in _forms(response):
                for name, field in form.fields.items():
                    if not isinstance(field, ModelChoiceField) or name == form._meta.model._meta.pk.name:
                        continue  # a formset's own row id is no choice (rows outside it are new rows)
                    checked.add((form._meta.model.__name__, name))
                    leaks += [f"{url} {name}: {obj!r}" for obj in field.queryset if not in_scope(obj, roots)]
    assert not leaks, "choices outside the persona's scope:\n" + "\n".join(leaks)
    # The walk reached the forms of the issue (and so would reach a new one).
    assert {
        ("HelpSession", "team"),
        ("HelpSession", "volunteers"),
        ("HelpSession", "campaign"),
        ("HelpSession", "org_unit"),
        ("Team", "agreements"),
        ("Team", "org_unit"),
        ("Membership", "volunteer"),
        ("Campaign", "participating_units"),
        ("RoleAssignment", "user"),
    } <= checked


def _relations():
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey | ManyToManyField) and not field.auto_created:
                yield model, field


@pytest.mark.parametrize("persona", ["staff_a", "staff_b"])
def test_the_autocomplete_endpoint_answers_only_choices_in_scope(world, persona):
    # The endpoint answers for ANY relation of any model whose target has a searchable admin, not
    # only the fields declared autocomplete: every one is asked.
    user = getattr(world.personas, persona)
    roots = roots_of(world, persona)
    client = _client(user)
    asked, leaks = 0, []
    for model, field in _relations():
        target_admin = admin.site._registry.get(field.related_model)
        if target_admin is None or not target_admin.search_fields:
            continue
        page = 1
        while True:
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field.name,
                    "term": "",
                    "page": page,
                },
            )
            if response.status_code != 200:
                break
            asked += 1
            body = json.loads(response.content)
            ids = [item["id"] for item in body["results"]]
            for obj in field.related_model._default_manager.filter(pk__in=ids):
                if not in_scope(obj, roots):
                    leaks.append(f"{model.__name__}.{field.name}: {obj!r}")
            if not body["pagination"]["more"]:
                break
            page += 1
    assert asked >= 10
    assert not leaks, "autocomplete answers outside the persona's scope:\n" + "\n".join(leaks)


def test_every_relation_an_admin_form_can_offer_has_a_choice_rule():
    # A relation to a model with no rule offers nothing to staff (fails closed): this names it, so
    # whoever adds the model says which rows a write may link to (WRITE_CHOICES in its selectors).
    missing = sorted(
        f"{model.__name__}.{field.name} -> {field.related_model.__name__}"
        for model, field in _relations()
        if model in admin.site._registry
        and field.editable
        and not has_rule(field.related_model)
        and field.related_model.__name__ not in NEVER_EDITED_BY_STAFF
    )
    assert not missing, f"relations with no rule in accounts.choices: {missing}"


# --- The attack, as the Thanh Hóa staff member --------------------------------------------


def _post_data(response) -> dict:
    """What the browser would post back from an admin page: every field's current value."""
    data = {}
    for form in [response.context["adminform"].form] + [
        f for inline in response.context["inline_admin_formsets"] for f in inline.formset.forms
    ]:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or isinstance(field, FileField):
                continue  # a stored file is kept when nothing is uploaded
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, datetime.date):
                data[key] = value.strftime("%d/%m/%Y")
            else:
                data[key] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def test_a_help_session_with_another_provinces_team_volunteers_and_campaign_is_refused(world):
    staff_b = world.personas.staff_b
    client = _client(staff_b)
    before = HelpSession.objects.count()

    response = client.post(
        reverse("admin:egov_support_helpsession_add"),
        {
            "team": world.teams[OWN].pk,  # Vĩnh Long's team
            "org_unit": world.units[OTHER].pk,  # a Thanh Hóa commune
            "location_kind": "commune_office",
            "date": "10/09/2025",
            "start_time": "08:00",
            "end_time": "10:00",
            "volunteers": [world.volunteers[OWN].pk, world.volunteers[PARENT].pk],  # Vĩnh Long's people
            "campaign": world.campaigns[OWN].pk,  # another province's campaign
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200  # the form again, with the errors
    errors = response.context["adminform"].form.errors
    assert errors["team"] == ["Đội hình: lựa chọn này không tồn tại hoặc nằm ngoài các đơn vị bạn quản lý."]
    assert errors["campaign"][0].startswith("Chiến dịch: lựa chọn này không tồn tại")
    assert "nằm ngoài các đơn vị bạn quản lý" in errors["volunteers"][0]
    assert "org_unit" not in errors
    assert HelpSession.objects.count() == before
    # The refused ids are not echoed back with the names of Vĩnh Long's team and people.
    page = response.content.decode()
    assert world.teams[OWN].name not in page
    assert world.volunteers[OWN].given_name not in page


def test_editing_a_team_with_another_provinces_agreement_is_refused_and_its_own_edit_saves(world):
    staff_b = world.personas.staff_b
    team = world.teams[OTHER]  # Thanh Hóa's own team
    client = _client(staff_b)
    url = reverse("admin:volunteers_team_change", args=[team.pk])
    data = _post_data(client.get(url))

    refused = client.post(url, {**data, "agreements": str(world.agreements[OWN].pk)})  # Vĩnh Long's

    assert refused.status_code == 200
    (error,) = refused.context["adminform"].form.errors["agreements"]
    assert "nằm ngoài các đơn vị bạn quản lý" in error
    assert not team.agreements.exists()

    saved = client.post(url, {**data, "agreements": str(world.agreements[OTHER].pk), "name": "Đội Hạc Thành"})

    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    team.refresh_from_db()
    assert (team.name, list(team.agreements.values_list("pk", flat=True))) == (
        "Đội Hạc Thành",
        [world.agreements[OTHER].pk],
    )
