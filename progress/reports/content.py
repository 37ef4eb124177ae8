"""What the periodic report says, once, for both of its forms (the PDF and the Word file).

``report_content`` reads the rollup's rows (never the facts) and returns text ready to print: numbers
formatted as on the dashboard, dates dd/mm/yyyy, headings in the user's language. The renderers only
lay it out, so the two files cannot disagree.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import Action, can
from egov_support import selectors as egov_selectors
from org.models import OrgUnit
from partnerships.models import Target
from progress import selectors
from progress.models import Progress, TargetStatus
from progress.reports.period import ReportPeriod
from reporting import selectors as reporting_selectors
from reporting.periods import Period as ReportingPeriod

MOTTO = "ĐOÀN TNCS HỒ CHÍ MINH"
DASH = "—"
BEHIND = (TargetStatus.Status.OFF_TRACK, TargetStatus.Status.AT_RISK)


@dataclass
class KpiLine:
    """An indicator of the unit over the period, against its nearest target."""

    name: str
    value: str
    target: str
    deadline: str
    status: str


@dataclass
class TargetLine:
    """One target of an agreement: what the period added, where it stands so far."""

    indicator: str
    target: str
    deadline: str
    period_value: str
    so_far: str
    status: str
    status_code: str


@dataclass
class AgreementResults:
    title: str
    lines: list[TargetLine]


@dataclass
class LaggingLine:
    behind: str  # "Chậm: A; B" and/or "Có nguy cơ: C"
    count: str  # "— 40 đơn vị:"
    units: str  # "X, Y, Z."


@dataclass
class AppendixRow:
    name: str
    dissolved: bool
    cells: list[str]


@dataclass
class ReportContent:
    unit: OrgUnit
    period: ReportPeriod
    issuer_lines: list[str]  # top left, the unit's own body last (bold)
    motto: str
    number: str
    date_line: str
    title: str
    subtitle: str
    computed: str
    situation: list[str]
    official_kpis: list[KpiLine]
    volunteer_kpis: list[KpiLine]
    agreements: list[AgreementResults]
    lagging: list[LaggingLine]
    # Communes under the unit that have not reported the period's last month so far (lane e23's
    # status); None when the user does not log for the unit, so cannot see who reported.
    not_reporting: str | None
    campaigns: list[str]  # one line per campaign of the unit running during the period (lane c22)
    proposals: list[str]
    note: str
    recipients: list[str]
    sign_on_behalf: str
    sign_title: str
    sign_name: str
    appendix_headers: list[str] = field(default_factory=list)
    appendix: list[AppendixRow] = field(default_factory=list)

    # Headings, numbered as printed; the same in both files.
    @property
    def headings(self) -> dict[str, str]:
        return {
            "situation": _("I. Overall situation"),
            "official": _("1. Official outcomes"),
            "volunteer": _("2. Volunteer outputs"),
            "agreements": _("II. Results against the agreements' targets"),
            "lagging": _("III. Units lagging behind or not reporting"),
            "campaigns": _("IV. Campaigns"),
            "proposals": _("V. Proposals"),
            "recipients": _("Recipients:"),
            "appendix": _("Appendix: the units under it"),
        }

    @property
    def kpi_tables(self) -> list[tuple[str, list[KpiLine]]]:
        return [
            (self.headings["official"], self.official_kpis),
            (self.headings["volunteer"], self.volunteer_kpis),
        ]

    @property
    def empty(self) -> dict[str, str]:
        """What a section says when it has nothing to list."""
        return {
            "agreements": _("No target of an agreement for this unit runs in this period."),
            "lagging": _("No unit under it is behind."),
            "campaigns": _("No campaign of this unit runs in this period."),
        }

    @property
    def kpi_headers(self) -> list[str]:
        return [_("Indicator"), self.period_column, _("Target value"), _("Deadline"), _("Status")]

    @property
    def target_headers(self) -> list[str]:
        return [
            _("Indicator"),
            _("Target value"),
            _("Deadline"),
            self.period_column,
            _("So far"),
            _("Status"),
        ]

    @property
    def period_column(self) -> str:
        return _("Result in %(period)s") % {"period": self.period.label}


def issuer_name(unit: OrgUnit) -> str:
    """The body that issues the unit's documents, as union letterheads write it:
    "Tỉnh đoàn Vĩnh Long" -> "BCH ĐOÀN TỈNH VĨNH LONG"; "Đoàn phường An Hội" -> "BCH ĐOÀN PHƯỜNG AN HỘI"."""
    if unit.kind == OrgUnit.Kind.CENTRAL:
        return "BAN CHẤP HÀNH TRUNG ƯƠNG"
    for prefix, body in (("Tỉnh đoàn ", "ĐOÀN TỈNH "), ("Thành đoàn ", "ĐOÀN TP. ")):
        if unit.name.startswith(prefix):
            return f"BCH {body}{unit.name[len(prefix) :]}".upper()
    return f"BCH {unit.name}".upper()


def number_line(unit: OrgUnit) -> str:
    """ "Số: …-BC/TĐTN": the office fills in the number when it issues the report."""
    suffix = {OrgUnit.Kind.PROVINCE: "TĐTN", OrgUnit.Kind.CENTRAL: "TWĐTN"}.get(unit.kind, "ĐTN")
    return f"Số: …-BC/{suffix}"


def date_line(unit: OrgUnit, day: datetime.date) -> str:
    """ "Vĩnh Long, ngày 07 tháng 12 năm 2026": the unit's place and the day the report is made."""
    return _("%(place)s, %(d)s/%(m)s/%(y)s") % {
        "place": unit.place,
        "d": f"{day:%d}",
        "m": f"{day:%m}",
        "y": f"{day:%Y}",
    }


def _number(value, *, percent: bool, digits: str = "-1g") -> str:
    if value is None:
        return DASH
    return floatformat(value, digits) + ("%" if percent else "")


def _day(day: datetime.date | None) -> str:
    return date_format(day, "d/m/Y") if day else DASH


def report_content(
    *, user, unit: OrgUnit, period: ReportPeriod, today: datetime.date | None = None
) -> ReportContent:
    """The report of ``unit`` for ``period`` as ``user`` may see it (404 outside the view scope):
    the unit's indicators over the period, its agreements' targets, the units under it that lag, and
    the letterhead, recipients and signature from the unit's settings."""
    if not can(user, Action.VIEW, unit):
        raise Http404
    today = today or timezone.localdate()
    kpis = selectors.unit_kpis(unit=unit, year=period.start.year, today=today)
    percent = {k.rule.indicator_id: k.is_percent for k in kpis}
    values = _period_values(unit=unit, period=period)
    ranking = selectors.child_ranking(
        user=user,
        unit=unit,
        kpis=kpis,
        year=period.start.year,
        period_kind=period.kind,
        period_start=period.start,
    )
    current = [row for row in ranking if not row.unit.is_dissolved]
    volunteer, official = selectors.split_by_source(kpis)
    agreements = _agreement_results(unit=unit, period=period, values=values, percent=percent)
    lagging = selectors.lagging_groups(ranking=current, kpis=kpis)
    computed_at = selectors.computed_at()
    computed = date_format(timezone.localtime(computed_at), "d/m/Y H:i") if computed_at else DASH
    return ReportContent(
        unit=unit,
        period=period,
        issuer_lines=_issuer_lines(unit),
        motto=MOTTO,
        number=number_line(unit),
        date_line=date_line(unit, today),
        title=_("REPORT"),
        subtitle=_("Results of the digital-transformation programme in %(period)s")
        % {"period": period.label},
        computed=computed,
        situation=_situation(
            unit=unit, period=period, computed=computed, agreements=agreements, ranking=current
        ),
        official_kpis=[_kpi_line(k, values) for k in official],
        volunteer_kpis=[_kpi_line(k, values) for k in volunteer],
        agreements=agreements,
        lagging=[_lagging_line(group) for group in lagging],
        campaigns=_campaigns(user=user, unit=unit, period=period, percent=percent),
        not_reporting=_not_reporting(user=user, unit=unit, period=period, today=today),
        proposals=_proposals(agreements=agreements, lagging=lagging),
        note=_(
            "Rates are Σ numerators ÷ Σ denominators over the unit's whole subtree. "
            "Status: linear projection of the pace so far to the deadline; at risk within 10%%."
        ).replace("%%", "%"),
        recipients=_recipients(unit),
        sign_on_behalf=_("ON BEHALF OF THE STANDING COMMITTEE"),
        sign_title=(unit.signer_title or _("Secretary")).upper(),
        sign_name=unit.signer_name or "……………………………",
        appendix_headers=[_("Unit")] + [str(k.rule.indicator.name) for k in kpis],
        appendix=[
            AppendixRow(
                name=row.unit.name + (f" ({_('dissolved')})" if row.unit.valid_to else ""),
                dissolved=bool(row.unit.valid_to),
                cells=[_number(row.values[k.code][0], percent=k.is_percent) for k in kpis],
            )
            for row in ranking
        ],
    )


def _issuer_lines(unit: OrgUnit) -> list[str]:
    parent = unit.parent
    if parent is None or parent.kind == OrgUnit.Kind.CENTRAL:
        return [issuer_name(unit)]
    return [issuer_name(parent), issuer_name(unit)]


def _period_values(*, unit: OrgUnit, period: ReportPeriod) -> dict[int, Progress]:
    rows = Progress.objects.filter(org_unit=unit, period_kind=period.kind, period_start=period.start)
    return {row.indicator_id: row for row in rows}


def _kpi_line(kpi: selectors.Kpi, values: dict[int, Progress]) -> KpiLine:
    row = values.get(kpi.rule.indicator_id)
    return KpiLine(
        name=str(kpi.rule.indicator.name),
        value=_number(row.value if row else None, percent=kpi.is_percent),
        target=_number(kpi.target.target_value, percent=kpi.is_percent, digits="-2g") if kpi.target else DASH,
        deadline=_day(kpi.target.deadline) if kpi.target else DASH,
        status=kpi.status.get_status_display() if kpi.status else DASH,
    )


def _agreement_results(
    *, unit: OrgUnit, period: ReportPeriod, values: dict[int, Progress], percent: dict[int, bool]
) -> list[AgreementResults]:
    """The unit's own targets under agreements in force during the period, grouped by agreement;
    a target whose deadline passed before the period began is done with and left out."""
    targets = (
        Target.objects.filter(
            org_unit=unit,
            objective__agreement__start_date__lte=period.end,
            deadline__gte=period.start,
        )
        .select_related("indicator", "objective__agreement", "progress_status")
        .order_by(
            "objective__agreement__start_date",
            "objective__agreement_id",
            "objective__number",
            "deadline",
            "pk",
        )
    )
    blocks: dict[int, AgreementResults] = {}
    for target in targets:
        agreement = target.objective.agreement
        block = blocks.setdefault(
            agreement.pk,
            AgreementResults(
                title=f"{agreement.code} — {agreement.title}" if agreement.code else agreement.title, lines=[]
            ),
        )
        is_percent = percent.get(target.indicator_id, False)
        row = values.get(target.indicator_id)
        status = getattr(target, "progress_status", None)
        block.lines.append(
            TargetLine(
                indicator=str(target.indicator.name),
                target=_number(target.target_value, percent=is_percent, digits="-2g"),
                deadline=_day(target.deadline),
                period_value=_number(row.value if row else None, percent=is_percent),
                so_far=_number(status.value if status else None, percent=is_percent),
                status=status.get_status_display() if status else _("Not computed yet"),
                status_code=status.status if status else "",
            )
        )
    return list(blocks.values())


def _lagging_line(group: selectors.LaggingGroup) -> LaggingLine:
    parts = []
    if group.reds:
        parts.append(f"{_('Behind')}: {'; '.join(group.reds)}")
    if group.ambers:
        parts.append(f"{_('At risk')}: {'; '.join(group.ambers)}")
    count = len(group.units)
    return LaggingLine(
        behind=". ".join(parts),
        count=ngettext("— %(count)s unit:", "— %(count)s units:", count) % {"count": count},
        units=", ".join(u.name for u in group.units) + ".",
    )


def _campaigns(*, user, unit: OrgUnit, period: ReportPeriod, percent: dict[int, bool]) -> list[str]:
    """Campaigns the unit organises or takes part in that overlap the period: their work and targets."""
    campaigns = (
        egov_selectors.campaign_list(user=user)
        .filter(Q(org_unit=unit) | Q(participating_units=unit))
        .filter(starts_on__lte=period.end, ends_on__gte=period.start)
        .distinct()
        .order_by("starts_on", "pk")
    )
    lines = []
    for n, campaign in enumerate(campaigns, start=1):
        work = egov_selectors.campaign_work(campaign=campaign)
        targets = "; ".join(
            f"{t.indicator.name} {_number(getattr(t, 'progress_status', None) and t.progress_status.value, percent=percent.get(t.indicator_id, False))}"
            f"/{_number(t.target_value, percent=percent.get(t.indicator_id, False), digits='-2g')}"
            for t in egov_selectors.campaign_targets(campaign=campaign)
            if t.org_unit_id == unit.pk
        )
        line = _(
            "%(n)s. %(name)s (%(start)s–%(end)s): %(sessions)s help sessions, %(assisted)s citizens helped."
        ) % {
            "n": n,
            "name": campaign.name,
            "start": _day(campaign.starts_on),
            "end": _day(campaign.ends_on),
            "sessions": work["sessions"],
            "assisted": _number(work["assisted"], percent=False),
        }
        if targets:
            line += " " + _("Targets (so far/target): %(targets)s.") % {"targets": targets}
        lines.append(line)
    return lines


def _not_reporting(*, user, unit: OrgUnit, period: ReportPeriod, today: datetime.date) -> str | None:
    if not can(user, Action.LOG, unit):
        return None
    month = ReportingPeriod.month_of(min(period.end, today))
    rows = reporting_selectors.reporting_status(user=user, period=month, unit=unit, status="unreported")
    if not rows:
        return _("Every commune has reported for %(month)s.") % {"month": month.label}
    names = ", ".join(row.unit.name for row in rows)
    return _("Not reported for %(month)s (%(count)s communes): %(names)s.") % {
        "month": month.label,
        "count": len(rows),
        "names": names,
    }


def _situation(*, unit, period, computed, agreements, ranking) -> list[str]:
    lines = [
        _(
            "Figures of %(unit)s and the units under it for %(period)s, from the portal's rollup "
            "computed at %(computed)s."
        )
        % {"unit": unit.name, "period": period.label, "computed": computed}
    ]
    targets = [line for block in agreements for line in block.lines]
    if targets:
        behind = sum(1 for line in targets if line.status_code in BEHIND)
        lines.append(
            _("Of %(total)s targets of %(agreements)s agreements, %(behind)s are behind or at risk.")
            % {"total": len(targets), "agreements": len(agreements), "behind": behind}
        )
    if ranking:
        lines.append(_("Units directly under it: %(count)s.") % {"count": len(ranking)})
    return lines


def _proposals(*, agreements, lagging) -> list[str]:
    behind = sorted(
        {line.indicator for block in agreements for line in block.lines if line.status_code in BEHIND}
    )
    proposals = []
    if behind:
        proposals.append(
            _("Concentrate the coming period on the targets behind: %(indicators)s.")
            % {"indicators": "; ".join(behind)}
        )
    if lagging:
        proposals.append(_("Units on track help the lagging units listed in section III."))
    proposals.append(_("(Further proposals: to be completed by the office before the report is sent.)"))
    return proposals


def _recipients(unit: OrgUnit) -> list[str]:
    lines = []
    if unit.parent is not None:
        lines.append(_("- %(unit)s (to report);") % {"unit": unit.parent.name})
    lines.append(_("- The standing committee;"))
    lines.append(_("- Filed: office."))
    return lines
