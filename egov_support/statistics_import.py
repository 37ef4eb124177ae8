"""Official statistics as a spreadsheet: the columns of the template and the import, and the form that
checks one imported row (one unit's figures for one month, from one portal).

Titles live in the translations; the import reads a column under its title in any of the portal's
languages (``core.tabular.FileColumns``), and its errors name the column as the person sees it.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.tabular import FileColumn, FileColumns, Kind, TextCell, parse_int, parse_month
from core.text import fold
from egov_support.models import StatisticSource, ended_message, unit_ended_before, unit_existed_on

SHEET = FileColumns(
    [
        FileColumn("ma_don_vi", pgettext_lazy("statistics column", "Unit code"), required=True),
        FileColumn("ten_don_vi", pgettext_lazy("statistics column", "Unit name")),
        FileColumn("thang", pgettext_lazy("statistics column", "Month"), required=True),
        FileColumn("tong_ho_so", pgettext_lazy("statistics column", "Total dossiers"), True, Kind.INTEGER),
        FileColumn(
            "ho_so_truc_tuyen", pgettext_lazy("statistics column", "Online dossiers"), True, Kind.INTEGER
        ),
        FileColumn(
            "thanh_toan_truc_tuyen", pgettext_lazy("statistics column", "Online payments"), kind=Kind.INTEGER
        ),
        FileColumn("nguon", pgettext_lazy("statistics column", "Source")),
    ]
)
FIGURES = ("tong_ho_so", "ho_so_truc_tuyen", "thanh_toan_truc_tuyen")
# The model's field for each figure column.
FIELDS = {
    "tong_ho_so": "dossiers_total",
    "ho_so_truc_tuyen": "dossiers_online",
    "thanh_toan_truc_tuyen": "online_payments",
}

SOURCE_WORDS = {
    "": StatisticSource.PROVINCIAL_PORTAL,
    "tinh": StatisticSource.PROVINCIAL_PORTAL,
    "cong dvc tinh": StatisticSource.PROVINCIAL_PORTAL,
    "provincial_portal": StatisticSource.PROVINCIAL_PORTAL,
    "quoc gia": StatisticSource.NATIONAL_PORTAL,
    "cong dvc quoc gia": StatisticSource.NATIONAL_PORTAL,
    "national_portal": StatisticSource.NATIONAL_PORTAL,
}


def is_blank(values: dict) -> bool:
    """A template line nobody filled in (no figure at all): skipped, not an error."""
    return all(values.get(key) in (None, "") for key in FIGURES)


class CountCell(forms.Field):
    """A whole number of at least 0, as Excel or a person writes it ("1.234", 1234.0)."""

    def __init__(self, **kwargs):
        super().__init__(error_messages={"required": gettext_lazy("required")}, **kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return parse_int(value, minimum=0)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class StatisticRow(forms.Form):
    """One row of an imported statistics file, checked like any form; ``cleaned_data`` holds the unit,
    the month (its first day), the source and the figures by model field.

    The unit code must name a unit the importer manages (one outside their scope reads as unknown: its
    existence is not revealed); the month cannot be in the future, before the unit existed or after
    it was dissolved; online dossiers cannot exceed the total."""

    ma_don_vi = TextCell(32, required=True)
    ten_don_vi = TextCell(255)
    thang = forms.Field()
    tong_ho_so = CountCell()
    ho_so_truc_tuyen = CountCell()
    thanh_toan_truc_tuyen = CountCell(required=False)
    nguon = TextCell(60)

    def __init__(self, data, *, units: dict, latest: datetime.date):
        super().__init__(data)
        self.units, self.latest = units, latest

    def clean_ma_don_vi(self):
        code = self.cleaned_data["ma_don_vi"]
        unit = self.units.get(code)
        if unit is None:
            raise ValidationError(_("unknown unit code “%(code)s”") % {"code": code})
        return unit

    def clean_thang(self):
        try:
            month = parse_month(self.cleaned_data["thang"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if month > self.latest:
            raise ValidationError(_("the month is in the future"))
        return month

    def clean_nguon(self):
        source = SOURCE_WORDS.get(fold(self.cleaned_data["nguon"]))
        if source is None:
            raise ValidationError(_("unknown source; write “tỉnh” or “quốc gia”"))
        return source

    def clean(self):
        data = super().clean()
        unit, month = data.get("ma_don_vi"), data.get("thang")
        if unit is not None and month is not None:
            if not unit_existed_on(unit, month, monthly=True):
                self.add_error(
                    "thang",
                    _("%(unit)s exists from %(since)s: its statistics cannot be for a month before that.")
                    % {"unit": unit.name, "since": f"{unit.valid_from:%d/%m/%Y}"},
                )
            elif unit_ended_before(unit, month):
                self.add_error("thang", ended_message(unit))
        total, online = data.get("tong_ho_so"), data.get("ho_so_truc_tuyen")
        if total is not None and online is not None and online > total:
            self.add_error(
                "ho_so_truc_tuyen",
                _("online dossiers (%(online)d) exceed the total (%(total)d)")
                % {"online": online, "total": total},
            )
        return data

    def figures(self) -> dict:
        """The figures by model field (``online_payments`` None when the cell was left empty)."""
        return {FIELDS[key]: self.cleaned_data[key] for key in FIGURES}
