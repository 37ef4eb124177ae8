"""The 2025 provincial arrangement (in force 2025-07-01), as the portal needs it.

Public facts from the National Assembly's 2025 resolution on arranging provincial-level units:
63 provinces became 34. A province whose name lives on is the continuing unit; each of the 29
whose name ended is kept as a dissolved unit with ``valid_to`` and its successor's current code,
so agreements they signed still show and their data rolls up into the successor.
The district level was abolished on the same day: its 696 unions come from the
``vietnamadminunits`` package's pre-reform data (org.data.pre_reform).
"""

import datetime

REFORM_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)

# (pre-reform code, pre-reform union name, successor's current province code)
DISSOLVED_PROVINCES: list[tuple[str, str, str]] = [
    ("02", "Tỉnh đoàn Hà Giang", "08"),
    ("10", "Tỉnh đoàn Lào Cai (trước 2025)", "15"),
    ("06", "Tỉnh đoàn Bắc Kạn", "19"),
    ("26", "Tỉnh đoàn Vĩnh Phúc", "25"),
    ("17", "Tỉnh đoàn Hòa Bình", "25"),
    ("27", "Tỉnh đoàn Bắc Ninh (trước 2025)", "24"),
    ("34", "Tỉnh đoàn Thái Bình", "33"),
    ("30", "Tỉnh đoàn Hải Dương", "31"),
    ("35", "Tỉnh đoàn Hà Nam", "37"),
    ("36", "Tỉnh đoàn Nam Định", "37"),
    ("45", "Tỉnh đoàn Quảng Trị (trước 2025)", "44"),
    ("49", "Tỉnh đoàn Quảng Nam", "48"),
    ("62", "Tỉnh đoàn Kon Tum", "51"),
    ("64", "Tỉnh đoàn Gia Lai (trước 2025)", "52"),
    ("58", "Tỉnh đoàn Ninh Thuận", "56"),
    ("67", "Tỉnh đoàn Đắk Nông", "68"),
    ("60", "Tỉnh đoàn Bình Thuận", "68"),
    ("54", "Tỉnh đoàn Phú Yên", "66"),
    ("74", "Tỉnh đoàn Bình Dương", "79"),
    ("77", "Tỉnh đoàn Bà Rịa - Vũng Tàu", "79"),
    ("70", "Tỉnh đoàn Bình Phước", "75"),
    ("72", "Tỉnh đoàn Tây Ninh (trước 2025)", "80"),
    ("94", "Tỉnh đoàn Sóc Trăng", "92"),
    ("93", "Tỉnh đoàn Hậu Giang", "92"),
    ("83", "Tỉnh đoàn Bến Tre", "86"),
    ("84", "Tỉnh đoàn Trà Vinh", "86"),
    ("82", "Tỉnh đoàn Tiền Giang", "82"),
    ("95", "Tỉnh đoàn Bạc Liêu", "96"),
    ("91", "Tỉnh đoàn Kiên Giang", "91"),
]


def dissolved_province_code(old_code: str) -> str:
    return f"old-{old_code}"


def dissolved_district_code(old_code: str) -> str:
    return f"old-d{old_code}"
