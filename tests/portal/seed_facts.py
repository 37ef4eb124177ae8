"""The five seed agreements as the news articles tell them: every value with the article it comes from.

Each ``Fact`` names the article's file (the seed articles the demo was built from, kept outside the
repository) and quotes the phrase the value is read from. An empty value means the article names
nothing: its quote is the passage that would have named it. ``inferred`` says what was read between
the lines (a year the phase gives, the title of a person who signed). test_seed_facts.py checks the
demo's agreements and teams against these values field by field; with SEED_ARTICLES_DIR set to the
articles' folder it also checks that every quote is in its article.
"""

import datetime
from dataclasses import dataclass, field

D = datetime.date

BEN_TRE_FILE = "000_08bedc79d1c3f7aa.txt"
TIEN_GIANG_FILE = "001_6f3a0b30b2e13684.txt"
DONG_THAP_FILE = "002_b400185c69aafb36.txt"
CENTRAL_FILE = "003_7cbe94f4734a2e29.txt"
THANH_HOA_FILE = "004_50d8ce3cf39df335.txt"


@dataclass(frozen=True)
class Fact:
    value: object
    source: str
    quote: str
    inferred: str = ""


@dataclass(frozen=True)
class Party:
    """A party: a union unit's code or a partner's name, and who signed for it ("" for nobody named)."""

    unit_or_partner: Fact
    signatory: Fact = field(default_factory=lambda: Fact(("", ""), "", ""))


@dataclass(frozen=True)
class SeedAgreement:
    title_contains: str
    parties: list[Party]
    signed_on: Fact
    signed_place: Fact
    phase: Fact  # (start year, end year)
    attendees: list[Fact]  # (role, name, title, organisation)


@dataclass(frozen=True)
class SeedTeam:
    unit: Fact  # the unit code of the union that set it up
    name: Fact
    founded_year: Fact
    agreement_contains: Fact
    size: Fact  # members (people) or, for a consulting team, member organisations; None: not given
    count: Fact = field(default_factory=lambda: Fact(1, "", ""))  # how many such teams
    illustrative: bool = False


def _nobody(source: str, quote: str) -> Fact:
    return Fact(("", ""), source, quote)


AGREEMENTS = {
    "central_vnpt_2019": SeedAgreement(
        title_contains="Trung ương Đoàn TNCS Hồ Chí Minh và VNPT giai đoạn 2019 - 2022",
        parties=[
            Party(
                Fact("TW", CENTRAL_FILE, "Trung ương Đoàn TNCS Hồ Chí Minh và VNPT phối hợp tổ chức ký"),
                _nobody(
                    CENTRAL_FILE, "Trung ương Đoàn TNCS Hồ Chí Minh và VNPT phối hợp tổ chức ký thỏa thuận"
                ),
            ),
            Party(
                Fact(
                    "Tập đoàn Bưu chính Viễn thông Việt Nam",
                    CENTRAL_FILE,
                    "Trung ương Đoàn TNCS Hồ Chí Minh và VNPT",
                ),
                _nobody(
                    CENTRAL_FILE, "Trung ương Đoàn TNCS Hồ Chí Minh và VNPT phối hợp tổ chức ký thỏa thuận"
                ),
            ),
        ],
        signed_on=Fact(
            D(2019, 8, 23),
            CENTRAL_FILE,
            "Ngày 23/8, tại Hà Nội",
            inferred="the year: the phase is 2019-2022 and the article reports the signing that opens it",
        ),
        signed_place=Fact("Hà Nội", CENTRAL_FILE, "Ngày 23/8, tại Hà Nội"),
        phase=Fact((2019, 2022), CENTRAL_FILE, "ký thỏa thuận hợp tác giai đoạn 2019-2022"),
        attendees=[
            Fact(
                (
                    "attendee",
                    "Lê Quốc Phong",
                    "Ủy viên dự khuyết Trung ương Đảng, Bí thư thứ nhất Trung ương Đoàn",
                    "Trung ương Đoàn TNCS Hồ Chí Minh",
                ),
                CENTRAL_FILE,
                "Phát biểu tại lễ ký kết, Ủy viên dự khuyết Trung ương Đảng, Bí thư thứ nhất Trung ương Đoàn "
                "Lê Quốc Phong",
            )
        ],
    ),
    "ben_tre_vnpt_2020": SeedAgreement(
        title_contains="Tỉnh đoàn Bến Tre và VNPT Bến Tre giai đoạn 2020 - 2030",
        parties=[
            Party(
                Fact("old-83", BEN_TRE_FILE, "giữa Tỉnh đoàn Bến Tre và VNPT Bến Tre giai đoạn 2020 – 2030"),
                Fact(
                    ("Hà Quốc Cường", "Bí thư Tỉnh đoàn"),
                    BEN_TRE_FILE,
                    "đồng chí Hà Quốc Cường – UV.BCH TW Đoàn, TUV, Bí thư Tỉnh đoàn",
                    inferred="signed for the Ban Thường vụ Tỉnh đoàn, which he heads",
                ),
            ),
            Party(
                Fact("VNPT Bến Tre", BEN_TRE_FILE, "giữa Tỉnh đoàn Bến Tre và VNPT Bến Tre"),
                Fact(
                    ("Trần Văn Trực", "Giám đốc VNPT Bến Tre"),
                    BEN_TRE_FILE,
                    "đồng chí Trần Văn Trực – Trưởng đại diện VNPT tại địa bàn tỉnh, Giám đốc VNPT Bến Tre",
                    inferred="signed for the Ban giám đốc VNPT Bến Tre, which he heads",
                ),
            ),
        ],
        signed_on=Fact(D(2020, 11, 14), BEN_TRE_FILE, "Sáng ngày 14/11/2020"),
        signed_place=Fact(
            "", BEN_TRE_FILE, "Sáng ngày 14/11/2020 Ban Thường vụ Tỉnh đoàn và Ban giám đốc VNPT"
        ),
        phase=Fact((2020, 2030), BEN_TRE_FILE, "giai đoạn 2020 - 2030"),
        attendees=[
            Fact(
                ("attendee", "Bùi Văn Hãn Em", "Phó Trưởng Ban Dân vận Tỉnh uỷ", "Tỉnh uỷ Bến Tre"),
                BEN_TRE_FILE,
                "đồng chí Bùi Văn Hãn Em – Phó Trưởng Ban Dân vận Tỉnh uỷ",
            ),
            Fact(
                (
                    "attendee",
                    "Nguyễn Văn Mến",
                    "Phó Chánh Văn phòng UBND tỉnh",
                    "Ủy ban nhân dân tỉnh Bến Tre",
                ),
                BEN_TRE_FILE,
                "đồng chí Nguyễn Văn Mến – Phó Chánh Văn phòng UBND tỉnh",
            ),
            Fact(
                (
                    "attendee",
                    "Trịnh Minh Châu",
                    "Giám đốc Sở Thông tin & Truyền thông tỉnh",
                    "Sở Thông tin và Truyền thông tỉnh Bến Tre",
                ),
                BEN_TRE_FILE,
                "đồng chí Trịnh Minh Châu – Giám đốc Sở Thông tin & Truyền thông tỉnh",
            ),
            Fact(
                (
                    "attendee",
                    "",
                    "Đại diện Ban Thường vụ",
                    "Các Huyện, Thành đoàn, đoàn tương đương, đoàn trường học trực thuộc",
                ),
                BEN_TRE_FILE,
                "đại diện Ban Thường vụ các Huyện, Thành đoàn, đoàn tương đương, đoàn trường học trực thuộc",
            ),
        ],
    ),
    "dong_thap_department_2022": SeedAgreement(
        title_contains="Sở Thông tin và Truyền thông và Tỉnh đoàn Đồng Tháp giai đoạn 2022 - 2026",
        parties=[
            Party(
                Fact(
                    "Sở Thông tin và Truyền thông tỉnh Đồng Tháp",
                    DONG_THAP_FILE,
                    "Sở Thông tin và Truyền thông và Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Đồng Tháp ký kết",
                ),
                Fact(
                    ("Đoàn Thanh Bình", "Giám đốc Sở Thông tin và Truyền thông"),
                    DONG_THAP_FILE,
                    "ông Đoàn Thanh Bình – Giám đốc Sở Thông tin và Truyền thông",
                    inferred="the head of the department at the signing",
                ),
            ),
            Party(
                Fact("82", DONG_THAP_FILE, "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Đồng Tháp (Tỉnh đoàn)"),
                Fact(
                    ("Huỳnh Minh Thức", "Tỉnh uỷ viên, Bí thư Tỉnh đoàn"),
                    DONG_THAP_FILE,
                    "ông Huỳnh Minh Thức – Tỉnh uỷ viên, Bí thư Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Đồng Tháp",
                    inferred="the head of the Tỉnh đoàn at the signing",
                ),
            ),
        ],
        signed_on=Fact(None, DONG_THAP_FILE, "Vừa qua, Sở Thông tin và Truyền thông đã tổ chức lễ ký kết"),
        signed_place=Fact(
            "Hội trường Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Tháp",
            DONG_THAP_FILE,
            "Lễ ký kết được tổ chức tại hội trường Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Tháp",
        ),
        phase=Fact((2022, 2026), DONG_THAP_FILE, "Chương trình phối hợp hoạt động giai đoạn 2022 - 2026"),
        attendees=[
            Fact(
                ("attendee", "", "Đại diện doanh nghiệp", name),
                DONG_THAP_FILE,
                "đại diện các doanh nghiệp Viettel Đồng Tháp, VNPT Đồng Tháp và Bưu điện Tỉnh",
            )
            for name in ("Viettel Đồng Tháp", "VNPT Đồng Tháp", "Bưu điện tỉnh Đồng Tháp")
        ],
    ),
    "tien_giang_vnpt_2023": SeedAgreement(
        title_contains="Tỉnh Đoàn Tiền Giang và VNPT Tiền Giang giai đoạn 2023 - 2027",
        parties=[
            Party(
                Fact("old-82", TIEN_GIANG_FILE, "Tỉnh Đoàn và VNPT Tiền Giang ký kết thoả thuận hợp tác"),
                _nobody(
                    TIEN_GIANG_FILE,
                    "Tỉnh Đoàn và VNPT Tiền Giang ký kết thoả thuận hợp tác, giai đoạn 2023 - 2027",
                ),
            ),
            Party(
                Fact(
                    "VNPT Tiền Giang",
                    TIEN_GIANG_FILE,
                    "Tỉnh Đoàn và VNPT Tiền Giang ký kết thoả thuận hợp tác",
                ),
                _nobody(
                    TIEN_GIANG_FILE,
                    "Tỉnh Đoàn và VNPT Tiền Giang ký kết thoả thuận hợp tác, giai đoạn 2023 - 2027",
                ),
            ),
        ],
        signed_on=Fact(
            None,
            TIEN_GIANG_FILE,
            "Tỉnh Đoàn và VNPT Tiền Giang ký kết thoả thuận hợp tác, giai đoạn 2023 - 2027",
        ),
        signed_place=Fact("", TIEN_GIANG_FILE, "Tỉnh Đoàn và VNPT Tiền Giang ký kết thoả thuận hợp tác"),
        phase=Fact((2023, 2027), TIEN_GIANG_FILE, "giai đoạn 2023 - 2027 với 5 nội dung"),
        attendees=[],
    ),
    "thanh_hoa_department_2023": SeedAgreement(
        title_contains="thúc đẩy chuyển đổi số tỉnh Thanh Hóa giai đoạn 2023 - 2026",
        parties=[
            Party(
                Fact(
                    "Sở Thông tin và Truyền thông tỉnh Thanh Hóa",
                    THANH_HOA_FILE,
                    "Sở Thông tin và Truyền thông (TT&TT) và Tỉnh đoàn đã ký kết",
                ),
                Fact(
                    (
                        "Đỗ Hữu Quyết",
                        "Phó Trưởng Ban Chỉ đạo CĐS tỉnh Thanh Hóa, Giám đốc Sở TT&TT Thanh Hóa",
                    ),
                    THANH_HOA_FILE,
                    "Đỗ Hữu Quyết, Phó Trưởng Ban Chỉ đạo CĐS tỉnh Thanh Hóa, Giám đốc Sở TT&TT Thanh Hóa",
                    inferred="the head of the department at the signing",
                ),
            ),
            Party(
                Fact("38", THANH_HOA_FILE, "Chương trình phối hợp giữa Sở TT&TT và Tỉnh đoàn Thanh Hóa"),
                Fact(
                    ("Lê Văn Châu", "Tỉnh ủy viên, Bí thư Tỉnh đoàn"),
                    THANH_HOA_FILE,
                    "Lê Văn Châu, Tỉnh ủy viên, Bí thư Tỉnh đoàn",
                    inferred="the head of the Tỉnh đoàn at the signing",
                ),
            ),
        ],
        signed_on=Fact(
            D(2023, 4, 13),
            THANH_HOA_FILE,
            "Chiều 13-4, Sở Thông tin và Truyền thông (TT&TT) và Tỉnh đoàn đã ký kết",
            inferred="the year: the phase is 2023-2026 and the article's plans are for 2023",
        ),
        signed_place=Fact(
            "", THANH_HOA_FILE, "Chiều 13-4, Sở Thông tin và Truyền thông (TT&TT) và Tỉnh đoàn đã ký kết"
        ),
        phase=Fact((2023, 2026), THANH_HOA_FILE, "tỉnh Thanh Hóa giai đoạn 2023-2026"),
        attendees=[
            Fact(
                (
                    "witness",
                    "Đào Xuân Yên",
                    "Ủy viên Ban Thường vụ, Trưởng ban Tuyên giáo Tỉnh ủy",
                    "Tỉnh ủy Thanh Hóa",
                ),
                THANH_HOA_FILE,
                "Đồng chí Đào Xuân Yên, Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Tỉnh ủy và các đại biểu "
                "chứng kiến chương trình ký kết",
            ),
            Fact(
                ("attendee", "", "Đại diện", "Các sở, ban, ngành cấp tỉnh"),
                THANH_HOA_FILE,
                "đại diện các sở, ban, ngành cấp tỉnh",
            ),
        ],
    ),
}

TEAMS = {
    "my_tho": SeedTeam(
        unit=Fact(
            "old-d815", TIEN_GIANG_FILE, "Tại thành phố Mỹ Tho, Thành Đoàn Mỹ Tho đã thành lập đội hình"
        ),
        name=Fact(
            "Thanh niên chuyển đổi số cộng đồng",
            TIEN_GIANG_FILE,
            'đội hình "Thanh niên chuyển đổi số cộng đồng"',
        ),
        founded_year=Fact(
            2023,
            TIEN_GIANG_FILE,
            'Thực hiện "Tháng Thanh niên" năm 2023',
            inferred="the article (08/2023) reports it among the work of Tháng Thanh niên 2023",
        ),
        agreement_contains=Fact(
            "Tỉnh Đoàn Tiền Giang và VNPT Tiền Giang",
            TIEN_GIANG_FILE,
            "Một trong những điểm nổi bật của hoạt động chuyển đổi số trong thanh niên là Tỉnh Đoàn và VNPT "
            "Tiền Giang ký kết thoả thuận hợp tác",
            inferred="the article sets the team beside the agreement it reports",
        ),
        size=Fact(32, TIEN_GIANG_FILE, "với 32 thành viên"),
    ),
    "dong_thap_consulting": SeedTeam(
        unit=Fact(
            "82", DONG_THAP_FILE, "Tỉnh đoàn cũng ra mắt giới thiệu Đội hình Tham vấn Chuyển đổi số cấp tỉnh"
        ),
        name=Fact(
            "Tổ Tham vấn chuyển đổi số cấp tỉnh",
            DONG_THAP_FILE,
            "Trao Quyết định thành lập cho thành viên Tổ Tham vấn Chuyển đổi số",
        ),
        founded_year=Fact(
            2022,
            DONG_THAP_FILE,
            "Nhân buổi lễ ký kết, Tỉnh đoàn cũng ra mắt giới thiệu Đội hình Tham vấn Chuyển đổi số cấp tỉnh",
            inferred="the signing opens the 2022 - 2026 programme",
        ),
        agreement_contains=Fact(
            "Sở Thông tin và Truyền thông và Tỉnh đoàn Đồng Tháp",
            DONG_THAP_FILE,
            "Nhân buổi lễ ký kết, Tỉnh đoàn cũng ra mắt",
        ),
        # Its members are organisations; the fifth, the Ban Thường vụ Tỉnh đoàn, is the team's own unit.
        size=Fact(
            4,
            DONG_THAP_FILE,
            "có các thành viên là Sở Thông tin và Truyền thông, Ban Thường vụ Tỉnh đoàn, Viettel Đồng Tháp, "
            "VNPT Đồng Tháp, Bưu điện Tỉnh",
        ),
    ),
    "dong_thap_districts": SeedTeam(
        unit=Fact(
            "old-d866..old-d877",
            DONG_THAP_FILE,
            "Thành đoàn và Huyện đoàn của 12 huyện, thành phố trên địa bàn tỉnh",
            inferred="the 12 pre-reform districts and cities of Đồng Tháp (vietnamadminunits)",
        ),
        name=Fact(
            "Đội hình Thanh niên Chuyển đổi số cấp huyện",
            DONG_THAP_FILE,
            "cũng sẽ thành lập Đội hình Thanh niên Chuyển đổi số cấp huyện",
        ),
        founded_year=Fact(None, DONG_THAP_FILE, "cũng sẽ thành lập"),
        agreement_contains=Fact(
            "Sở Thông tin và Truyền thông và Tỉnh đoàn Đồng Tháp",
            DONG_THAP_FILE,
            "Song song đó, Thành đoàn và Huyện đoàn",
        ),
        size=Fact(None, DONG_THAP_FILE, "cũng sẽ thành lập Đội hình Thanh niên Chuyển đổi số cấp huyện"),
        count=Fact(12, DONG_THAP_FILE, "của 12 huyện, thành phố"),
        illustrative=True,  # founded when and with whom the article does not say: the demo's members are invented
    ),
}


@dataclass(frozen=True)
class SeedCampaign:
    name_contains: Fact
    unit: Fact
    starts_on: Fact
    ends_on: Fact
    targets: Fact  # how many; the list itself is illustrative


CAMPAIGNS = {
    "youth_month_2023": SeedCampaign(
        name_contains=Fact(
            "Tuổi trẻ Tiền Giang tiên phong chuyển đổi số",
            TIEN_GIANG_FILE,
            'Thực hiện "Tháng Thanh niên" năm 2023 trên địa bàn tỉnh với chủ đề "Tuổi trẻ Tiền Giang tiên '
            'phong chuyển đổi số"',
        ),
        unit=Fact(
            "old-82", TIEN_GIANG_FILE, "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Tiền Giang (Tỉnh đoàn)"
        ),
        starts_on=Fact(
            D(2023, 3, 1),
            TIEN_GIANG_FILE,
            'Thực hiện "Tháng Thanh niên" năm 2023',
            inferred="Tháng Thanh niên is March, every year",
        ),
        ends_on=Fact(
            D(2023, 3, 31),
            TIEN_GIANG_FILE,
            'Thực hiện "Tháng Thanh niên" năm 2023',
            inferred="Tháng Thanh niên is March, every year",
        ),
        targets=Fact(11, TIEN_GIANG_FILE, "đã xác định hệ thống 11 chỉ tiêu trọng tâm"),
    ),
}
