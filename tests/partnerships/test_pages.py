import datetime
import io

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Agreement, AgreementParty, Commitment, Objective, Partner, Target
from tests.partnerships.factories import PartnerFactory, indicator, make_agreement, objective_with_everything

pytestmark = pytest.mark.django_db

S = Agreement.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def agreements(tree):
    """Vĩnh Long's own, Bến Tre's (dissolved, merged into Vĩnh Long), Thanh Hóa's and the Central Union's."""
    return {
        "vinh_long": make_agreement(units=[tree.province_a], title="Thỏa thuận Vĩnh Long", status=S.ACTIVE),
        "ben_tre": make_agreement(
            units=[tree.dissolved_a],
            partners=[PartnerFactory(name="VNPT Bến Tre")],
            title="Thỏa thuận Tỉnh đoàn Bến Tre",
            status=S.ACTIVE,
            objectives=[objective_with_everything(unit=tree.dissolved_a)],
        ),
        "thanh_hoa": make_agreement(units=[tree.province_b], title="Chương trình Thanh Hóa", status=S.SIGNED),
        "central": make_agreement(units=[tree.central], title="Trung ương Đoàn và VNPT", status=S.ENDED),
    }


def _titles(response):
    return {a.title for a in response.context["page"].object_list}


def test_lists_show_own_merged_and_ancestor_agreements_only(as_user, personas, agreements):
    url = reverse("partnerships:agreement_list")

    assert _titles(as_user(personas.staff_a).get(url)) == {
        "Thỏa thuận Vĩnh Long",
        "Thỏa thuận Tỉnh đoàn Bến Tre",
        "Trung ương Đoàn và VNPT",
    }
    assert _titles(as_user(personas.staff_b).get(url)) == {
        "Chương trình Thanh Hóa",
        "Trung ương Đoàn và VNPT",
    }
    assert _titles(as_user(personas.leader_a).get(url)) == {
        "Thỏa thuận Vĩnh Long",
        "Thỏa thuận Tỉnh đoàn Bến Tre",
        "Trung ương Đoàn và VNPT",
    }
    assert len(_titles(as_user(personas.viewer).get(url))) == 4
    assert _titles(as_user(personas.outsider).get(url)) == set()


@pytest.mark.parametrize("suffix", ["", "print/", "edit/", "document/"])
def test_other_province_gets_404_on_every_page_of_an_agreement(as_user, personas, agreements, suffix):
    for key in ("vinh_long", "ben_tre"):
        response = as_user(personas.staff_b).get(f"/agreements/{agreements[key].pk}/{suffix}")
        assert response.status_code == 404


def test_other_province_cannot_post_a_status_change(as_user, personas, agreements):
    agreement = agreements["vinh_long"]
    response = as_user(personas.staff_b).post(
        reverse("partnerships:agreement_transition", args=[agreement.pk]), {"to": "terminated"}
    )
    assert response.status_code == 404
    assert Agreement.objects.get(pk=agreement.pk).status == S.ACTIVE


def test_successor_staff_see_and_edit_the_dissolved_units_agreement(as_user, personas, agreements):
    client = as_user(personas.staff_a)
    agreement = agreements["ben_tre"]

    detail = client.get(reverse("partnerships:agreement_detail", args=[agreement.pk]))
    assert detail.status_code == 200
    assert detail.context["can_manage"] is True
    assert "Tỉnh đoàn Bến Tre" in detail.content.decode()
    assert client.get(reverse("partnerships:agreement_edit", args=[agreement.pk])).status_code == 200


def test_leader_and_viewer_read_only(as_user, personas, agreements):
    agreement = agreements["vinh_long"]
    for persona in (personas.leader_a, personas.viewer):
        client = as_user(persona)
        detail = client.get(reverse("partnerships:agreement_detail", args=[agreement.pk]))
        assert detail.status_code == 200
        assert detail.context["can_manage"] is False
        assert detail.context["transitions"] == []
        assert client.get(reverse("partnerships:agreement_edit", args=[agreement.pk])).status_code == 403
        assert client.get(reverse("partnerships:agreement_create")).status_code == 403
        response = client.post(
            reverse("partnerships:agreement_transition", args=[agreement.pk]), {"to": "suspended"}
        )
        assert response.status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).status == S.ACTIVE


def test_province_staff_see_the_central_agreement_but_cannot_edit_it(as_user, personas, agreements):
    client = as_user(personas.staff_b)
    agreement = agreements["central"]
    assert client.get(reverse("partnerships:agreement_detail", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("partnerships:agreement_edit", args=[agreement.pk])).status_code == 403


def test_status_action_through_the_page(as_user, personas, agreements):
    agreement = agreements["vinh_long"]
    response = as_user(personas.staff_a).post(
        reverse("partnerships:agreement_transition", args=[agreement.pk]), {"to": "suspended"}, follow=True
    )
    assert Agreement.objects.get(pk=agreement.pk).status == S.SUSPENDED
    assert "Đã chuyển trạng thái" in response.content.decode()

    response = as_user(personas.staff_a).post(
        reverse("partnerships:agreement_transition", args=[agreement.pk]), {"to": "draft"}, follow=True
    )
    assert Agreement.objects.get(pk=agreement.pk).status == S.SUSPENDED
    assert "không thể chuyển sang" in response.content.decode()


def test_search_ignores_diacritics_and_filters_combine(as_user, personas, agreements, tree):
    client = as_user(personas.viewer)
    url = reverse("partnerships:agreement_list")

    assert _titles(client.get(url, {"q": "ben tre"})) == {"Thỏa thuận Tỉnh đoàn Bến Tre"}
    assert _titles(client.get(url, {"q": "BEN TRE vnpt"})) == {"Thỏa thuận Tỉnh đoàn Bến Tre"}
    assert _titles(client.get(url, {"status": "signed"})) == {"Chương trình Thanh Hóa"}
    assert _titles(client.get(url, {"province": tree.province_a.pk})) == {
        "Thỏa thuận Vĩnh Long",
        "Thỏa thuận Tỉnh đoàn Bến Tre",
    }
    partner = AgreementParty.objects.get(agreement=agreements["ben_tre"], partner__isnull=False).partner
    assert _titles(client.get(url, {"partner": partner.pk})) == {"Thỏa thuận Tỉnh đoàn Bến Tre"}
    assert _titles(client.get(url, {"year": 2019})) == set()
    assert (
        len(_titles(client.get(url, {"year": 2025, "sort": "title", "page": "x", "status": "nonsense"}))) == 4
    )


def test_excel_export_has_the_filtered_rows_with_real_dates(as_user, personas, agreements):
    response = as_user(personas.staff_a).get(reverse("partnerships:agreement_export"), {"q": "ben tre"})

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Số/ký hiệu", "Tên văn bản", "Loại", "Trạng thái")
    assert len(rows) == 2
    assert rows[1][1] == "Thỏa thuận Tỉnh đoàn Bến Tre"
    assert rows[1][4] == "Tỉnh đoàn Bến Tre; VNPT Bến Tre"
    assert rows[1][6] == datetime.datetime(2020, 1, 1)
    assert sheet.cell(row=2, column=7).number_format == "DD/MM/YYYY"


def test_pages_render_in_vietnamese_by_default(as_user, personas, agreements):
    html = as_user(personas.staff_a).get(reverse("partnerships:agreement_list")).content.decode()
    assert "Thỏa thuận" in html and "Xuất Excel" in html and "Đang hiệu lực" in html


def test_print_view_is_a4(as_user, personas, agreements):
    response = as_user(personas.staff_a).get(
        reverse("partnerships:agreement_print", args=[agreements["ben_tre"].pk])
    )
    assert response.status_code == 200
    assert "partnerships-print.css" in response.content.decode()


# --- The form --------------------------------------------------------------------------------


def form_data(*, parties, objectives=(), commitments=(), targets=(), **fields):
    data = {
        "title": "Chương trình phối hợp chuyển đổi số",
        "code": "01/CTPH",
        "kind": "coordination",
        "start_date": "05/03/2026",
        "end_date": "31/12/2028",
        "signed_on": "05/03/2026",
        "signed_place": "Vĩnh Long",
        "summary": "",
        "legal_references": "",
        "follows": "",
    }
    data.update(fields)
    for prefix, rows in (
        ("parties", parties),
        ("objectives", objectives),
        ("commitments", commitments),
        ("targets", targets),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "2" if prefix == "parties" else "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


def good_form(tree, partner, **fields):
    return form_data(
        parties=[
            {"org_unit": tree.province_a.pk, "role": "signatory", "signatory_name": "Nguyễn Văn B"},
            {"partner": partner.pk, "role": "signatory"},
        ],
        objectives=[{"number": "1", "text": "Hỗ trợ dịch vụ công trực tuyến", "area": "digital_government"}],
        commitments=[
            {
                "objective_number": "1",
                "party_number": "1",
                "text": "Thành lập đội hình",
                "recurrence": "once",
                "due_date": "30/06/2026",
            }
        ],
        targets=[
            {
                "objective_number": "1",
                "indicator": indicator().pk,
                "org_unit": tree.province_a.pk,
                "target_value": "30",
                "deadline": "31/12/2026",
            }
        ],
        **fields,
    )


def test_staff_create_an_agreement_with_everything_and_dd_mm_yyyy_dates(as_user, personas, tree):
    partner = PartnerFactory(name="VNPT Vĩnh Long")
    document = SimpleUploadedFile("ky-ket.pdf", PDF, content_type="application/pdf")

    response = as_user(personas.staff_a).post(
        reverse("partnerships:agreement_create"), {**good_form(tree, partner), "document": document}
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:agreement_detail", args=[agreement.pk])
    assert (agreement.start_date, agreement.signed_on) == (
        datetime.date(2026, 3, 5),
        datetime.date(2026, 3, 5),
    )
    assert agreement.created_by == personas.staff_a
    assert [p.name for p in agreement.parties.all()] == ["Tỉnh đoàn Vĩnh Long", "VNPT Vĩnh Long"]
    commitment = Commitment.objects.get()
    assert (commitment.party.org_unit, commitment.due_date) == (tree.province_a, datetime.date(2026, 6, 30))
    assert Target.objects.get().target_value == 30
    assert agreement.document.name.startswith("agreements/") and "ky-ket" not in agreement.document.name

    download = as_user(personas.staff_a).get(reverse("partnerships:agreement_document", args=[agreement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"


def _assert_nothing_saved():
    assert Agreement.objects.count() == 0
    assert AgreementParty.objects.count() == Objective.objects.count() == Target.objects.count() == 0


@pytest.mark.parametrize(
    "change, where, message",
    [
        ({"end_date": "01/01/2026"}, "end_date", "Ngày kết thúc giai đoạn không được trước ngày bắt đầu"),
        ({"start_date": "31/02/2026"}, "start_date", ""),
        ({"document": "not-pdf"}, "document", "không được chấp nhận"),
        ({"document": "huge"}, "document", "giới hạn là 10 MB"),
    ],
)
def test_bad_agreement_fields_show_field_errors_and_save_nothing(
    as_user, personas, tree, change, where, message
):
    partner = PartnerFactory()
    data = good_form(tree, partner)
    if change.get("document") == "not-pdf":
        change = {
            "document": SimpleUploadedFile(
                "fake.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
            )
        }
    elif change.get("document") == "huge":
        change = {"document": SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024 + 1))}
    data.update(change)

    response = as_user(personas.staff_a).post(reverse("partnerships:agreement_create"), data)

    assert response.status_code == 400
    errors = response.context["bundle"].form.errors
    assert where in errors
    assert message in " ".join(errors[where])
    assert "Chưa lưu gì" in response.content.decode()
    _assert_nothing_saved()


def test_a_missing_party_is_an_error_and_nothing_is_saved(as_user, personas, tree):
    data = good_form(tree, PartnerFactory())
    data["parties-TOTAL_FORMS"] = "1"

    response = as_user(personas.staff_a).post(reverse("partnerships:agreement_create"), data)

    assert response.status_code == 400
    assert response.context["bundle"].parties.non_form_errors()
    _assert_nothing_saved()


def test_a_party_row_with_neither_unit_nor_partner_and_a_dangling_objective_number(as_user, personas, tree):
    data = good_form(tree, PartnerFactory())
    data["parties-1-partner"] = ""
    data["parties-1-signatory_name"] = "Trần Văn C"
    data["targets-0-objective_number"] = "7"

    response = as_user(personas.staff_a).post(reverse("partnerships:agreement_create"), data)

    assert response.status_code == 400
    bundle = response.context["bundle"]
    assert "org_unit" in bundle.parties.forms[1].errors
    _assert_nothing_saved()


def test_staff_of_another_province_cannot_create_for_vinh_long(as_user, personas, tree):
    data = good_form(tree, PartnerFactory())
    data["targets-TOTAL_FORMS"] = "0"

    response = as_user(personas.staff_b).post(reverse("partnerships:agreement_create"), data)

    assert response.status_code == 400
    assert "đơn vị bạn quản lý" in response.content.decode()
    _assert_nothing_saved()


def test_target_units_are_limited_to_the_managed_scope(as_user, personas, tree):
    response = as_user(personas.staff_b).post(
        reverse("partnerships:agreement_create"), good_form(tree, PartnerFactory())
    )

    assert response.status_code == 400
    assert "org_unit" in response.context["bundle"].targets.forms[0].errors
    _assert_nothing_saved()


def test_edit_keeps_rows_and_changes_fields(as_user, personas, agreements):
    agreement = agreements["ben_tre"]
    client = as_user(personas.staff_a)
    page = client.get(reverse("partnerships:agreement_edit", args=[agreement.pk]))
    bundle = page.context["bundle"]
    data = {}
    for form in [bundle.form]:
        for name, field in form.fields.items():
            value = form[name].value()
            if name == "document" or value is None:
                continue
            data[name] = (
                field.widget.format_value(value) if hasattr(field.widget, "format") and value else value
            )
    for formset in bundle.formsets:
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value not in (None, "") and name != "DELETE":
                    if isinstance(value, datetime.date):
                        value = value.strftime("%d/%m/%Y")
                    data[form.add_prefix(name)] = value
    # What a browser posts for the blank extra rows: their selects' preselected options.
    for formset in (bundle.objectives, bundle.commitments):
        extra = formset.forms[formset.initial_form_count()]
        for name, field in extra.fields.items():
            if isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0]:
                data.setdefault(extra.add_prefix(name), field.choices[0][0])
    assert data["objectives-1-area"] == Objective.Area.choices[0][0]
    data["title"] = "Thỏa thuận Tỉnh đoàn Bến Tre (sửa)"
    data["start_date"] = agreement.start_date.strftime("%d/%m/%Y")
    data["end_date"] = agreement.end_date.strftime("%d/%m/%Y")
    objective_id = agreement.objectives.get().pk

    response = client.post(reverse("partnerships:agreement_edit", args=[agreement.pk]), data)

    assert response.status_code == 302, response.context["bundle"].form.errors
    assert Agreement.objects.get(pk=agreement.pk).title == "Thỏa thuận Tỉnh đoàn Bến Tre (sửa)"
    assert agreement.objectives.get().pk == objective_id
    assert Target.objects.filter(objective__agreement=agreement).count() == 1


# --- Query budgets ----------------------------------------------------------------------------


def _many(tree, n):
    partner = PartnerFactory()
    for i in range(n):
        make_agreement(
            units=[tree.province_a, tree.commune_a],
            partners=[partner],
            title=f"Thỏa thuận {i}",
            objectives=[objective_with_everything(number=k, unit=tree.province_a) for k in (1, 2, 3)],
        )


@pytest.mark.parametrize("rows", [1, 30])
def test_list_page_query_count_is_bounded(as_user, personas, tree, rows, django_assert_max_num_queries):
    _many(tree, rows)
    client = as_user(personas.staff_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("partnerships:agreement_list"))
    assert len(response.context["page"].object_list) == min(rows, 25)
    with django_assert_max_num_queries(10):
        client.get(reverse("partnerships:agreement_export"))


@pytest.mark.parametrize("objectives", [1, 12])
def test_detail_page_query_count_is_bounded(
    as_user, personas, tree, objectives, django_assert_max_num_queries
):
    agreement = make_agreement(
        units=[tree.province_a, tree.commune_a],
        objectives=[
            objective_with_everything(number=k, unit=tree.province_a) for k in range(1, objectives + 1)
        ],
    )
    client = as_user(personas.staff_a)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("partnerships:agreement_detail", args=[agreement.pk]))
    assert len(response.context["objectives"]) == objectives


def test_detail_shows_the_renewal_chain_and_history_only_to_managers(as_user, personas, tree):
    first = make_agreement(units=[tree.central], title="TƯ Đoàn – VNPT 2019 - 2022", status=S.ENDED)
    second = make_agreement(units=[tree.central], title="TƯ Đoàn – VNPT 2023 - 2027", follows=first)

    detail = as_user(personas.admin).get(reverse("partnerships:agreement_detail", args=[second.pk]))
    assert [a.title for a in detail.context["chain_before"]] == ["TƯ Đoàn – VNPT 2019 - 2022"]
    assert len(detail.context["history"]) >= 1
    earlier = as_user(personas.staff_a).get(reverse("partnerships:agreement_detail", args=[first.pk]))
    assert [a.title for a in earlier.context["chain_after"]] == ["TƯ Đoàn – VNPT 2023 - 2027"]
    assert earlier.context["history"] == []


def test_commitment_done_and_reopen_by_staff_only(as_user, personas, tree):
    agreement = make_agreement(
        units=[tree.province_a], objectives=[objective_with_everything(unit=tree.province_a)]
    )
    commitment = Commitment.objects.get(objective__agreement=agreement)
    url = reverse("partnerships:commitment_done", args=[commitment.pk])

    assert as_user(personas.leader_a).post(url).status_code == 403
    assert as_user(personas.staff_b).post(url).status_code == 404
    assert Commitment.objects.get(pk=commitment.pk).status == "open"
    assert as_user(personas.staff_a).post(url).status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).status == "done"
    as_user(personas.staff_a).post(url, {"done": "0"})
    assert Commitment.objects.get(pk=commitment.pk).status == "open"


def test_partner_pages(as_user, personas):
    PartnerFactory(name="Tập đoàn Bưu chính Viễn thông Việt Nam", short_name="VNPT")

    listing = as_user(personas.leader_a).get(reverse("partnerships:partner_list"), {"q": "vien thong"})
    assert [p.short_name for p in listing.context["page"].object_list] == ["VNPT"]
    assert as_user(personas.leader_a).get(reverse("partnerships:partner_create")).status_code == 403
    response = as_user(personas.staff_b).post(
        reverse("partnerships:partner_create"),
        {"name": "Sở Khoa học và Công nghệ Thanh Hóa", "kind": "state_agency"},
    )
    assert response.status_code == 302
    assert "so khoa hoc va cong nghe thanh hoa" in Partner.objects.get(kind="state_agency").search_name


def test_a_blank_extra_row_with_a_preselected_choice_is_not_a_row():
    """The class fix: every PortalFormSet leaves an untouched extra row out, whatever its selects show."""
    from partnerships.forms import ObjectiveFormSet

    area = Objective.Area.choices[0][0]
    data = {
        "objectives-TOTAL_FORMS": "2",
        "objectives-INITIAL_FORMS": "1",
        "objectives-0-id": "7",
        "objectives-0-number": "1",
        "objectives-0-text": "Chuyển đổi số",
        "objectives-0-area": area,
        "objectives-1-area": area,  # the blank row: only its preselected select is posted
    }
    initial = [{"id": 7, "number": 1, "text": "Chuyển đổi số", "area": area}]
    formset = ObjectiveFormSet(data, prefix="objectives", initial=initial)
    assert formset.is_valid(), formset.errors
    assert not formset.forms[1].has_changed()

    data["objectives-1-text"] = "Một dòng mới"  # typed in: now it is a row, and its number is missing
    formset = ObjectiveFormSet(data, prefix="objectives", initial=initial)
    assert not formset.is_valid()
    assert "number" in formset.forms[1].errors
