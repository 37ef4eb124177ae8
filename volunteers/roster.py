"""The team roster as a spreadsheet: one list of columns for the export, the template and the import,
and the form that checks one imported row.

A roster the portal exports imports back unchanged: every column a person sees in the export is a
column the import reads, under the same title. Titles live in the translations (Vietnamese "Họ" for
"Family name"); the import accepts a column under its title in any of the portal's languages, matched
without accents or case (``core.tabular.header_key``), so a file made in one language imports in the
other, and its errors name the column by the title the person sees, never an internal key.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.tabular import FileColumn, FileColumns, Kind, TextCell, parse_date, parse_int
from core.text import fold, normalize_phone
from signoff.selectors import locked_message
from volunteers.models import founded_after

RosterColumn = FileColumn

FAMILY = RosterColumn("ho", pgettext_lazy("roster column", "Family name"), required=True)
MIDDLE = RosterColumn("dem", pgettext_lazy("roster column", "Middle name"))
GIVEN = RosterColumn("ten", pgettext_lazy("roster column", "Given name"), required=True)
BIRTH_YEAR = RosterColumn("nam_sinh", pgettext_lazy("roster column", "Year of birth"), kind=Kind.YEAR)
SEX = RosterColumn("gioi_tinh", pgettext_lazy("roster column", "Sex"))
PHONE = RosterColumn("dien_thoai", pgettext_lazy("roster column", "Phone"), required=True)
EMAIL = RosterColumn("email", pgettext_lazy("roster column", "Email"))
MEMBER_CODE = RosterColumn("ma_doan_vien", pgettext_lazy("roster column", "Union member code"))
UNIT_CODE = RosterColumn("ma_don_vi", pgettext_lazy("roster column", "Unit code"), required=True)
ROLE = RosterColumn("vai_tro", pgettext_lazy("roster column", "Role in the team"))
JOINED_ON = RosterColumn("ngay_vao_doi", pgettext_lazy("roster column", "Joined the team on"), kind=Kind.DATE)
CONSENT_ON = RosterColumn("ngay_dong_y", pgettext_lazy("roster column", "Consent given on"), kind=Kind.DATE)
SKILLS = RosterColumn("ky_nang", pgettext_lazy("roster column", "Skills"))

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
SHEET = FileColumns(COLUMNS)
REQUIRED = SHEET.required
header = SHEET.header
export_columns = SHEET.export_columns
titles = SHEET.titles
title = SHEET.title
header_keys = SHEET.header_keys


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


# The template's example person: a row still carrying them is the example, not a member.
EXAMPLE_NAME, EXAMPLE_PHONE = ("Nguyễn", "Văn", "Mẫu"), "0900000000"


def example_row(unit_code: str) -> list:
    today = timezone.localdate()
    return [
        *EXAMPLE_NAME,
        2001,
        "Nam",
        EXAMPLE_PHONE,
        "",
        "",
        unit_code,
        "Thành viên",
        today,
        today,
        "VNeID, Dịch vụ công",
    ]


SEX_WORDS = {
    "nu": "female",
    "female": "female",
    "nam": "male",
    "male": "male",
    "khac": "other",
    "other": "other",
}
ROLE_WORDS = {
    "doi truong": "leader",
    "to truong": "leader",
    "leader": "leader",
    "doi pho": "deputy",
    "to pho": "deputy",
    "pho": "deputy",
    "deputy": "deputy",
    "thanh vien": "member",
    "member": "member",
    "": "member",
}


class RosterRow(forms.Form):
    """One row of an imported roster, checked like any form; ``cleaned_data`` is what it would write.

    The unit code must name a unit the importer may log for (one outside their scope reads as unknown:
    its existence is not revealed); dates default to today and cannot be in the future; a member
    cannot join before the team was founded."""

    ho = TextCell(60, required=True)
    dem = TextCell(60)
    ten = TextCell(60, required=True)
    nam_sinh = forms.Field(required=False)
    gioi_tinh = TextCell(60)
    dien_thoai = forms.Field(required=False)
    email = TextCell(254)
    ma_doan_vien = TextCell(32)
    ma_don_vi = TextCell(32)
    vai_tro = TextCell(60)
    ngay_vao_doi = forms.Field(required=False)
    ngay_dong_y = forms.Field(required=False)
    ky_nang = TextCell(500)

    def __init__(self, data, *, team, units: dict, scope, today: datetime.date, locked_months=None):
        super().__init__(data)
        self.team, self.units, self.scope, self.today = team, units, scope, today
        self.locked_months = locked_months or {}  # {month: status}: the team unit's locked months

    def clean_nam_sinh(self):
        raw = self.cleaned_data["nam_sinh"]
        if raw in (None, ""):
            return None
        try:
            year = parse_int(raw)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if not 1900 <= year <= self.today.year:
            raise ValidationError(_("not a plausible year"))
        return year

    def clean_gioi_tinh(self):
        text = self.cleaned_data["gioi_tinh"]
        if not text:
            return ""
        if (sex := SEX_WORDS.get(fold(text))) is None:
            raise ValidationError(_("write Nam, Nữ or Khác"))
        return sex

    def clean_dien_thoai(self):
        phone = normalize_phone(self.cleaned_data["dien_thoai"])
        if not phone:
            raise ValidationError(_("required"))
        return phone

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and "@" not in email:
            raise ValidationError(_("not an e-mail address"))
        return email

    def clean_ma_don_vi(self):
        code = self.cleaned_data["ma_don_vi"]
        unit = self.units.get(code)
        if unit is None or (self.scope is not None and not self.scope.contains(unit)):
            raise ValidationError(_("unknown unit code “%(code)s”") % {"code": code})
        return unit

    def clean_vai_tro(self):
        if (role := ROLE_WORDS.get(fold(self.cleaned_data["vai_tro"]))) is None:
            raise ValidationError(_("write Đội trưởng, Đội phó or Thành viên"))
        return role

    def _date(self, name: str) -> datetime.date:
        raw = self.cleaned_data[name]
        if raw in (None, ""):
            return self.today
        try:
            day = parse_date(raw)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if day > self.today:
            raise ValidationError(_("a date in the future"))
        return day

    def clean_ngay_vao_doi(self):
        joined_on = self._date("ngay_vao_doi")
        status = self.locked_months.get(joined_on.replace(day=1))
        if status:  # what membership_create would refuse
            raise ValidationError(
                locked_message(unit_name=self.team.org_unit.name, month=joined_on, status=status)
            )
        if founded_after(self.team, joined_on):  # what membership_create would refuse
            raise ValidationError(
                _("The team was founded on %(date)s: a member cannot join it before that.")
                % {"date": f"{self.team.founded_on:%d/%m/%Y}"}
            )
        return joined_on

    def clean_ngay_dong_y(self):
        return self._date("ngay_dong_y")

    def clean(self):
        data = super().clean()
        person = (data.get("ho"), data.get("dem"), data.get("ten"))
        if person == EXAMPLE_NAME and data.get("dien_thoai") == EXAMPLE_PHONE:
            raise ValidationError(
                _("this is the template's example row: delete it and list the team's members")
            )
        return data

    def plan(self, *, row: int, consent_purpose: str) -> dict:
        """What the import writes for this (valid) row."""
        data = self.cleaned_data
        return {
            "row": row,
            "fields": {
                "family_name": data["ho"],
                "middle_name": data["dem"],
                "given_name": data["ten"],
                "birth_year": data["nam_sinh"],
                "sex": data["gioi_tinh"],
                "phone": data["dien_thoai"],
                "email": data["email"],
                "member_code": data["ma_doan_vien"],
                "consent_on": data["ngay_dong_y"],
                "consent_purpose": consent_purpose,
            },
            "unit": data["ma_don_vi"],
            "role": data["vai_tro"],
            "joined_on": data["ngay_vao_doi"],
            "skills": [s for s in data["ky_nang"].split(",") if s.strip()],
        }
