"""Every writable relation of every serializer the API routes refuses an id outside the caller's
scope (issue #17 item 10), and the issue's attacks through the API are 400s naming the field.

Found from the resolver: each viewset's serializer for create and for update, walked down nested
serializers and lists; each related field is given a row of another province (or commune) and must
refuse it, and a row of the caller's own must pass. A serializer added later is walked the same way.
"""

from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField, SlugRelatedField
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from egov_support.models import Campaign, HelpSession, Service
from org.models import OrgUnit
from partnerships.models import Agreement, Indicator, Partner, Target
from tests.access import OTHER, OWN
from tests.partnerships.factories import indicator as make_indicator
from tests.test_access_matrix import POPULATE, build_world
from volunteers.models import Activity, Skill, Team, Volunteer

pytestmark = pytest.mark.django_db

SHARED = {Partner, Indicator, Service, Skill}
# Decided and documented (CONTRIBUTING, README): any union may be NAMED as a party of an agreement;
# naming it gives no write rights there (targets need manage rights on their unit, checked above).
ANY_UNIT = {("AgreementSerializer", "parties[].org_unit")}
# Whose rows are outside, and whose inside, for each persona.
POSITIONS = {"staff_b": (OWN, OTHER), "leader_a": (OTHER, OWN)}


@pytest.fixture
def world(tree, personas):
    world = build_world(tree, personas)
    for populate in POPULATE.values():
        populate(world)
    return world


def _row(world, model, position):
    collections = {
        OrgUnit: world.units,
        Team: world.teams,
        Volunteer: world.volunteers,
        Agreement: world.agreements,
        Campaign: world.campaigns,
        HelpSession: world.sessions,
        Activity: world.activities,
    }
    assert model in collections, f"add a row of {model.__name__} at each position (tests/*/access_table.py)"
    return collections[model][position]


def _viewsets(patterns=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _viewsets(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            actions = getattr(pattern.callback, "actions", None) or {}
            for method, action in actions.items():
                if method in ("post", "put", "patch") and action in ("create", "update", "partial_update"):
                    yield pattern.callback.cls, action


VIEWSETS = sorted(set(_viewsets()), key=lambda pair: (pair[0].__name__, pair[1]))


def _relations(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            yield from _relations(field.child, f"{prefix}{name}[].")
        elif isinstance(field, serializers.Serializer):
            yield from _relations(field, f"{prefix}{name}.")
        elif isinstance(field, ManyRelatedField):
            yield f"{prefix}{name}", field.child_relation
        elif isinstance(field, RelatedField):
            yield f"{prefix}{name}", field


def _serializer(viewset, action, user):
    request = Request(APIRequestFactory().post("/api/v1/"))
    request.user = user
    view = viewset(action=action, request=request, format_kwarg=None, kwargs={})
    return view.get_serializer_class()(context={"request": request, "view": view})


def test_the_walk_finds_the_writable_relations():
    names = {viewset.__name__ for viewset, _action in VIEWSETS}
    assert {"AgreementViewSet", "HelpSessionViewSet", "TeamViewSet", "ServiceStatisticViewSet"} <= names


@pytest.mark.parametrize("persona", sorted(POSITIONS))
def test_every_writable_relation_refuses_a_row_outside_the_scope(world, persona):
    user = getattr(world.personas, persona)
    outside, inside = POSITIONS[persona]
    wrong, tried = [], 0
    for viewset, action in VIEWSETS:
        serializer = _serializer(viewset, action, user)
        where = f"{viewset.__name__}.{action}"
        for name, field in _relations(serializer):
            model = field.get_queryset().model
            if model in SHARED or (type(serializer).__name__, name) in ANY_UNIT:
                continue
            assert not isinstance(field, SlugRelatedField), (
                f"{name}: say how to try a slug of {model.__name__}"
            )
            foreign, own = _row(world, model, outside), _row(world, model, inside)
            tried += 1
            try:
                field.run_validation(foreign.pk)
            except serializers.ValidationError as refused:
                assert str(foreign.pk) in str(refused.detail[0])
            else:
                wrong.append(
                    f"{where} {name} accepted {model.__name__} {foreign} (outside {persona}'s scope)"
                )
            if persona != "staff_b":
                continue  # a leader may not manage even their own unit's agreements or statistics
            try:
                field.run_validation(own.pk)
            except serializers.ValidationError as refused:
                wrong.append(f"{where} {name} refused {model.__name__} {own} (inside): {refused.detail}")
    assert tried >= 20
    assert not wrong, "\n".join(wrong)


# --- The attacks ---------------------------------------------------------------------------


def test_targets_on_another_provinces_unit_are_refused_through_the_api(world, api_as):
    """As Thanh Hóa staff: an agreement of Thanh Hóa and a partner with a target on Vĩnh Long."""
    staff_b = world.personas.staff_b
    vinh_long = world.tree.province_a
    make_indicator(code="citizens_assisted")
    targets_before = list(Target.objects.values_list("pk", "org_unit_id", "target_value"))
    agreements_before = Agreement.objects.count()
    body = {
        "code": "TH-01",
        "title": "Thỏa thuận Thanh Hóa",
        "kind": "cooperation",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "parties": [{"org_unit": world.tree.province_b.pk}, {"partner": world.partner.pk}],
        "objectives": [
            {
                "number": 1,
                "text": "Hỗ trợ người dân",
                "area": "digital_government",
                "targets": [
                    {
                        "indicator": "citizens_assisted",
                        "org_unit": vinh_long.pk,
                        "target_value": "999999",
                        "deadline": "2026-12-31",
                    }
                ],
            }
        ],
    }

    response = api_as(staff_b).post(reverse("agreement-list"), body, format="json")

    assert response.status_code == 400, response.content
    assert response.json() == {
        "objectives": {
            "0": {
                "targets": {
                    "0": {"org_unit": [f"Không có mục mã {vinh_long.pk} trong số các mục bạn được chọn."]}
                }
            }
        }
    }
    assert Agreement.objects.count() == agreements_before
    assert list(Target.objects.values_list("pk", "org_unit_id", "target_value")) == targets_before
    # Vĩnh Long's staff see nothing of it on their dashboard's targets.
    assert not Target.objects.filter(target_value=Decimal("999999")).exists()

    # Its own unit is fine: the same body with a Thanh Hóa commune is created.
    body["objectives"][0]["targets"][0]["org_unit"] = world.units[OTHER].pk
    created = api_as(staff_b).post(reverse("agreement-list"), body, format="json")
    assert created.status_code == 201, created.content


def test_a_co_party_keeps_but_cannot_change_or_remove_the_other_provinces_target(world):
    from partnerships import services

    staff_a, staff_b = world.personas.staff_a, world.personas.staff_b
    # An agreement between both provinces, with a target on each, written by an administrator.
    both = services.agreement_create(
        by=None,
        code="HAI-TINH",
        title="Hai tỉnh",
        kind="cooperation",
        start_date=world.agreements[OWN].start_date,
        end_date=world.agreements[OWN].end_date,
        parties=[
            services.PartyInput(org_unit=world.tree.province_a),
            services.PartyInput(org_unit=world.tree.province_b),
        ],
        objectives=[
            services.ObjectiveInput(
                number=1,
                text="Chung",
                area="digital_government",
                targets=[
                    services.TargetInput(
                        indicator=make_indicator(code="citizens_assisted"),
                        org_unit=unit,
                        target_value=Decimal("100"),
                        deadline=world.agreements[OWN].end_date,
                    )
                    for unit in (world.tree.province_a, world.tree.province_b)
                ],
            )
        ],
    )
    a_target, b_target = sorted(
        Target.objects.filter(objective__agreement=both), key=lambda t: t.org_unit.path
    )
    if a_target.org_unit != world.tree.province_a:
        a_target, b_target = b_target, a_target

    def objectives(b_value: str | None):
        targets = [
            services.TargetInput(
                id=a_target.pk,
                indicator=a_target.indicator,
                org_unit=a_target.org_unit,
                target_value=Decimal("150"),
                deadline=a_target.deadline,
            )
        ]
        if b_value is not None:
            targets.append(
                services.TargetInput(
                    id=b_target.pk,
                    indicator=b_target.indicator,
                    org_unit=b_target.org_unit,
                    target_value=Decimal(b_value),
                    deadline=b_target.deadline,
                )
            )
        objective = both.objectives.get()
        return [
            services.ObjectiveInput(
                id=objective.pk, number=1, text="Chung", area=objective.area, targets=targets
            )
        ]

    # Vĩnh Long staff change their own target and leave Thanh Hóa's as it is: saved.
    services.agreement_update(by=staff_a, agreement=both, objectives=objectives("100"))
    assert Target.objects.get(pk=a_target.pk).target_value == Decimal("150")
    # Changing or removing Thanh Hóa's: refused, nothing changed.
    for attempt in ("999999", None):
        with pytest.raises(Exception) as refused:
            services.agreement_update(by=staff_a, agreement=both, objectives=objectives(attempt))
        assert "Tỉnh đoàn Thanh Hóa" in str(refused.value)
        assert Target.objects.get(pk=b_target.pk).target_value == Decimal("100")
    # Thanh Hóa's own staff may change theirs (Vĩnh Long's, now 150, kept as it is).
    services.agreement_update(by=staff_b, agreement=both, objectives=objectives("200"))
    assert Target.objects.get(pk=b_target.pk).target_value == Decimal("200")


def test_a_help_session_with_another_provinces_campaign_is_refused_through_the_api(world, api_as):
    staff_b = world.personas.staff_b
    before = HelpSession.objects.count()
    body = {
        "team": world.teams[OTHER].pk,
        "location_kind": "commune_office",
        "date": "2025-09-10",
        "start_time": "08:00",
        "end_time": "10:00",
        "campaign": world.campaigns[OWN].pk,  # Vĩnh Long's
        "lines": [{"service": world.service.code, "citizens_assisted": 3}],
    }

    response = api_as(staff_b).post(reverse("help-session-list"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["campaign"]
    assert HelpSession.objects.count() == before
    body["campaign"] = world.campaigns[OTHER].pk
    assert api_as(staff_b).post(reverse("help-session-list"), body, format="json").status_code == 201


def test_the_services_refuse_the_campaign_and_the_agreement_too(world):
    # The same rule below the API: a page or an import calling the service is held to it.
    from django.core.exceptions import ValidationError

    from egov_support import services as egov
    from volunteers import services as teams

    staff_b = world.personas.staff_b
    with pytest.raises(ValidationError) as refused:
        egov.help_session_create(
            by=staff_b,
            team=world.teams[OTHER],
            location_kind="commune_office",
            date=world.sessions[OTHER].date,
            start_time=world.sessions[OTHER].start_time,
            end_time=world.sessions[OTHER].end_time,
            lines=[{"service": world.service, "citizens_assisted": 2}],
            campaign=world.campaigns[OWN],
        )
    assert "campaign" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        teams.team_update(by=staff_b, team=world.teams[OTHER], agreements=[world.agreements[OWN]])
    assert "agreements" in refused.value.message_dict
    assert not Team.objects.get(pk=world.teams[OTHER].pk).agreements.exists()
