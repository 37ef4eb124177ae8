"""Demo agreements from the five news articles about real signings, written through the services.

Parties, signatories, witnesses and attendees, signing dates and places, content items and targets
are the articles' (tests/portal/seed_facts.py cites the phrase each comes from); where an article
names no signatory, date or place, the field stays empty: nothing is invented. Where an article gives
only years for the phase (2022 - 2026), the phase runs 1 January to 31 December. The Central
Union-VNPT 2023-2027 renewal and Vĩnh Long's 2026 plan are NOT in the articles: they are marked
illustrative (``is_illustrative``, a "minh họa" badge). Idempotent: agreements are found by title;
an agreement seeded before with other signatories or attendees is corrected in place.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from org.models import OrgUnit
from partnerships import services
from partnerships.models import Agreement, AgreementAttendee, Indicator, Objective, Partner
from partnerships.services import AttendeeInput, CommitmentInput, ObjectiveInput, PartyInput, TargetInput

D = datetime.date
A = Objective.Area
WITNESS, ATTENDEE = AgreementAttendee.Role.WITNESS, AgreementAttendee.Role.ATTENDEE
P = Partner.Kind

# name, short name, kind, parent name
PARTNERS = [
    ("Tập đoàn Bưu chính Viễn thông Việt Nam", "VNPT", P.ENTERPRISE, None),
    ("VNPT Bến Tre", "VNPT Bến Tre", P.ENTERPRISE, "Tập đoàn Bưu chính Viễn thông Việt Nam"),
    ("VNPT Tiền Giang", "VNPT Tiền Giang", P.ENTERPRISE, "Tập đoàn Bưu chính Viễn thông Việt Nam"),
    ("VNPT Đồng Tháp", "VNPT Đồng Tháp", P.ENTERPRISE, "Tập đoàn Bưu chính Viễn thông Việt Nam"),
    ("Tập đoàn Công nghiệp - Viễn thông Quân đội", "Viettel", P.ENTERPRISE, None),
    ("Viettel Đồng Tháp", "Viettel Đồng Tháp", P.ENTERPRISE, "Tập đoàn Công nghiệp - Viễn thông Quân đội"),
    ("Tổng công ty Bưu điện Việt Nam", "Vietnam Post", P.ENTERPRISE, None),
    ("Bưu điện tỉnh Đồng Tháp", "Bưu điện Đồng Tháp", P.ENTERPRISE, "Tổng công ty Bưu điện Việt Nam"),
    ("Sở Thông tin và Truyền thông tỉnh Đồng Tháp", "Sở TT&TT Đồng Tháp", P.STATE_AGENCY, None),
    ("Sở Thông tin và Truyền thông tỉnh Thanh Hóa", "Sở TT&TT Thanh Hóa", P.STATE_AGENCY, None),
    ("Sở Khoa học và Công nghệ tỉnh Vĩnh Long", "Sở KH&CN Vĩnh Long", P.STATE_AGENCY, None),
]

TW_VNPT_2019 = "Thỏa thuận hợp tác giữa Trung ương Đoàn TNCS Hồ Chí Minh và VNPT giai đoạn 2019 - 2022"


def _unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def _partner(name: str) -> Partner:
    return Partner.objects.get(name=name)


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def _agreements() -> list[dict]:
    vnpt = "Tập đoàn Bưu chính Viễn thông Việt Nam"
    return [
        {
            "title": TW_VNPT_2019,
            "kind": Agreement.Kind.COOPERATION,
            "signed_on": D(2019, 8, 23),
            "signed_place": "Hà Nội",
            "start_date": D(2019, 8, 23),
            "end_date": D(2022, 12, 31),
            "summary": "Hai bên hợp tác về viễn thông, công nghệ thông tin và truyền thông trong toàn hệ "
            "thống tổ chức Đoàn; VNPT đồng hành với phong trào “Tuổi trẻ sáng tạo”.",
            "legal_references": "Nghị quyết Đại hội Đảng toàn quốc lần thứ XII\n"
            "Nghị quyết số 25-NQ/TW Hội nghị lần thứ bảy Ban Chấp hành Trung ương Đảng khóa X\n"
            "Chỉ thị số 42-CT/TW của Ban Bí thư (giai đoạn 2015 - 2030)",
            # The article names nobody who signed: the signatories stay empty.
            "parties": [PartyInput(org_unit=_unit("TW")), PartyInput(partner=_partner(vnpt))],
            "attendees": [
                AttendeeInput(
                    name="Lê Quốc Phong",
                    title="Ủy viên dự khuyết Trung ương Đảng, Bí thư thứ nhất Trung ương Đoàn",
                    organisation="Trung ương Đoàn TNCS Hồ Chí Minh",
                    role=ATTENDEE,
                )
            ],
            "objectives": [
                ObjectiveInput(
                    1,
                    "Trung ương Đoàn ưu tiên sử dụng sản phẩm, dịch vụ viễn thông, CNTT, truyền thông của VNPT "
                    "trong cơ quan và toàn hệ thống tổ chức Đoàn các cấp.",
                    A.INFRASTRUCTURE,
                    commitments=[
                        CommitmentInput(
                            "Ưu tiên sử dụng các sản phẩm, dịch vụ của VNPT trong cơ quan Trung ương Đoàn.",
                            party_number=1,
                            owner="Văn phòng Trung ương Đoàn",
                            recurrence="ongoing",
                        )
                    ],
                ),
                ObjectiveInput(
                    2,
                    "Cung cấp thông tin về công tác Đoàn và phong trào thanh thiếu nhi để VNPT tuyên truyền trên "
                    "các kênh thông tin của Tập đoàn.",
                    A.COMMUNICATION,
                    commitments=[
                        CommitmentInput(
                            "Cung cấp thông tin về công tác Đoàn, phong trào thanh thiếu nhi cho VNPT.",
                            party_number=1,
                            recurrence="ongoing",
                        )
                    ],
                ),
                ObjectiveInput(
                    3,
                    "VNPT ưu tiên cung cấp sản phẩm, dịch vụ, hạ tầng với giá cạnh tranh, chính sách phù hợp "
                    "với các cấp bộ Đoàn; gói cước ưu đãi cho cán bộ, công chức, viên chức Trung ương Đoàn.",
                    A.DIGITAL_ECONOMY,
                    commitments=[
                        CommitmentInput(
                            "Triển khai các gói cước ưu đãi dành riêng cho cán bộ, công chức, viên chức, người "
                            "lao động của Trung ương Đoàn và các đơn vị trực thuộc.",
                            party_number=2,
                            recurrence="ongoing",
                        ),
                        CommitmentInput(
                            "Chương trình khuyến mại hỗ trợ cán bộ Đoàn sử dụng VNPT Pay, MyTV và các gói "
                            "dịch vụ số tích hợp.",
                            party_number=2,
                            recurrence="ongoing",
                        ),
                    ],
                ),
                ObjectiveInput(
                    4,
                    "Tại Trung ương Đoàn: phần mềm quản lý văn bản điện tử; vận hành kỹ thuật Cổng thông tin "
                    "Ngân hàng ý tưởng sáng tạo thanh niên Việt Nam; khảo sát, lên đề án tổng thể về CNTT.",
                    A.DIGITAL_GOVERNMENT,
                    commitments=[
                        CommitmentInput(
                            "Triển khai phần mềm quản lý văn bản điện tử trong công tác văn phòng Trung ương Đoàn.",
                            party_number=2,
                        ),
                        CommitmentInput(
                            "Xây dựng, tham gia vận hành kỹ thuật Cổng thông tin www.ytuongsangtao.net.",
                            party_number=2,
                            recurrence="ongoing",
                        ),
                    ],
                ),
                ObjectiveInput(
                    5,
                    "Trong toàn hệ thống: phần mềm nghiệp vụ quản lý công tác Đoàn trên toàn quốc, Đề án hệ "
                    "thống trực tuyến của Đoàn, sân chơi trực tuyến, bồi dưỡng tiếng Anh (MyEnglish, KidEnglish).",
                    A.SKILLS,
                    commitments=[
                        CommitmentInput(
                            "VNPT tại địa phương phối hợp, hỗ trợ tổ chức Đoàn về công nghệ, nguồn lực cho các "
                            "hoạt động tình nguyện, an sinh xã hội.",
                            party_number=2,
                            recurrence="ongoing",
                        )
                    ],
                ),
            ],
        },
        {
            "title": "Thỏa thuận hợp tác về Viễn thông - Công nghệ thông tin giữa Tỉnh đoàn Bến Tre và VNPT "
            "Bến Tre giai đoạn 2020 - 2030",
            "kind": Agreement.Kind.COOPERATION,
            "signed_on": D(2020, 11, 14),
            "signed_place": "",  # the article names no place
            "start_date": D(2020, 11, 14),
            "end_date": D(2030, 12, 31),
            "summary": "Ứng dụng viễn thông - CNTT nâng cao hiệu quả điều hành và chất lượng công tác Đoàn; "
            "đội hình thanh niên tình nguyện hỗ trợ người dân sử dụng dịch vụ công trực tuyến.",
            "parties": [
                PartyInput(
                    org_unit=_unit("old-83"),
                    signatory_name="Hà Quốc Cường",
                    signatory_title="Bí thư Tỉnh đoàn",
                ),
                PartyInput(
                    partner=_partner("VNPT Bến Tre"),
                    signatory_name="Trần Văn Trực",
                    signatory_title="Giám đốc VNPT Bến Tre",
                ),
            ],
            # "Tham dự chương trình ký kết có ...": they attended; the article calls nobody a witness.
            "attendees": [
                AttendeeInput(
                    name="Bùi Văn Hãn Em",
                    title="Phó Trưởng Ban Dân vận Tỉnh uỷ",
                    organisation="Tỉnh uỷ Bến Tre",
                ),
                AttendeeInput(
                    name="Nguyễn Văn Mến",
                    title="Phó Chánh Văn phòng UBND tỉnh",
                    organisation="Ủy ban nhân dân tỉnh Bến Tre",
                ),
                AttendeeInput(
                    name="Trịnh Minh Châu",
                    title="Giám đốc Sở Thông tin & Truyền thông tỉnh",
                    organisation="Sở Thông tin và Truyền thông tỉnh Bến Tre",
                ),
                AttendeeInput(
                    title="Đại diện Ban Thường vụ",
                    organisation="Các Huyện, Thành đoàn, đoàn tương đương, đoàn trường học trực thuộc",
                ),
            ],
            "objectives": [
                ObjectiveInput(
                    1,
                    "Triển khai các ứng dụng viễn thông, CNTT để nâng cao hiệu quả điều hành, chất lượng công "
                    "tác Đoàn và phong trào thanh niên tại Bến Tre.",
                    A.DIGITAL_GOVERNMENT,
                ),
                ObjectiveInput(
                    2,
                    "Nâng cao trình độ ứng dụng CNTT của đoàn viên, thanh niên đáp ứng yêu cầu cách mạng công "
                    "nghiệp 4.0; cán bộ Đoàn các cấp là hạt nhân thúc đẩy ứng dụng CNTT.",
                    A.SKILLS,
                ),
                ObjectiveInput(
                    3,
                    "Đội hình thanh niên tình nguyện hỗ trợ người dân thực hiện dịch vụ công trực tuyến tại "
                    "Trung tâm hành chính công, bộ phận một cửa và các xã, phường, thị trấn; tỷ lệ sử dụng "
                    "dịch vụ công trực tuyến của tỉnh trên 30% ngay năm 2020.",
                    A.DIGITAL_GOVERNMENT,
                    commitments=[
                        CommitmentInput(
                            "Thành lập ngay các đội hình thanh niên tình nguyện hỗ trợ người dân thực hiện dịch "
                            "vụ công trực tuyến.",
                            party_number=1,
                            owner="Ban Thường vụ Tỉnh đoàn",
                            due_date=D(2020, 12, 31),
                        )
                    ],
                    targets=[
                        TargetInput(
                            indicator=_indicator("online_service_rate"),
                            org_unit=_unit("old-83"),
                            target_value=Decimal("30"),
                            deadline=D(2020, 12, 31),
                        )
                    ],
                ),
                ObjectiveInput(
                    4,
                    "Tuyên truyền, hướng dẫn người dân sử dụng máy tính, điện thoại thông minh, dịch vụ công "
                    "trực tuyến mức độ 4 và cổng https://dichvucong.bentre.gov.vn/.",
                    A.DIGITAL_SOCIETY,
                ),
            ],
        },
        {
            "title": "Chương trình phối hợp hoạt động giữa Sở Thông tin và Truyền thông và Tỉnh đoàn Đồng "
            "Tháp giai đoạn 2022 - 2026",
            "kind": Agreement.Kind.COORDINATION,
            "signed_place": "Hội trường Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Tháp",
            "start_date": D(2022, 1, 1),
            "end_date": D(2026, 12, 31),
            "summary": "Tăng cường phối hợp, nâng cao nhận thức của đoàn viên thanh niên về sứ mệnh tiên phong "
            "trong chuyển đổi số; ra mắt Đội hình Tham vấn Chuyển đổi số cấp tỉnh (Sở TT&TT, Tỉnh đoàn, "
            "Viettel Đồng Tháp, VNPT Đồng Tháp, Bưu điện tỉnh).",
            "parties": [
                PartyInput(
                    partner=_partner("Sở Thông tin và Truyền thông tỉnh Đồng Tháp"),
                    signatory_name="Đoàn Thanh Bình",
                    signatory_title="Giám đốc Sở Thông tin và Truyền thông",
                ),
                PartyInput(
                    org_unit=_unit("82"),
                    signatory_name="Huỳnh Minh Thức",
                    signatory_title="Tỉnh uỷ viên, Bí thư Tỉnh đoàn",
                ),
            ],
            "attendees": [
                AttendeeInput(title="Đại diện doanh nghiệp", organisation=name)
                for name in ("Viettel Đồng Tháp", "VNPT Đồng Tháp", "Bưu điện tỉnh Đồng Tháp")
            ],
            "objectives": [
                ObjectiveInput(
                    1,
                    "Nâng cao nhận thức, vai trò, trách nhiệm của đoàn viên, thanh thiếu niên trong công cuộc "
                    "chuyển đổi số của tỉnh.",
                    A.COMMUNICATION,
                ),
                ObjectiveInput(
                    2,
                    "Ứng dụng CNTT, thúc đẩy chuyển đổi số trong công tác Đoàn, chuyển sinh hoạt lên môi "
                    "trường số.",
                    A.DIGITAL_SOCIETY,
                ),
                ObjectiveInput(
                    3,
                    "Đội hình Tham vấn Chuyển đổi số cấp tỉnh và Đội hình Thanh niên Chuyển đổi số cấp huyện hỗ "
                    "trợ chính quyền số, kinh tế số, xã hội số.",
                    A.DIGITAL_GOVERNMENT,
                    commitments=[
                        CommitmentInput(
                            "Thành đoàn và Huyện đoàn của 12 huyện, thành phố thành lập Đội hình Thanh niên "
                            "Chuyển đổi số cấp huyện.",
                            party_number=2,
                            owner="Ban Thường vụ Tỉnh đoàn",
                            recurrence="ongoing",
                        )
                    ],
                    targets=[
                        TargetInput(
                            indicator=_indicator("teams_active"),
                            org_unit=_unit("82"),
                            target_value=Decimal("12"),
                            deadline=D(2026, 12, 31),
                        )
                    ],
                ),
            ],
        },
        {
            "title": "Thỏa thuận hợp tác giữa Tỉnh Đoàn Tiền Giang và VNPT Tiền Giang giai đoạn 2023 - 2027",
            "kind": Agreement.Kind.COOPERATION,
            "start_date": D(2023, 1, 1),
            "end_date": D(2027, 12, 31),
            "summary": "5 nội dung nhằm thúc đẩy chuyển đổi số trên địa bàn tỉnh, gồm nền tảng hệ sinh thái số "
            "App Thanh niên Việt Nam.",
            "parties": [
                # The article names neither the signatories nor the signing date.
                PartyInput(org_unit=_unit("old-82")),
                PartyInput(partner=_partner("VNPT Tiền Giang")),
            ],
            "objectives": [
                ObjectiveInput(
                    1,
                    "Khảo sát, xây dựng giải pháp tổng thể về số hóa và chuyển đổi số công tác chỉ đạo, hướng "
                    "dẫn của Tỉnh Đoàn, triển khai tại các huyện, thị, thành Đoàn và cơ sở Đoàn trực thuộc.",
                    A.DIGITAL_GOVERNMENT,
                ),
                ObjectiveInput(
                    2,
                    "Hạ tầng, ứng dụng CNTT phục vụ quản lý, điều hành thông suốt từ Tỉnh Đoàn đến cơ sở; giải "
                    "pháp bảo đảm an toàn, an ninh mạng, an ninh thông tin.",
                    A.INFRASTRUCTURE,
                ),
                ObjectiveInput(
                    3,
                    "Phối hợp hỗ trợ, tổ chức đánh giá, tuyên truyền nâng cao nhận thức về chuyển đổi số.",
                    A.COMMUNICATION,
                ),
                ObjectiveInput(
                    4,
                    "Đồng hành trong các kế hoạch, chương trình hành động lớn của Tỉnh Đoàn, phù hợp lĩnh vực ưu "
                    "tiên của VNPT Tiền Giang trong từng giai đoạn.",
                    A.DIGITAL_SOCIETY,
                ),
                ObjectiveInput(
                    5,
                    "Triển khai nền tảng hệ sinh thái số App Thanh niên Việt Nam: phổ biến văn bản chỉ đạo, "
                    "quảng bá hoạt động, số hóa nghiệp vụ công tác Đoàn, ưu đãi sản phẩm, dịch vụ VNPT.",
                    A.DIGITAL_ECONOMY,
                    commitments=[
                        CommitmentInput(
                            "Xây dựng các chương trình ưu đãi sản phẩm, dịch vụ VNPT trên hệ sinh thái (VNPT "
                            "Money, SIM/gói cước di động, MyTV, dịch vụ GTGT, Home Combo).",
                            party_number=2,
                            recurrence="ongoing",
                        )
                    ],
                ),
            ],
        },
        {
            "title": "Chương trình phối hợp tổ chức hoạt động thúc đẩy chuyển đổi số tỉnh Thanh Hóa giai đoạn "
            "2023 - 2026",
            "kind": Agreement.Kind.COORDINATION,
            "signed_on": D(2023, 4, 13),
            "signed_place": "",  # the article names no place
            "start_date": D(2023, 4, 13),
            "end_date": D(2026, 12, 31),
            "summary": "Nâng cao nhận thức về ứng dụng CNTT, chuyển đổi số cho cán bộ, đoàn viên, thanh thiếu "
            "niên; chuyển sinh hoạt của Đoàn lên môi trường số; phát triển nguồn nhân lực trẻ về CNTT.",
            "parties": [
                PartyInput(
                    partner=_partner("Sở Thông tin và Truyền thông tỉnh Thanh Hóa"),
                    signatory_name="Đỗ Hữu Quyết",
                    signatory_title="Phó Trưởng Ban Chỉ đạo CĐS tỉnh Thanh Hóa, Giám đốc Sở TT&TT Thanh Hóa",
                ),
                PartyInput(
                    org_unit=_unit("38"),
                    signatory_name="Lê Văn Châu",
                    signatory_title="Tỉnh ủy viên, Bí thư Tỉnh đoàn",
                ),
            ],
            "attendees": [
                AttendeeInput(
                    name="Đào Xuân Yên",
                    title="Ủy viên Ban Thường vụ, Trưởng ban Tuyên giáo Tỉnh ủy",
                    organisation="Tỉnh ủy Thanh Hóa",
                    role=WITNESS,
                ),
                AttendeeInput(title="Đại diện", organisation="Các sở, ban, ngành cấp tỉnh"),
            ],
            "objectives": [
                ObjectiveInput(
                    1,
                    "Tuyên truyền, tập huấn về chuyển đổi số cho cán bộ, đoàn viên, học sinh, sinh viên, tổ công "
                    "nghệ số cộng đồng.",
                    A.SKILLS,
                    commitments=[
                        CommitmentInput(
                            "Tập huấn kiến thức, kỹ năng về chuyển đổi số cho lực lượng đoàn viên thanh niên "
                            "trong tổ công nghệ số cộng đồng.",
                            party_number=2,
                            recurrence="yearly",
                        )
                    ],
                ),
                ObjectiveInput(
                    2,
                    "Hướng dẫn cán bộ, đoàn viên thanh niên, người dân, doanh nghiệp sử dụng dịch vụ công trực "
                    "tuyến, thanh toán không dùng tiền mặt, thương mại điện tử và ứng dụng chuyển đổi số.",
                    A.DIGITAL_GOVERNMENT,
                    commitments=[
                        CommitmentInput(
                            "Thí điểm mô hình “3 Không” tại một số xã, phường, thị trấn đủ điều kiện.",
                            party_number=1,
                            due_date=D(2023, 12, 31),
                        ),
                        CommitmentInput(
                            "Phối hợp cung cấp miễn phí chữ ký số cho người dân để thực hiện dịch vụ công trực "
                            "tuyến.",
                            party_number=1,
                            due_date=D(2023, 12, 31),
                        ),
                    ],
                ),
                ObjectiveInput(
                    3,
                    "Tuyên truyền, hướng dẫn thanh thiếu nhi thực hiện bộ quy tắc ứng xử trên mạng xã hội.",
                    A.COMMUNICATION,
                ),
                ObjectiveInput(
                    4,
                    "Hướng dẫn doanh nghiệp, hộ gia đình ứng dụng CNTT, chuyển đổi số trong sản xuất, kinh doanh.",
                    A.DIGITAL_ECONOMY,
                ),
                ObjectiveInput(
                    5,
                    "Khuyến khích thanh thiếu nhi học tập, nghiên cứu, làm chủ CNTT; phát hiện tài năng trẻ.",
                    A.SKILLS,
                ),
            ],
        },
    ]


def _renewal() -> dict:
    """Invented demo data: the articles do not describe a 2023-2027 Central Union-VNPT agreement."""
    return {
        "title": "Thỏa thuận hợp tác giữa Trung ương Đoàn TNCS Hồ Chí Minh và VNPT giai đoạn 2023 - 2027 "
        "(dữ liệu minh họa)",
        "kind": Agreement.Kind.COOPERATION,
        "start_date": D(2023, 1, 1),
        "end_date": D(2027, 12, 31),
        "summary": "Dữ liệu minh họa cho chuỗi gia hạn: các bài báo nguồn không mô tả thỏa thuận này.",
        "is_illustrative": True,
        "follows": Agreement.objects.get(title=TW_VNPT_2019),
        "parties": [
            PartyInput(org_unit=_unit("TW")),
            PartyInput(partner=_partner("Tập đoàn Bưu chính Viễn thông Việt Nam")),
        ],
        "objectives": [
            ObjectiveInput(
                1,
                "Tiếp tục các nội dung hợp tác giai đoạn 2019 - 2022 (minh họa).",
                A.DIGITAL_SOCIETY,
            )
        ],
    }


def _vinh_long_2026() -> dict:
    """Invented demo data: this year's plan of the merged Vĩnh Long province, so the demo dashboard of
    `staff_vinhlong` and `leader_an_hoi` shows live targets (some met, some lagging) for 2026."""
    year_end = D(2026, 12, 31)
    vinh_long, an_hoi = _unit("86"), _unit("28777")

    def target(code, unit, value):
        return TargetInput(
            indicator=_indicator(code), org_unit=unit, target_value=Decimal(value), deadline=year_end
        )

    return {
        "title": "Kế hoạch phối hợp thực hiện chuyển đổi số năm 2026 giữa Tỉnh đoàn Vĩnh Long và Sở Khoa học "
        "và Công nghệ tỉnh Vĩnh Long (dữ liệu minh họa)",
        "kind": Agreement.Kind.YEARLY_PLAN,
        "signed_on": D(2026, 1, 15),
        "signed_place": "Vĩnh Long",
        "is_illustrative": True,
        "start_date": D(2026, 1, 1),
        "end_date": year_end,
        "summary": "Dữ liệu minh họa: kế hoạch năm đầu tiên của tỉnh Vĩnh Long sau hợp nhất (Vĩnh Long, Bến "
        "Tre, Trà Vinh), với chỉ tiêu cho toàn tỉnh và phường An Hội.",
        "parties": [
            PartyInput(org_unit=vinh_long),  # no invented signatories, even in illustrative data
            PartyInput(partner=_partner("Sở Khoa học và Công nghệ tỉnh Vĩnh Long")),
        ],
        "objectives": [
            ObjectiveInput(
                1,
                "Nâng tỷ lệ hồ sơ dịch vụ công trực tuyến toàn tỉnh lên trên 80% trong năm 2026.",
                A.DIGITAL_GOVERNMENT,
                targets=[target("online_service_rate", vinh_long, "80")],
            ),
            ObjectiveInput(
                2,
                "Mỗi xã, phường có ít nhất một đội hình thanh niên hỗ trợ chính quyền hai cấp và chuyển đổi "
                "số cộng đồng.",
                A.DIGITAL_SOCIETY,
                targets=[target("team_coverage", vinh_long, "100")],
            ),
            ObjectiveInput(
                3,
                "Đội hình tình nguyện hỗ trợ người dân dịch vụ công trực tuyến, kích hoạt tài khoản định "
                "danh điện tử VNeID mức độ 2.",
                A.DIGITAL_GOVERNMENT,
                targets=[
                    target("citizens_assisted", vinh_long, "6000"),
                    target("vneid_activations", vinh_long, "1500"),
                    target("volunteer_hours", vinh_long, "3000"),
                    target("citizens_assisted", an_hoi, "1500"),
                ],
            ),
        ],
    }


def _correct(agreement: Agreement, spec: dict) -> None:
    """Bring an agreement seeded by an older demo to the articles' facts (signatories, attendees,
    signing date and place, illustrative flag); nothing is written when it already agrees."""
    parties = list(agreement.parties.order_by("position"))
    wanted = spec["parties"]
    attendees = [(a.role, a.name, a.title, a.organisation) for a in agreement.attendees.order_by("position")]
    wanted_attendees = spec.get("attendees", [])
    fields = {name: spec.get(name, default) for name, default in CORRECTED_FIELDS.items()}
    same = (
        [(p.signatory_name, p.signatory_title) for p in parties]
        == [(w.signatory_name, w.signatory_title) for w in wanted]
        and attendees == [(a.role, a.name, a.title, a.organisation) for a in wanted_attendees]
        and all(getattr(agreement, name) == value for name, value in fields.items())
    )
    if same or len(parties) != len(wanted):
        return
    for party, data in zip(parties, wanted, strict=True):
        data.id = party.pk
    services.agreement_update(
        by=None, agreement=agreement, parties=wanted, attendees=wanted_attendees, **fields
    )


# What an older demo may have set differently, with the value when a spec leaves it out.
CORRECTED_FIELDS = {"signed_on": None, "signed_place": "", "is_illustrative": False}


@transaction.atomic
def seed(*, password: str) -> str:
    partners_new = 0
    for name, short_name, kind, parent in PARTNERS:
        if not Partner.objects.filter(name=name).exists():
            services.partner_create(
                by=None,
                name=name,
                short_name=short_name,
                kind=kind,
                parent=_partner(parent) if parent else None,
            )
            partners_new += 1
    created = 0
    for spec in [*_agreements(), "renewal", "vinh_long_2026"]:
        if spec == "renewal":
            spec = _renewal()
        elif spec == "vinh_long_2026":
            spec = _vinh_long_2026()
        existing = Agreement.objects.filter(title=spec["title"]).first()
        if existing is not None:
            _correct(existing, spec)
            continue
        agreement = services.agreement_create(by=None, **spec)
        services.agreement_sign(by=None, agreement=agreement)  # the dates then make it active or ended
        created += 1
    services.commitments_mark_overdue()
    return f"{len(PARTNERS)} partners ({partners_new} new), {Agreement.objects.count()} agreements ({created} new)"
