"""The team roster as a spreadsheet: one list of columns for the export, the template and the import.

A roster the portal exports imports back unchanged: every column a person sees in the export is a
column the import reads, under the same Vietnamese title. Titles are fixed (not translated) so a file
made in one language imports in the other; the import matches them without accents or case
(``core.tabular.header_key``) and names them, never their internal keys, in its errors.
"""

from dataclasses import dataclass

from django.utils import timezone

from core.tabular import Column, Kind, header_key


@dataclass(frozen=True)
class RosterColumn:
    title: str
    required: bool = False
    kind: str = Kind.TEXT  # how the export writes it (a phone stays text: its leading 0)

    @property
    def key(self) -> str:
        return header_key(self.title)


FAMILY = RosterColumn("Họ", required=True)
MIDDLE = RosterColumn("Đệm")
GIVEN = RosterColumn("Tên", required=True)
BIRTH_YEAR = RosterColumn("Năm sinh", kind=Kind.YEAR)
SEX = RosterColumn("Giới tính")
PHONE = RosterColumn("Điện thoại", required=True)
EMAIL = RosterColumn("Email")
MEMBER_CODE = RosterColumn("Mã đoàn viên")
UNIT_CODE = RosterColumn("Mã đơn vị", required=True)
ROLE = RosterColumn("Vai trò")
JOINED_ON = RosterColumn("Ngày vào đội", kind=Kind.DATE)
CONSENT_ON = RosterColumn("Ngày đồng ý", kind=Kind.DATE)
SKILLS = RosterColumn("Kỹ năng")

COLUMNS = [
    FAMILY,
    MIDDLE,
    GIVEN,
    BIRTH_YEAR,
    SEX,
    PHONE,
    EMAIL,
    MEMBER_CODE,
    UNIT_CODE,
    ROLE,
    JOINED_ON,
    CONSENT_ON,
    SKILLS,
]
HEADER = [c.title for c in COLUMNS]
EXPORT_COLUMNS = [Column(c.title, c.kind) for c in COLUMNS]
REQUIRED = [c.key for c in COLUMNS if c.required]
TITLES = {c.key: c.title for c in COLUMNS}


def title(key: str) -> str:
    """The title a person sees for an internal key (errors name columns by it)."""
    return TITLES.get(key, key)


def membership_row(membership) -> list:
    """One exported row, in COLUMNS order (the membership's volunteer, skills prefetched)."""
    volunteer = membership.volunteer
    return [
        volunteer.family_name,
        volunteer.middle_name,
        volunteer.given_name,
        volunteer.birth_year,
        volunteer.get_sex_display() if volunteer.sex else "",
        volunteer.phone,
        volunteer.email,
        volunteer.member_code,
        volunteer.home_unit.code,
        membership.get_role_display(),
        membership.joined_on,
        volunteer.consent_on,
        ", ".join(s.name for s in volunteer.skills.all()),
    ]


def example_row(unit_code: str) -> list:
    today = timezone.localdate()
    return [
        "Nguyễn",
        "Văn",
        "An",
        2001,
        "Nam",
        "0912345678",
        "",
        "",
        unit_code,
        "Thành viên",
        today,
        today,
        "VNeID, Dịch vụ công",
    ]
