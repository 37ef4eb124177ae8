"""National-size data for load tests and EXPLAIN: ``manage.py seed_scale``.

Teams, volunteers, memberships, help sessions and their lines come from the rollup bench's generator
(``devtools.bench``: server-side ``INSERT ... SELECT generate_series`` with ``setseed`` on PostgreSQL,
``bulk_create`` elsewhere), so the two commands load the same shape of data. This module adds what the
pages also show: activities, 24 months of official statistics per commune, agreements per province with
parties, objectives and targets, the demo logins, and (optionally) the progress rollup.

Rows/s per table are measured without touching the generator: an ``execute_wrapper`` times every
statement and attributes its ``rowcount`` to the table it inserts into.
"""

import datetime
import io
import random
import re
import time
from collections import defaultdict
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts import demo as accounts_demo
from core.collation import person_sort_key
from core.text import fold
from devtools import bench
from egov_support.models import HelpSession, ServiceLine, ServiceStatistic
from org.models import OrgUnit
from org.services import org_units_load_real_tree
from partnerships.models import Agreement, AgreementParty, Indicator, Objective, Partner, Target
from progress import rollup, sql
from volunteers.models import Activity, Membership, Team, Volunteer

SCALE_NOTE = "seed_scale"  # marks the statistics this command owns
AGREEMENT_PREFIX = "[scale] "
PARTNERS = [
    ("Tập đoàn Bưu chính Viễn thông Việt Nam", "VNPT"),
    ("Tập đoàn Công nghiệp - Viễn thông Quân đội", "Viettel"),
    ("Tổng công ty Bưu điện Việt Nam", "Vietnam Post"),
]
TARGET_INDICATORS = ("online_service_rate", "citizens_assisted", "teams_active", "volunteer_hours")
_COLUMNS = re.compile(r"INSERT\s+INTO\s+\S+\s*\(([^)]*)\)", re.IGNORECASE)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\"?([a-z0-9_]+)\"?", re.IGNORECASE)


def _inserted(rowcount: int, statement: str, params) -> int:
    """Rows an INSERT wrote; with RETURNING, SQLite reports no count before the fetch: count the VALUES."""
    if rowcount > 0:
        return rowcount
    columns = _COLUMNS.search(statement)
    if not columns or not params:
        return 0
    return len(params) // len(columns.group(1).split(","))


class InsertTimer:
    """``connection.execute_wrapper``: seconds and rows of every INSERT, per table."""

    def __init__(self):
        self.rows: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, execute, statement, params, many, context):
        match = _INSERT.match(statement)
        started = time.perf_counter()
        result = execute(statement, params, many, context)
        if match:
            table = match.group(1)
            self.seconds[table] += time.perf_counter() - started
            self.rows[table] += _inserted(context["cursor"].rowcount, statement, params)
        return result

    def figures(self) -> list[dict]:
        return [
            {
                "table": table,
                "rows": rows,
                "seconds": round(self.seconds[table], 3),
                "rows_per_second": round(rows / self.seconds[table]) if self.seconds[table] else None,
            }
            for table, rows in self.rows.items()
            if rows
        ]


def _bulk_insert(model, rows: list, timer: "InsertTimer") -> None:
    """COPY on PostgreSQL (several times bulk_create's speed), bulk_create elsewhere."""
    if not rows:
        return
    if not sql.is_postgres():
        model.objects.bulk_create(rows, batch_size=5_000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    for row in rows:
        values = []
        for field in fields:
            value = field.get_db_prep_save(field.pre_save(row, add=True), connection)
            values.append(
                r"\N"
                if value is None
                else str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
            )
        buffer.write("\t".join(values) + "\n")
    buffer.seek(0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)
    timer.seconds[model._meta.db_table] += time.perf_counter() - started
    timer.rows[model._meta.db_table] += len(rows)


def run(
    *,
    sessions: int,
    teams: int,
    volunteers: int,
    months: int,
    seed: int,
    activities_per_team: int,
    agreements_per_province: int,
    password: str,
    rollup_after: bool,
    stdout,
) -> dict:
    """Replace the scale tables' content with a fresh generated dataset; return the figures."""
    if not sql.is_postgres() and sessions > bench.SQLITE_MAX_SESSIONS:
        raise CommandError(
            f"SQLite is only for a smoke run (at most {bench.SQLITE_MAX_SESSIONS:,} sessions). "
            "Set DATABASE_URL=postgres://... for national scale."
        )
    today = timezone.localdate()
    first_month = rollup.add_months(rollup.month_start(today), -(months - 1))
    timer = InsertTimer()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        org_units_load_real_tree()
        _refuse_real_data()
        _reset_own()
        bench._reset()
        stdout.write("teams, volunteers, memberships, help sessions and lines ...")
        if sql.is_postgres():
            bench._generate_postgres(sessions, teams, volunteers, seed, first_month, today)
        else:
            bench._generate_orm(sessions, teams, volunteers, seed, first_month, today)
        _fix_volunteer_names()
        stdout.write("activities, statistics, agreements, demo logins ...")
        rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible by design)
        _activities(rng, activities_per_team, first_month, today, timer)
        _statistics(rng, first_month, months, timer)
        _agreements(rng, agreements_per_province, first_month, today)
        accounts_demo.seed(password=password)
        if sql.is_postgres() and not connection.in_atomic_block:  # VACUUM cannot run in a transaction
            with connection.cursor() as cursor:
                for model in (Activity, ServiceStatistic, Agreement, AgreementParty, Objective, Target):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    figures: dict = {
        "vendor": connection.vendor,
        "seed": seed,
        "load_seconds": round(time.perf_counter() - started, 2),
        "tables": timer.figures(),
        "counts": counts(),
    }
    if rollup_after:
        stdout.write("progress rollup ...")
        started = time.perf_counter()
        result = rollup.rollup_full(today=today)
        figures["rollup_seconds"] = round(time.perf_counter() - started, 2)
        figures["progress_rows_written"] = result.rows_written
    return figures


def counts() -> dict[str, int]:
    return {
        "org_units": OrgUnit.objects.count(),
        "teams": Team.objects.count(),
        "volunteers": Volunteer.objects.count(),
        "memberships": Membership.objects.count(),
        "help_sessions": HelpSession.objects.count(),
        "service_lines": ServiceLine.objects.count(),
        "activities": Activity.objects.count(),
        "statistics": ServiceStatistic.objects.count(),
        "agreements": Agreement.objects.count(),
        "agreement_parties": AgreementParty.objects.count(),
        "objectives": Objective.objects.count(),
        "targets": Target.objects.count(),
    }


def _refuse_real_data() -> None:
    """The command owns the tables it empties: never run it on a database with real work in it."""
    if ServiceStatistic.objects.exclude(note=SCALE_NOTE).exists():
        raise CommandError("This database has real official statistics: seed a dedicated database.")
    if Agreement.objects.exclude(title__startswith=AGREEMENT_PREFIX).exists():
        raise CommandError("This database has real agreements: seed a dedicated database.")


def _reset_own() -> None:
    """Empty what this module adds (before the bench empties teams, which activities point at).

    Raw deletes: the ORM's would write a history row per deleted statistic (simple-history).
    """
    from progress.models import TargetStatus

    tables = [
        "volunteers_activityphoto",
        Activity._meta.db_table,
        "volunteers_weeklyreport",
        "volunteers_teamorganisation",
        TargetStatus._meta.db_table,
        "partnerships_commitment",
        Target._meta.db_table,
        Objective._meta.db_table,
        AgreementParty._meta.db_table,
        "partnerships_remindersent",
        Agreement._meta.db_table,
        ServiceStatistic._meta.db_table,
        "partnerships_historicalagreement",
        "partnerships_historicalagreementparty",
        "partnerships_historicalobjective",
        "partnerships_historicaltarget",
        "egov_support_historicalservicestatistic",
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (table names from the models)


def _fix_volunteer_names() -> None:
    """The bench's volunteers are 'Nguyễn Văn TNV<n>': give them the search and sort keys the pages use."""
    table = Volunteer._meta.db_table
    # Digits sort as themselves and carry no tone mark, so one key with a placeholder fits every row.
    head, tail = person_sort_key("TNV7", "Nguyễn", "Văn").split("7")
    number = "substr(given_name, 4)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET search_name = %s || {number}, sort_name = %s || {number} || %s",  # noqa: S608
            [fold("Nguyễn Văn TNV"), head, tail],
        )


def _activities(
    rng: random.Random, per_team: int, first_month: datetime.date, today: datetime.date, timer: InsertTimer
) -> None:
    kinds = [k for k, _ in Activity.Kind.choices]
    teams = Team.objects.order_by("pk").values_list("pk", "founded_on", "dissolved_on")
    batch = []
    for team_id, founded, dissolved in teams:
        # While the team works: never before its founding, nor after its dissolution.
        since = founded or first_month
        days = ((dissolved or today) - since).days
        for n in range(per_team):
            batch.append(
                Activity(
                    team_id=team_id,
                    date=since + datetime.timedelta(days=rng.randrange(days + 1)),
                    kind=kinds[n % len(kinds)],
                    title=f"Hoạt động {n + 1}",
                    participants=rng.randrange(5, 200),
                    volunteers_count=rng.randrange(2, 20),
                    volunteer_hours=Decimal(rng.randrange(4, 80)),
                )
            )
        if len(batch) >= 20_000:
            _bulk_insert(Activity, batch, timer)
            batch = []
    _bulk_insert(Activity, batch, timer)


def _statistics(rng: random.Random, first_month: datetime.date, months: int, timer: InsertTimer) -> None:
    """Official figures per unit and month while the unit exists: each current commune from its
    first month (07/2025 for the reform's communes), the provincial unions the reform dissolved up to
    their last month (their successors' figures before the reform); the online share drifts up."""
    units = list(
        OrgUnit.objects.filter(
            Q(kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True)
            | Q(kind=OrgUnit.Kind.PROVINCE, valid_to__gte=first_month, successor__isnull=False)
        )
        .order_by("pk")
        .values_list("pk", "valid_from", "valid_to")
    )
    rows = []
    for unit_id, valid_from, valid_to in units:
        base = rng.randrange(80, 900)
        share = rng.uniform(0.3, 0.7)
        for m in range(months):
            month = rollup.add_months(first_month, m)
            if (valid_from and month < valid_from.replace(day=1)) or (valid_to and month > valid_to):
                continue
            total = base + rng.randrange(0, 200)
            online = min(total, int(total * min(share + m * 0.01, 0.98)))
            rows.append(
                ServiceStatistic(
                    org_unit_id=unit_id,
                    month=month,
                    dossiers_total=total,
                    dossiers_online=online,
                    online_payments=online // 2,
                    note=SCALE_NOTE,
                )
            )
    _bulk_insert(ServiceStatistic, rows, timer)


def _agreements(
    rng: random.Random, per_province: int, first_month: datetime.date, today: datetime.date
) -> None:
    """Per current province: agreements with a partner, each with 2 parties, 3 objectives, 4 targets."""
    partners = []
    for name, short in PARTNERS:
        partner = Partner.objects.filter(name=name).first() or Partner.objects.create(
            name=name, short_name=short, kind=Partner.Kind.ENTERPRISE
        )
        partners.append(partner)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=TARGET_INDICATORS)}
    provinces = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True).order_by("code")
    )
    statuses = [
        Agreement.Status.ACTIVE,
        Agreement.Status.ACTIVE,
        Agreement.Status.SIGNED,
        Agreement.Status.ENDED,
    ]
    agreements, plan = [], []
    for province in provinces:
        for n in range(per_province):
            partner = partners[n % len(partners)]
            start = first_month.replace(month=1) if n % 2 == 0 else first_month
            title = f"{AGREEMENT_PREFIX}Thỏa thuận hợp tác CĐS {n + 1} giữa {province.name} và {partner.short_name}"
            agreements.append(
                Agreement(
                    code=f"{n + 1:02d}/TTHT-{province.code}",
                    title=title,
                    status=statuses[n % len(statuses)],
                    signed_on=start,
                    start_date=start,
                    end_date=start.replace(year=start.year + 3),
                    summary="Hợp tác chuyển đổi số, hỗ trợ người dân sử dụng dịch vụ công trực tuyến.",
                    search_text=fold(f"{title} {province.name} {partner.name}"),
                )
            )
            plan.append((province, partner))
    agreements = Agreement.objects.bulk_create(agreements)
    parties, objectives = [], []
    for agreement, (province, partner) in zip(agreements, plan, strict=True):
        parties.append(AgreementParty(agreement=agreement, position=1, org_unit=province))
        parties.append(AgreementParty(agreement=agreement, position=2, partner=partner))
        for number, area in enumerate(
            (Objective.Area.choices[0][0], Objective.Area.choices[1][0], Objective.Area.choices[2][0]), 1
        ):
            objectives.append(
                Objective(agreement=agreement, number=number, text=f"Mục tiêu {number}", area=area)
            )
    AgreementParty.objects.bulk_create(parties)
    objectives = Objective.objects.bulk_create(objectives)
    province_of = {a.pk: p for a, (p, _) in zip(agreements, plan, strict=True)}
    end_of = {a.pk: a.end_date for a in agreements}
    targets = []
    for objective in objectives:
        if objective.number != 1:
            continue
        for code in TARGET_INDICATORS:
            indicator = indicators[code]
            targets.append(
                Target(
                    objective=objective,
                    indicator=indicator,
                    org_unit=province_of[objective.agreement_id],
                    target_value=Decimal(
                        rng.randrange(60, 96) if code == "online_service_rate" else rng.randrange(50, 5000)
                    ),
                    deadline=end_of[objective.agreement_id],
                )
            )
    Target.objects.bulk_create(targets)
