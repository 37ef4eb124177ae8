"""Words Django or an early draft got wrong in Vietnamese (issue 21, item 16)."""

import pytest
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
