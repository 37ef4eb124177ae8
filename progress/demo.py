"""Demo: after every other app's demo data (progress is last in INSTALLED_APPS), the seeds' measures
as indicators defined as data (issue #22 item 4), then bring the progress figures up to date.

The first time, one full run computes everything. After that the figures are already there: every
demo write left a dirty mark (as the services do), so an incremental run recomputes exactly what the
seeding just changed, and nothing at all on a second `make run`, whose seeding writes nothing.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.models import User
from core.models import DirtyMark
from egov_support.models import HelpSession, LocationKind, Service
from egov_support.services import help_session_create
from partnerships.models import Indicator
from progress import rollup
from progress.models import PeriodValue, RollupState
from progress.services import MeasureSpec, indicator_define
from volunteers.models import Activity, Team
from volunteers.services import activity_create

KEY_NAMESPACE = uuid.UUID("5b0f6a52-7d0e-4c55-9d7e-3b1f9a8e2d22")

# The measures the seed articles name, each an indicator an administrator could define in admin:
# (code, Vietnamese name, English name, unit, measure). Digital signatures and cashless accounts count
# what was completed (successful), VNeID level 2 and App TNVN the citizens helped; "3 Không" counts
# the pilot sites launched (an activity each).
SEED_MEASURES = [
    (
        "digital_signatures_issued",
        "Chữ ký số được cấp cho người dân",
        "Digital signatures issued to citizens",
        "chữ ký số",
        {
            "source": "service_lines",
            "operation": "sum",
            "field": "line_successful",
            "service": "digital-signature",
        },
    ),
    (
        "vneid_level2_activations",
        "Tài khoản định danh điện tử mức độ 2 được kích hoạt",
        "VNeID level-2 accounts activated",
        "tài khoản",
        {
            "source": "service_lines",
            "operation": "sum",
            "field": "line_citizens_assisted",
            "service": "vneid-level2",
        },
    ),
    (
        "cashless_accounts_opened",
        "Tài khoản thanh toán không dùng tiền mặt được mở",
        "Cashless-payment accounts opened",
        "tài khoản",
        {
            "source": "service_lines",
            "operation": "sum",
            "field": "line_successful",
            "service": "cashless-payment",
        },
    ),
    (
        "app_tnvn_users",
        "Người dùng App Thanh niên Việt Nam được hướng dẫn cài đặt",
        "App Thanh niên Việt Nam users helped to install it",
        "người",
        {
            "source": "service_lines",
            "operation": "sum",
            "field": "line_citizens_assisted",
            "service": "app-tnvn",
        },
    ),
    (
        "three_no_pilot_sites",
        "Điểm thí điểm mô hình “3 Không”",
        "“3 Không” model pilot sites",
        "điểm",
        {"source": "activities", "operation": "count", "activity_kind": Activity.Kind.THREE_NO_PILOT},
    ),
]
ILLUSTRATIVE = "Minh họa (số liệu demo, không lấy từ bài báo)."


def _full_run_due() -> bool:
    """Never computed, emptied, a new month since the last full run (the stocks' horizon moved on:
    the nightly run does that where beat runs), or more marks than an incremental run takes."""
    state = RollupState.objects.filter(pk=1).first()
    if state is None or state.last_full_at is None or not PeriodValue.objects.exists():
        return True
    last_month = rollup.month_start(timezone.localdate(state.last_full_at))
    if last_month != rollup.month_start(timezone.localdate()):
        return True
    return DirtyMark.objects.count() >= rollup.CLAIM_BATCH


def _seed_measures() -> str:
    """The seeds' measures as data-defined indicators, and a few illustrative facts for the two the
    demo's sessions and activities have none of (App TNVN, the "3 Không" pilots). Idempotent."""
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    defined = 0
    for code, name_vi, name_en, unit, measure in SEED_MEASURES:
        if Indicator.objects.filter(code=code).exists():
            continue
        service = (
            Service.objects.filter(code=measure.get("service")).first() if "service" in measure else None
        )
        indicator_define(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            unit=unit,
            direction=Indicator.Direction.AT_LEAST,
            description=ILLUSTRATIVE if code in ("app_tnvn_users", "three_no_pilot_sites") else "",
            formula="sum",
            aggregation="flow",
            numerator=MeasureSpec(**{**measure, "service": service}),
        )
        defined += 1
    if admin is None:
        return f"{defined} data-defined indicators" if defined else ""
    today = timezone.localdate()
    logged = 0
    # App TNVN (the Tiền Giang-VNPT agreement's ecosystem): the Mỹ Tho team shows it at schools.
    app = Service.objects.filter(code="app-tnvn").first()
    for team in Team.objects.filter(org_unit__code="28261", status=Team.Status.ACTIVE).order_by("pk")[:1]:
        for n in range(6):
            day = today - datetime.timedelta(days=20 * n + 3)
            key = uuid.uuid5(KEY_NAMESPACE, f"app-tnvn/{team.pk}/{n}")
            if (
                app is None
                or day < (team.founded_on or day)
                or HelpSession.objects.filter(idempotency_key=key).exists()
            ):
                continue
            help_session_create(
                by=admin,
                team=team,
                location_kind=LocationKind.SCHOOL,
                address="Trường THPT (minh họa)",
                date=day,
                start_time=datetime.time(14, 0),
                end_time=datetime.time(16, 30),
                lines=[{"service": app, "citizens_assisted": 18 + 3 * n, "successful": 15 + 2 * n}],
                notes=ILLUSTRATIVE,
                idempotency_key=key,
            )
            logged += 1
    # "3 Không" (the Thanh Hóa programme pilots it in eligible communes): a site launched per team.
    for team in Team.objects.filter(org_unit__parent__code="38", status=Team.Status.ACTIVE).order_by("pk")[
        :2
    ]:
        day = max(today - datetime.timedelta(days=45), team.founded_on or today)
        _activity, new = activity_create(
            by=admin,
            team=team,
            idempotency_key=uuid.uuid5(KEY_NAMESPACE, f"three-no/{team.pk}"),
            date=day,
            kind=Activity.Kind.THREE_NO_PILOT,
            title=f"Ra mắt điểm thí điểm mô hình “3 Không” {team.org_unit.name.removeprefix('Đoàn ')}",
            place="Bộ phận một cửa",
            participants=60,
            volunteers_count=8,
            volunteer_hours=24,
            note=ILLUSTRATIVE,
        )
        logged += new
    if not (defined or logged):
        return ""  # a second `make run`: nothing new
    return f"{defined} data-defined indicators, {logged} illustrative records for them"


def seed(*, password: str) -> str:
    measures = _seed_measures()  # before the figures: what it adds is computed with the rest
    figures = _figures()
    return f"{figures}; {measures}" if measures else figures


def _figures() -> str:
    if _full_run_due():
        result = rollup.rollup_full()
        return f"progress computed in full ({result.rows_written} rows written, {result.seconds:.1f} s)"
    result = rollup.rollup_dirty()
    if result.mode == "full":  # the org tree changed: the incremental run turned into a full one
        return f"progress computed in full, the org tree changed ({result.rows_written} rows written)"
    if not result.marks:
        return "progress already up to date (nothing changed since it was computed)"
    return f"progress updated for {result.marks} changed unit-months ({result.rows_written} rows written)"
