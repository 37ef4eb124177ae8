"""Messages of core.tabular/core.uploads that this app's imports show, listed so makemessages keeps
their Vietnamese in this app's catalogue (the foundation's catalogue does not translate them yet)."""

from django.utils.translation import gettext_noop

SHARED_MESSAGES = [
    gettext_noop("Missing column(s): %(columns)s."),
    gettext_noop("Row %(row)d, %(column)s: %(message)s"),
    gettext_noop("The CSV file must be saved as UTF-8."),
    gettext_noop("The Excel file could not be read: it may be damaged."),
    gettext_noop("The file has more than %(limit)d rows."),
    gettext_noop("The file is empty."),
    gettext_noop("The file is larger than %(limit)d MB."),
    gettext_noop("The file is not an Excel workbook (.xlsx)."),
    gettext_noop("The workbook has too many parts to be a normal Excel file."),
    gettext_noop("The workbook is too large once unpacked."),
    gettext_noop("Upload an Excel workbook (.xlsx) or a CSV file."),
    gettext_noop("must be at least %(minimum)d"),
    gettext_noop("not a date (dd/mm/yyyy)"),
    gettext_noop("not a month (mm/yyyy)"),
    gettext_noop("not a whole number"),
]
