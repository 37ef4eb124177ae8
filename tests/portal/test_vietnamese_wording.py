"""Words Django or an early draft got wrong in Vietnamese (issue 21, item 16)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation


def test_history_is_lich_su_and_leaving_a_team_reads_right_in_both_languages():
    with translation.override("vi"):
        assert translation.gettext("History") == "Lịch sử"  # Django's own says "Bản ghi nhớ"
        assert translation.gettext("Leave team") == "Rời đội"
    with translation.override("en"):
        assert translation.gettext("Leave team") == "Leave team"


@pytest.mark.django_db
def test_the_admin_change_page_links_to_lich_su(tree, personas, as_user):
    response = as_user(personas.admin).get(f"/admin/org/orgunit/{tree.commune_a.pk}/change/")

    body = response.content.decode()
    assert "Lịch sử" in body
    assert "Bản ghi nhớ" not in body.replace("BẢN GHI NHỚ", "Bản ghi nhớ")


@pytest.mark.django_db
def test_the_admin_index_reads_vietnamese_for_django_allauth_and_axes(tree, personas, as_user):
    body = as_user(personas.admin).get("/admin/").content.decode()

    for english in (
        "Model name",
        "Add link",
        "Change or view list link",
        "Email addresses",
        ">Axes<",
        ">MFA<",
    ):
        assert english not in body, english
    for vietnamese in (
        "Tên mục",
        "Liên kết thêm mới",
        "Địa chỉ email",
        "Khóa đăng nhập",
        "Xác thực hai bước",
    ):
        assert vietnamese in body, vietnamese
    assert "Phương thức xác thực" in body  # allauth's Authenticator has no translatable name


@pytest.mark.django_db
def test_a_change_list_says_hien_so_luong_and_da_chon(tree, personas, as_user):
    body = as_user(personas.admin).get("/admin/axes/accessattempt/").content.decode()

    assert "Hiện số lượng" in body and "Show counts" not in body
    assert "Theo Bị khóa" in body  # axes' filter titles, and "Theo" rather than Django's "Bởi"


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_says_da_chon_not_di_den_cua(tree, personas, as_user):
    body = as_user(personas.admin).get("/admin/jsi18n/").content.decode("unicode_escape")

    assert "Đã chọn %(sel)s/%(cnt)s" in body
    assert "của %(cnt)s được chọn" not in body
    # filter_horizontal's help text (team volunteers, volunteer skills)
    assert "rồi bấm nút mũi tên" in body


def test_short_service_labels_stay_distinct():
    from egov_support.views import short_labels

    names = {
        1: "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi",
        2: "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em",
        3: "Cấp phiếu lý lịch tư pháp",
    }
    labels = short_labels(names, width=30)

    assert labels[3] == "Cấp phiếu lý lịch tư pháp"
    assert labels[1] != labels[2]
    assert len(labels[1]) < len(names[1])  # still shortened, just enough to tell apart


@pytest.mark.django_db
def test_the_session_list_badges_tell_two_similar_services_apart(tree, personas, as_user):
    from tests.egov_support.factories import (
        HelpSessionFactory,
        ServiceFactory,
        ServiceLineFactory,
        TeamFactory,
    )

    prefix = "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ"
    first = ServiceFactory(code="ks-a", name_vi=f"{prefix} dưới 6 tuổi")
    second = ServiceFactory(code="ks-b", name_vi=f"{prefix} em")
    session = HelpSessionFactory(team=TeamFactory(org_unit=tree.commune_a))
    ServiceLineFactory(session=session, service=first)
    ServiceLineFactory(session=session, service=second)

    body = as_user(personas.staff_a).get(reverse("egov_support:session_list")).content.decode()

    badges = re.findall(r'<span class="badge[^"]*" title="[^"]*">([^<]*): <b>', body)
    assert len(badges) == 2 and badges[0] != badges[1]  # truncatechars:30 made them one label
    assert "Nộp trực tuyến: số hồ sơ người dân nộp trên Cổng dịch vụ công" in body
    assert "Hoàn thành: số người được hỗ trợ đã làm xong thủ tục" in body


@pytest.mark.django_db
def test_only_staff_and_admins_see_the_api_docs_link_on_home(tree, personas, as_user):
    assert "Tài liệu API" not in as_user(personas.leader_a).get("/").content.decode()
    assert "Tài liệu API" in as_user(personas.staff_a).get("/").content.decode()


@pytest.mark.django_db
def test_the_sign_in_page_wears_the_portal_layout_without_inline_code(client):
    body = client.get(reverse("account_login")).content.decode()

    assert "portal-navbar" in body and "css/portal.css" in body  # the portal's base.html and CSS
    assert "entrance-card" in body and "Đăng nhập" in body
    inline_scripts = [tag for tag in re.findall(r"<script[^>]*>", body) if "src=" not in tag]
    assert all('type="application/json"' in tag for tag in inline_scripts)  # data, never code
    assert "<style" not in body and " style=" not in body  # strict CSP
