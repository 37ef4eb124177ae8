"""The phone help-session form stays short: the most-used services first, the rest and the
session's details folded, and whatever holds a figure or an error shown (issue 21, item 13)."""

import re

from django.urls import reverse

from egov_support.models import Service
from tests.egov_support.factories import HelpSessionFactory, ServiceFactory, ServiceLineFactory
from tests.egov_support.test_pages import _post_data

NEW = reverse("egov_support:session_create")


def _sections(html: str) -> tuple[str, str]:
    common = html.split('class="list-group mb-2 service-rows common-services"', 1)[1].split("</ul>", 1)[0]
    other = html.split('<details class="mb-3 other-services"', 1)[1].split('class="mb-3 session-more"', 1)[0]
    return common, other


def _services(section: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-service="(\d+)"', section)]


def test_six_common_services_first_and_the_rest_folded(egov, personas, as_user):
    html = as_user(personas.leader_a).get(NEW).content.decode()

    common, other = _sections(html)
    assert len(_services(common)) == 6
    assert _services(common)[0] == egov.vneid.pk  # VNeID level 2: the most common help
    assert set(_services(common)) | set(_services(other)) == set(
        Service.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    assert "Dịch vụ khác" in html
    assert '<details class="mb-3 other-services">' in html  # folded
    assert '<details class="mb-3 session-more">' in html  # volunteers, campaign, notes folded
    assert "Tình nguyện viên, chiến dịch và ghi chú" in html


def test_a_service_the_team_logs_often_moves_up(egov, personas, as_user):
    rare = ServiceFactory(code="zz-rare", name_vi="Dịch vụ ít gặp", sort_order=999)
    for day in range(1, 4):
        session = HelpSessionFactory(team=egov.team_a, address=f"Điểm {day}")
        ServiceLineFactory(session=session, service=rare)

    common, _ = _sections(as_user(personas.leader_a).get(NEW).content.decode())

    assert _services(common)[0] == rare.pk


def test_an_error_in_a_folded_service_or_detail_opens_its_section(egov, personas, as_user):
    rare = ServiceFactory(code="zz-rare", name_vi="Dịch vụ ít gặp", sort_order=999)
    data = _post_data(
        egov,
        volunteers=[egov.member_b.pk],  # another team's member: an error on the folded field
        **{f"svc-{rare.pk}-citizens_assisted": "năm"},
    )
    response = as_user(personas.leader_a).post(NEW, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="mb-3 other-services" open>' in html
    assert '<details class="mb-3 session-more" open>' in html
