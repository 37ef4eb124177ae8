"""Demo teams, volunteers and a few months of activities, written through the services.

From the seed articles: Mỹ Tho's "Thanh niên chuyển đổi số cộng đồng" team of 32 members, founded
in 2023 by Thành Đoàn Mỹ Tho (dissolved 30/06/2025) for the Tiền Giang agreement; the Đồng Tháp
provincial consulting team of 2022 whose members are organisations; and the district teams that
the Thành đoàn and Huyện đoàn of Đồng Tháp's 12 districts and cities were to set up (the article
gives neither dates nor sizes: their members are illustrative). Commune teams in Vĩnh Long and
Thanh Hóa are invented (``is_illustrative``), as are every person, phone number and activity. The
demo account ``leader_an_hoi`` leads the An Hội team, so the phone flow pre-selects it.

Idempotent: teams are found by (unit, name); activities carry deterministic idempotency keys.
"""

import datetime
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from org.models import OrgUnit
from volunteers import services
from volunteers.models import Activity, Membership, Team, Volunteer

SEED = 20250701
KEY_NAMESPACE = uuid.UUID("6d1f8a52-3f0e-4b7e-9a51-0c2b9c7d4e10")

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE_F = ["Thị", "Ngọc", "Thị Thu", "Thanh", "Minh", "Thị Kim", "Bảo"]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Hoàng", "Thanh", "Đức", "Công"]
GIVEN_F = [
    "Anh",
    "Hồng",
    "Lan",
    "Mai",
    "Ngân",
    "Nhi",
    "Thảo",
    "Trâm",
    "Vy",
    "Yến",
    "Hạnh",
    "Linh",
    "Trúc",
    "Uyên",
]
GIVEN_M = [
    "An",
    "Bảo",
    "Cường",
    "Duy",
    "Hải",
    "Hiếu",
    "Khang",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Tài",
    "Tín",
    "Vinh",
]
SKILLS = [
    "VNeID",
    "Dịch vụ công trực tuyến",
    "Thanh toán không dùng tiền mặt",
    "Chữ ký số",
    "An toàn thông tin",
]
COURSE = "Bình dân học vụ số (kỹ năng số cơ bản)"
CONSENT = "Tham gia đội tình nguyện chuyển đổi số; liên hệ về hoạt động của đội."

TIEN_GIANG_AGREEMENT = "Thỏa thuận hợp tác giữa Tỉnh Đoàn Tiền Giang và VNPT Tiền Giang"
DONG_THAP_AGREEMENT = (
    "Chương trình phối hợp hoạt động giữa Sở Thông tin và Truyền thông và Tỉnh đoàn Đồng Tháp"
)
MY_THO_TEAM = "Thanh niên chuyển đổi số cộng đồng"
DISTRICT_TEAM = "Đội hình Thanh niên Chuyển đổi số cấp huyện"
# Đồng Tháp's 12 districts and cities before the 2025 reform (org.data.pre_reform: codes 866-877).
DONG_THAP_DISTRICTS = [f"old-d{n}" for n in range(866, 878)]
DISTRICT_TEAM_MEMBERS = 5  # illustrative: the article gives no sizes


@dataclass(frozen=True)
class PlannedTeam:
    unit: str
    name: str
    kind: str
    members: int
    leader: str | None = None
    founded_on: datetime.date | None = datetime.date(2025, 10, 15)  # before the demo's first sessions
    agreement: str = ""  # the start of the title of the agreement it serves
    illustrative: bool = True


TEAMS = [
    # Article 001 (2023-08): "Thành Đoàn Mỹ Tho đã thành lập đội hình ... với 32 thành viên"; the day
    # is the first of Tháng Thanh niên 2023, the month the article reports on (the year is the article's).
    PlannedTeam(
        "old-d815",
        MY_THO_TEAM,
        Team.Kind.DIGITAL_YOUTH,
        32,
        founded_on=datetime.date(2023, 3, 1),
        agreement=TIEN_GIANG_AGREEMENT,
        illustrative=False,
    ),
    # Article 002: launched at the signing of the 2022 - 2026 programme (the article gives no day).
    PlannedTeam(
        "82",
        "Tổ Tham vấn chuyển đổi số cấp tỉnh",
        Team.Kind.CONSULTING,
        0,
        founded_on=datetime.date(2022, 1, 1),
        agreement=DONG_THAP_AGREEMENT,
        illustrative=False,
    ),
    *[
        PlannedTeam(
            code,
            DISTRICT_TEAM,
            Team.Kind.DIGITAL_YOUTH,
            DISTRICT_TEAM_MEMBERS,
            founded_on=None,
            agreement=DONG_THAP_AGREEMENT,
        )
        for code in DONG_THAP_DISTRICTS
    ],
    PlannedTeam(
        "28777", "Tổ công nghệ số cộng đồng phường An Hội", Team.Kind.DIGITAL_TECH, 12, "leader_an_hoi"
    ),
    PlannedTeam("28777", "Đội hỗ trợ chính quyền hai cấp phường An Hội", Team.Kind.TWO_LEVEL_SUPPORT, 8),
    PlannedTeam("28756", "Tổ công nghệ số cộng đồng phường Phú Khương", Team.Kind.DIGITAL_TECH, 10),
    PlannedTeam("28789", "Thanh niên chuyển đổi số phường Bến Tre", Team.Kind.DIGITAL_YOUTH, 9),
]
THANH_HOA_TEAMS = 2  # two-level-government support teams in the first communes of Thanh Hóa (38)

CONSULTING_MEMBERS = [
    ("Sở Thông tin và Truyền thông tỉnh Đồng Tháp", "Cơ quan thường trực chuyên môn"),
    ("VNPT Đồng Tháp", "Hạ tầng, nền tảng số"),
    ("Viettel Đồng Tháp", "Hạ tầng, nền tảng số"),
    ("Bưu điện tỉnh Đồng Tháp", "Dịch vụ công qua bưu chính"),
]

ACTIVITY_TITLES = {
    Activity.Kind.COMMUNICATION: ["Tuyên truyền cài đặt VNeID", "Phát tờ rơi dịch vụ công trực tuyến"],
    Activity.Kind.TRAINING: [
        "Lớp Bình dân học vụ số cho người cao tuổi",
        "Tập huấn thanh toán không dùng tiền mặt",
    ],
    Activity.Kind.DIGITAL_STREET: ["Tuyến phố công nghệ số: gắn mã QR cho hộ kinh doanh"],
    Activity.Kind.COMMUNITY_VISIT: ["Đến từng hộ hướng dẫn kích hoạt định danh mức 2"],
}


def _person(rng: random.Random, used_phones: set[str]) -> dict:
    female = rng.random() < 0.55
    phone = ""
    while not phone or phone in used_phones:
        phone = rng.choice(["09", "08", "03", "07"]) + f"{rng.randrange(10**8):08d}"
    used_phones.add(phone)
    return {
        "family_name": rng.choice(FAMILY),
        "middle_name": rng.choice(MIDDLE_F if female else MIDDLE_M),
        "given_name": rng.choice(GIVEN_F if female else GIVEN_M),
        "birth_year": rng.randint(1992, 2007),
        "sex": Volunteer.Sex.FEMALE if female else Volunteer.Sex.MALE,
        "phone": phone,
    }


def _agreement(title_start: str):
    from partnerships.models import Agreement

    return Agreement.objects.filter(title__startswith=title_start).first() if title_start else None


def _team(unit: OrgUnit, plan: PlannedTeam) -> tuple[Team, bool]:
    team = Team.objects.filter(org_unit=unit, name=plan.name).first()
    if team is None and plan.name == MY_THO_TEAM:
        # An older demo put the team under Đoàn phường Mỹ Tho from 2025: moved to the city union
        # that founded it in 2023 (article 001).
        team = Team.objects.filter(org_unit__code="28261", name=plan.name).first()
    fields = {"founded_on": plan.founded_on, "is_illustrative": plan.illustrative}
    agreement = _agreement(plan.agreement)
    if team is not None:
        changed = {name: value for name, value in fields.items() if getattr(team, name) != value}
        if team.org_unit_id != unit.pk:
            changed["org_unit"] = unit
        if agreement is not None and not team.agreements.filter(pk=agreement.pk).exists():
            changed["agreements"] = [*team.agreements.all(), agreement]  # a team may serve several
        if changed:
            services.team_update(by=None, team=team, **changed)
        return team, False
    return services.team_create(
        by=None,
        org_unit=unit,
        name=plan.name,
        kind=plan.kind,
        contact_name="Văn phòng Đoàn",
        agreements=[agreement] if agreement else [],
        **fields,
    ), True


def _members(rng, team: Team, count: int, leader_user: User | None, skills, today) -> None:
    used = set(Volunteer.objects.filter(home_unit=team.org_unit).values_list("phone", flat=True))
    joined = _last_day(team, today) - datetime.timedelta(days=200)
    joined = max(joined, team.founded_on or joined)  # never before the founding
    if leader_user is not None:
        leader = Volunteer.objects.filter(user=leader_user).first() or services.volunteer_create(
            by=None,
            home_unit=team.org_unit,
            family_name=leader_user.last_name,
            middle_name=leader_user.first_name.rsplit(" ", 1)[0] if " " in leader_user.first_name else "",
            given_name=leader_user.first_name.rsplit(" ", 1)[-1],
            phone="0907" + f"{rng.randrange(10**6):06d}",
            consent_on=joined,
            consent_purpose=CONSENT,
            user=leader_user,
        )
        services.membership_create(
            by=None, team=team, volunteer=leader, role=Membership.Role.LEADER, joined_on=joined
        )
    for n in range(count - (1 if leader_user else 0)):
        role = Membership.Role.LEADER if (n == 0 and leader_user is None) else Membership.Role.MEMBER
        if n in (1, 2):
            role = Membership.Role.DEPUTY
        volunteer = services.volunteer_create(
            by=None,
            home_unit=team.org_unit,
            consent_on=joined,
            consent_purpose=CONSENT,
            skills=rng.sample(skills, rng.randint(0, 2)),
            **_person(rng, used),
        )
        services.membership_create(
            by=None,
            team=team,
            volunteer=volunteer,
            role=role,
            joined_on=joined + datetime.timedelta(days=rng.randint(0, 60)),
        )
        if rng.random() < 0.4:
            services.training_record(
                by=None,
                volunteer=volunteer,
                course=COURSE,
                completed_on=joined + datetime.timedelta(days=rng.randint(5, 90)),
            )


def _last_day(team: Team, today: datetime.date) -> datetime.date:
    """The last day a team's demo facts may fall on: today, or the day its unit was dissolved."""
    valid_to = team.org_unit.valid_to
    return min(today, valid_to) if valid_to else today


def _activities(rng, team: Team, today: datetime.date, weeks: int = 16) -> int:
    created = 0
    last = _last_day(team, today)
    for n in range(weeks * 2):
        day = last - datetime.timedelta(days=rng.randint(0, weeks * 7))
        day = max(day, team.founded_on or day)  # never before the founding
        kind = rng.choice(list(ACTIVITY_TITLES))
        volunteers = rng.randint(3, 10)
        _activity, new = services.activity_create(
            by=None,
            team=team,
            idempotency_key=uuid.uuid5(KEY_NAMESPACE, f"{team.org_unit.code}/{team.name}/{n}"),
            date=day,
            kind=kind,
            title=rng.choice(ACTIVITY_TITLES[kind]),
            place=rng.choice(["Nhà văn hóa khu phố", "Bộ phận một cửa phường", "Chợ phường", "Trường THPT"]),
            participants=rng.randint(15, 120),
            volunteers_count=volunteers,
            volunteer_hours=Decimal(volunteers * rng.choice([2, 3, 4])),
            note="",
        )
        created += new
    return created


def _report_author(team: Team, leader):
    """Who files the team's reports in the demo: its leader's account, else the province's staff
    (else the administrator), so no report reads "by —"."""
    if leader is not None:
        return leader
    segments = team.org_unit.path.strip("/").split("/")
    above = ["/" + "/".join(segments[:n]) + "/" for n in range(1, len(segments) + 1)]
    staff = (
        RoleAssignment.objects.filter(role=Role.PROVINCE_STAFF, org_unit__path__in=above)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return staff.user if staff else User.objects.filter(is_superuser=True).order_by("pk").first()


def _weekly_reports(rng, team: Team, today: datetime.date, author) -> None:
    for weeks_ago in range(1, 9):
        if rng.random() < 0.8:
            year, week, _day = (today - datetime.timedelta(weeks=weeks_ago)).isocalendar()
            # Filed on the Friday or Saturday evening of the week, as leaders do (its own seed, so
            # the demo's main random sequence is the same as before).
            when = random.Random(f"{team.name}/{year}/{week}")  # noqa: S311 - demo data
            day = datetime.date.fromisocalendar(year, week, when.choice([5, 6]))
            at = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(when.randint(16, 21), when.randint(0, 59)))
            )
            services.weekly_report_submit(by=author, team=team, iso_year=year, iso_week=week, submitted_at=at)


@transaction.atomic
def seed(*, password: str) -> str:
    rng = random.Random(SEED)  # noqa: S311 - demo data, fixed seed on purpose
    today = timezone.localdate()
    skills = services.skills_from_names(SKILLS)
    teams_new = activities_new = 0
    plan = list(TEAMS)
    thanh_hoa = OrgUnit.objects.filter(parent__code="38", valid_to__isnull=True).order_by("code")[
        :THANH_HOA_TEAMS
    ]
    for unit in thanh_hoa:
        name = f"Đội hỗ trợ chính quyền hai cấp {unit.name.removeprefix('Đoàn ')}"
        plan.append(PlannedTeam(unit.code, name, Team.Kind.TWO_LEVEL_SUPPORT, 8))
    units = OrgUnit.objects.in_bulk([p.unit for p in plan], field_name="code")
    for item in plan:
        unit = units.get(item.unit)
        if unit is None:
            continue
        team, created = _team(unit, item)
        dissolved = unit.valid_to is not None and unit.valid_to < today
        if created:
            teams_new += 1
            leader = User.objects.filter(username=item.leader).first() if item.leader else None
            _members(rng, team, item.members, leader, skills, today)
            if not dissolved:  # weekly reports are this year's; a dissolved unit's team files none
                _weekly_reports(rng, team, today, _report_author(team, leader))
        if item.kind == Team.Kind.CONSULTING:
            _consulting(team)
        elif item.name != DISTRICT_TEAM:  # the district teams: members only, no invented work
            activities_new += _activities(rng, team, today)
    total = Team.objects.count()
    return f"{total} volunteer teams ({teams_new} new), {activities_new} new activities"


def _consulting(team: Team) -> None:
    """Organisations as members (article 002: "có các thành viên là Sở Thông tin và Truyền thông, Ban
    Thường vụ Tỉnh đoàn, Viettel Đồng Tháp, VNPT Đồng Tháp, Bưu điện Tỉnh"; the Tỉnh đoàn is the
    team's own unit)."""
    from partnerships.models import Partner

    for name, role in CONSULTING_MEMBERS:
        partner = Partner.objects.filter(name=name).first() or Partner.objects.filter(short_name=name).first()
        if partner is not None:
            services.team_organisation_add(by=None, team=team, partner=partner, role=role)
