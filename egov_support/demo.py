"""Demo data: the service catalogue, two campaigns, a year of help sessions, 16 months of statistics.

Plausible and reproducible (fixed seed, fixed dates): in each demo province (Vĩnh Long 86,
Đồng Tháp 82, Thanh Hóa 38) 12 current communes plus the province itself get monthly official
statistics from 07/2025 (the two-level government) to 10/2026, whose online rate starts below the
30% target and rises, so the dashboard has a story. Each row holds the dossiers received by that
unit itself (the province row: province-level agencies), so a subtree sum is the whole province.
Help sessions are logged for the teams volunteers/demo.py created (it runs first).

Idempotent: sessions carry deterministic idempotency keys, statistics are unique per unit/month/source,
campaigns are found by (unit, name). Bulk inserts bypass the services for speed, so the dirty marks for
the progress rollup are written here explicitly.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.db.models import Q

from core.progress_marks import mark_dirty_many
from egov_support.data.catalogue import SERVICES
from egov_support.models import (
    Campaign,
    CampaignTarget,
    HelpSession,
    LocationKind,
    Service,
    ServiceLine,
    ServiceStatistic,
    StatisticSource,
)
from egov_support.services import help_session_totals_refresh
from org.models import OrgUnit
from partnerships.models import Indicator
from volunteers.models import Membership, Team

SEED = 20251101
KEY_NAMESPACE = uuid.UUID("0f4c1d7e-6a0b-4a3e-9b61-2f7b8e5d9c42")
PROVINCES = ["86", "82", "38"]
COMMUNES_PER_PROVINCE = 12
STATS_FROM = datetime.date(2025, 7, 1)
STATS_TO = datetime.date(2026, 10, 1)
SESSIONS_FROM = datetime.date(2025, 11, 1)
SESSIONS_TO = datetime.date(2026, 10, 31)
TWO_LEVEL_CAMPAIGN = "Chiến dịch hỗ trợ vận hành chính quyền địa phương hai cấp năm 2025"
YOUTH_MONTH_2023 = "Tháng Thanh niên 2023: Tuổi trẻ Tiền Giang tiên phong chuyển đổi số"

# Tháng Thanh niên 2023 set "11 chỉ tiêu trọng tâm" (seed article 001, Tiền Giang, 08/2023): the
# article gives the count, not the list. These eleven are illustrative, drawn from what it describes
# (help with online public services, electronic payment and identity; the youth's pioneering role;
# Mỹ Tho's 32-member community team), set on indicators the portal computes, and marked illustrative
# wherever they show. (unit code, indicator code, target value, what it stands for)
YOUTH_MONTH_TARGETS = [
    (
        "old-82",
        "citizens_assisted",
        5000,
        "Hỗ trợ người dân về dịch vụ công trực tuyến, thanh toán, định danh điện tử",
    ),
    ("old-82", "dossiers_assisted", 1500, "Hồ sơ dịch vụ công trực tuyến được hướng dẫn nộp"),
    ("old-82", "vneid_activations", 3000, "Tài khoản định danh điện tử được hỗ trợ kích hoạt"),
    ("old-82", "volunteer_hours", 4000, "Giờ tình nguyện của đoàn viên, thanh niên trong chuyển đổi số"),
    ("old-82", "volunteers_active", 500, "Đoàn viên, thanh niên tiên phong, nòng cốt trong chuyển đổi số"),
    ("old-82", "teams_active", 11, "Đội hình thanh niên chuyển đổi số ở các huyện, thị, thành Đoàn"),
    ("old-82", "communes_with_team", 20, "Xã, phường có mô hình, đội hình chuyển đổi số"),
    ("old-d815", "volunteers_active", 32, "Đội hình “Thanh niên chuyển đổi số cộng đồng” 32 thành viên"),
    (
        "old-d815",
        "citizens_assisted",
        1000,
        "Tuyên truyền, hướng dẫn hộ gia đình, người dân trên địa bàn dân cư",
    ),
    ("old-d815", "vneid_activations", 400, "Hướng dẫn định danh điện tử cho người dân thành phố"),
    ("old-d815", "dossiers_assisted", 300, "Hướng dẫn dịch vụ công trực tuyến theo Công văn 793/BTTTT-THH"),
]
YOUTH_MONTH_NOTE = "Dữ liệu minh hoạ: bài báo không nêu kết quả từng buổi của Tháng Thanh niên 2023."

# Services and how often a session helps with them (weights), with the share submitted online.
SERVICE_MIX = {
    "vneid-level2": (10, 0.0),
    "vneid-install": (6, 0.0),
    "dvc-provincial-full": (8, 1.0),
    "dvc-national-full": (6, 1.0),
    "dvc-provincial-partial": (3, 0.8),
    "online-fee-payment": (5, 0.0),
    "dossier-lookup": (3, 0.0),
    "cashless-payment": (4, 0.0),
    "digital-signature": (2, 0.0),
    "digital-skills": (4, 0.0),
    "safe-social-media": (3, 0.0),
    "ecommerce": (1, 0.0),
}
PLACES = [
    (LocationKind.ONE_STOP_DESK, "Bộ phận một cửa"),
    (LocationKind.ADMIN_CENTRE, "Trung tâm phục vụ hành chính công"),
    (LocationKind.MARKET, "Chợ"),
    (LocationKind.SCHOOL, "Trường THCS"),
    (LocationKind.DOOR_TO_DOOR, "Khu phố"),
    (LocationKind.COMMUNE_OFFICE, "Trụ sở UBND"),
]


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], start
    while day <= end:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _ensure_catalogue() -> int:
    """The migration seeds it; a flushed database (transactional tests) gets it back here."""
    created = 0
    for order, (code, name_vi, name_en, category, level) in enumerate(SERVICES, start=1):
        _service, was_created = Service.objects.get_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "category": category,
                "online_level": level,
                "sort_order": order * 10,
            },
        )
        created += was_created
    return created


def _campaigns() -> dict[str, Campaign]:
    campaigns = {}
    tien_giang = OrgUnit.objects.filter(code="old-82").first()
    if tien_giang is not None:
        campaign, _created = Campaign.objects.get_or_create(
            org_unit=tien_giang,
            name=YOUTH_MONTH_2023,
            defaults={
                "theme": "Tuổi trẻ Tiền Giang tiên phong chuyển đổi số",
                "starts_on": datetime.date(2023, 3, 1),
                "ends_on": datetime.date(2023, 3, 31),
                "description": "Hỗ trợ người dân về dịch vụ công trực tuyến, thanh toán điện tử, định danh điện tử; "
                "Tỉnh Đoàn và VNPT Tiền Giang ký kết thỏa thuận hợp tác giai đoạn 2023 - 2027.",
            },
        )
        campaign.participating_units.add(*OrgUnit.objects.filter(code__in=["old-82", "old-d815"]))
        campaigns["2023"] = campaign
    central = OrgUnit.objects.filter(code="TW").first()
    if central is not None:
        campaign, _created = Campaign.objects.get_or_create(
            org_unit=central,
            name=TWO_LEVEL_CAMPAIGN,
            defaults={
                "theme": "Tuổi trẻ đồng hành cùng chính quyền địa phương hai cấp",
                "starts_on": datetime.date(2025, 7, 1),
                "ends_on": datetime.date(2025, 12, 31),
                "description": "Đội hình thanh niên tình nguyện hỗ trợ người dân làm thủ tục hành chính tại "
                "các trung tâm phục vụ hành chính công xã, phường sau sắp xếp.",
            },
        )
        campaign.participating_units.add(*OrgUnit.objects.filter(code__in=PROVINCES))
        campaigns["2025"] = campaign
    return campaigns


def _statistic_units(team_units: set[int]) -> list[OrgUnit]:
    units = []
    for code in PROVINCES:
        province = OrgUnit.objects.filter(code=code).first()
        if province is None:
            continue
        communes = list(
            OrgUnit.objects.filter(
                parent=province, kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True
            ).order_by("code")
        )
        chosen = [c for c in communes if c.pk in team_units]
        chosen += [c for c in communes if c.pk not in team_units][
            : max(0, COMMUNES_PER_PROVINCE - len(chosen))
        ]
        units += [province, *chosen]
    return units


def _statistics(rng: random.Random, units: list[OrgUnit]) -> int:
    months = _months(STATS_FROM, STATS_TO)
    planned = []
    for unit in units:
        is_province = unit.kind == OrgUnit.Kind.PROVINCE
        base = rng.randint(2500, 4000) if is_province else rng.randint(90, 650)
        start_rate = rng.uniform(0.20, 0.28) if is_province else rng.uniform(0.10, 0.29)
        end_rate = rng.uniform(0.72, 0.82) if is_province else rng.uniform(0.50, 0.90)
        for index, month in enumerate(months):
            progress = (index / (len(months) - 1)) ** 0.8
            rate = min(
                0.97, max(0.02, start_rate + (end_rate - start_rate) * progress + rng.uniform(-0.03, 0.03))
            )
            total = max(10, round(base * rng.uniform(0.8, 1.2) * (1.15 if month.month in (1, 8) else 1.0)))
            online = round(total * rate)
            planned.append(
                ServiceStatistic(
                    org_unit=unit,
                    month=month,
                    source=StatisticSource.PROVINCIAL_PORTAL,
                    dossiers_total=total,
                    dossiers_online=online,
                    online_payments=round(online * rng.uniform(0.3, 0.6)),
                    note="Số liệu minh họa (demo)",
                )
            )
    existing = set(
        ServiceStatistic.objects.filter(
            org_unit__in=units, source=StatisticSource.PROVINCIAL_PORTAL
        ).values_list("org_unit_id", "month")
    )
    missing = [s for s in planned if (s.org_unit.pk, s.month) not in existing]
    ServiceStatistic.objects.bulk_create(missing, batch_size=1000)
    mark_dirty_many((s.org_unit.pk, s.month) for s in missing)
    return len(missing)


# The Bến Tre–VNPT Bến Tre agreement's 2020 target (online public services above 30%, phase from
# 14/11/2020): the articles give no figure, so these two months of the dissolved Tỉnh đoàn Bến Tre are
# illustrative (dossiers received, of them online), imported while the province existed.
BEN_TRE_2020 = {datetime.date(2020, 11, 1): (3120, 1005), datetime.date(2020, 12, 1): (3480, 1166)}
BEN_TRE_2020_NOTE = "Số liệu minh họa (demo): các bài báo không công bố tỷ lệ năm 2020 của Bến Tre"


def _ben_tre_2020() -> int:
    """Bến Tre's official figures for the months of its 2020 target (illustrative), once."""
    ben_tre = OrgUnit.objects.filter(code="old-83").first()
    if ben_tre is None:
        return 0
    have = set(ServiceStatistic.objects.filter(org_unit=ben_tre).values_list("month", flat=True))
    missing = [
        ServiceStatistic(
            org_unit=ben_tre,
            month=month,
            source=StatisticSource.PROVINCIAL_PORTAL,
            dossiers_total=total,
            dossiers_online=online,
            note=BEN_TRE_2020_NOTE,
        )
        for month, (total, online) in BEN_TRE_2020.items()
        if month not in have
    ]
    ServiceStatistic.objects.bulk_create(missing)
    mark_dirty_many((ben_tre.pk, s.month) for s in missing)
    return len(missing)


def _sessions(rng: random.Random, teams: list[Team], campaigns: dict[str, Campaign]) -> int:
    services = {s.code: s for s in Service.objects.filter(code__in=SERVICE_MIX)}
    codes = [code for code in SERVICE_MIX if code in services]
    weights = [SERVICE_MIX[code][0] for code in codes]
    rosters: dict[int, list[tuple[int, datetime.date]]] = {}
    for team_id, volunteer_id, joined_on in Membership.objects.filter(
        team__in=teams, left_on__isnull=True
    ).values_list("team_id", "volunteer_id", "joined_on"):
        rosters.setdefault(team_id, []).append((volunteer_id, joined_on))
    two_level = campaigns.get("2025")
    planned: list[tuple[HelpSession, list[ServiceLine], list[int]]] = []
    days = (SESSIONS_TO - SESSIONS_FROM).days
    for team in teams:
        count = rng.randint(30, 48)  # about three a month
        for index in range(count):
            day = SESSIONS_FROM + datetime.timedelta(days=rng.randrange(days + 1))
            place, label = rng.choice(PLACES)
            start = datetime.time(rng.choice([7, 8, 13, 14]), rng.choice([0, 30]))
            end = datetime.time(start.hour + rng.choice([2, 3]), start.minute)
            # Early months help fewer people; the rate of online submissions grows with practice.
            progress = (day - SESSIONS_FROM).days / days
            session = HelpSession(
                team=team,
                org_unit=team.org_unit,
                location_kind=place,
                address=f"{label} {team.org_unit.name.removeprefix('Đoàn ')}",
                date=day,
                start_time=start,
                end_time=end,
                campaign=two_level if two_level and day <= two_level.ends_on else None,
                idempotency_key=uuid.uuid5(KEY_NAMESPACE, f"{team.org_unit.code}/{team.name}/{index}"),
                notes="",
            )
            lines = []
            for code in sorted(set(rng.choices(codes, weights=weights, k=rng.randint(2, 4)))):
                assisted = rng.randint(3, 14) + round(10 * progress)
                online_share = SERVICE_MIX[code][1]
                lines.append(
                    ServiceLine(
                        service=services[code],
                        citizens_assisted=assisted,
                        dossiers_online=round(assisted * online_share * rng.uniform(0.6, 1.0)),
                        successful=round(assisted * rng.uniform(0.7, 1.0)),
                        female=round(assisted * rng.uniform(0.45, 0.6)),
                    )
                )
            present = [vid for vid, joined in rosters.get(team.pk, []) if joined <= day]
            volunteers = rng.sample(present, k=min(len(present), rng.randint(2, 5)))
            planned.append((session, lines, volunteers))
    keys = [session.idempotency_key for session, _lines, _vols in planned]
    existing = set(
        HelpSession.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True)
    )
    todo = [item for item in planned if item[0].idempotency_key not in existing]
    created = HelpSession.objects.bulk_create([session for session, _lines, _vols in todo], batch_size=500)
    lines, links = [], []
    through = HelpSession.volunteers.through
    for session, (_planned, session_lines, volunteers) in zip(created, todo, strict=True):
        for line in session_lines:
            line.session = session
            lines.append(line)
        links += [through(helpsession_id=session.pk, volunteer_id=vid) for vid in volunteers]
    ServiceLine.objects.bulk_create(lines, batch_size=1000)
    through.objects.bulk_create(links, batch_size=1000)
    help_session_totals_refresh(session_ids=[s.pk for s in created])
    mark_dirty_many((s.org_unit_id, s.date) for s in created)
    return len(created)


def _youth_month_2023(campaign: Campaign | None) -> int:
    """Tháng Thanh niên 2023's eleven illustrative targets, and a few illustrative help sessions of
    the Mỹ Tho team in 03/2023 tagged with the campaign (the article reports no results), so its page
    shows targets against results. Found by (campaign, indicator, unit) and by idempotency key."""
    if campaign is None:
        return 0
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={code for code, *_ in YOUTH_MONTH_TARGETS})}
    indicators = {
        i.code: i for i in Indicator.objects.filter(code__in={c for _, c, *_ in YOUTH_MONTH_TARGETS})
    }
    created = 0
    for unit_code, indicator_code, value, note in YOUTH_MONTH_TARGETS:
        if unit_code not in units or indicator_code not in indicators:
            continue
        _target, new = CampaignTarget.objects.get_or_create(
            campaign=campaign,
            indicator=indicators[indicator_code],
            org_unit=units[unit_code],
            defaults={"target_value": value, "note": note, "is_illustrative": True},
        )
        created += new
    my_tho = units.get("old-d815")
    team = Team.objects.filter(
        name="Thanh niên chuyển đổi số cộng đồng", org_unit__code__in=["old-d815", "28261"]
    ).first()
    if my_tho is None or team is None:
        return created
    services = {s.code: s for s in Service.objects.filter(code__in=["vneid-level2", "dvc-provincial-full"])}
    rng = random.Random(SEED + 2023)  # noqa: S311 - reproducible demo data
    planned = []
    for index in range(12):
        day = campaign.starts_on + datetime.timedelta(days=2 + index * 2)
        session = HelpSession(
            team=team,
            org_unit=my_tho,
            location_kind=LocationKind.DOOR_TO_DOOR,
            address="Khu dân cư Phường 4, Phường 5, thành phố Mỹ Tho",
            date=day,
            start_time=datetime.time(7, 30),
            end_time=datetime.time(10, 30),
            campaign=campaign,
            idempotency_key=uuid.uuid5(KEY_NAMESPACE, f"youth-month-2023/{index}"),
            notes=YOUTH_MONTH_NOTE,
        )
        lines = [
            ServiceLine(
                service=service, citizens_assisted=n, dossiers_online=n if code != "vneid-level2" else 0
            )
            for code, service in sorted(services.items())
            for n in [rng.randint(8, 20)]
        ]
        planned.append((session, lines))
    existing = set(
        HelpSession.objects.filter(idempotency_key__in=[s.idempotency_key for s, _ in planned]).values_list(
            "idempotency_key", flat=True
        )
    )
    todo = [(s, lines) for s, lines in planned if s.idempotency_key not in existing]
    sessions = HelpSession.objects.bulk_create([s for s, _ in todo])
    for session, (_planned, lines) in zip(sessions, todo, strict=True):
        for line in lines:
            line.session = session
    ServiceLine.objects.bulk_create([line for _, lines in todo for line in lines])
    help_session_totals_refresh(session_ids=[s.pk for s in sessions])
    mark_dirty_many((s.org_unit_id, s.date) for s in sessions)
    return created


@transaction.atomic
def seed(*, password: str) -> str:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    new_services = _ensure_catalogue()
    campaigns = _campaigns()
    teams = list(
        Team.objects.active()
        .filter(
            Q(org_unit__path__startswith="/TW/86/")
            | Q(org_unit__path__startswith="/TW/82/")
            | Q(org_unit__path__startswith="/TW/38/")
        )
        .exclude(kind=Team.Kind.CONSULTING)
        .filter(org_unit__valid_to__isnull=True)  # the pre-reform district teams log nothing this year
        .select_related("org_unit")
        .order_by("org_unit__code", "name")
    )
    statistics = _statistics(rng, _statistic_units({team.org_unit_id for team in teams}))
    statistics += _ben_tre_2020()
    sessions = _sessions(rng, teams, campaigns)
    targets = _youth_month_2023(campaigns.get("2023"))
    return (
        f"{Service.objects.count()} services ({new_services} new), {len(campaigns)} campaigns "
        f"({targets} new campaign targets), "
        f"{sessions} new help sessions for {len(teams)} teams, {statistics} new monthly statistics"
    )
