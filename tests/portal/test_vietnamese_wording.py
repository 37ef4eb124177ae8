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
