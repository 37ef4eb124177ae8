"""Pages: help sessions (log, list, detail, export) and official statistics (list, edit, import)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import Action, can, can_anywhere, get_in_scope_or_404, scope_for
from core.import_flow import ImportFlow
from core.offline import is_offline_sync, queue_owner_checked, refused_response, saved_response
from core.params import filter_values, int_param
from core.tabular import Column, Kind, xlsx_response
from egov_support import selectors, services, statistics_import
from egov_support.forms import (
    DETAIL_FIELDS,
    CampaignActivitiesForm,
    CampaignForm,
    CampaignTargetForm,
    FollowUpContactForm,
    HelpSessionForm,
    ServiceStatisticForm,
    SessionFilterForm,
    StatisticFilterForm,
    StatisticImportForm,
)
from egov_support.models import Campaign, HelpSession, ServiceStatistic
from org.models import OrgUnit
from partnerships.models import Indicator
from signoff.selectors import last_ended_month, lock_reason
from signoff.services import is_month_locked
from volunteers import selectors as volunteer_selectors
from volunteers import services as volunteer_services
from volunteers.forms import WeeklyReportForm
from volunteers.models import Team

PAGE_SIZE = 50
# A session is three lines tall on a phone: 25 a page (the leaders' phones, on mobile data; half the
# rows also halve the page's cost: docs/benchmarks.md).
SESSION_PAGE_SIZE = 25
IMPORT_SESSION_KEY = "egov_statistics_import"


def _filter_units(user, model) -> "OrgUnit":
    """Units a list filter accepts: every unit in view scope, picked by typing (core.widgets.UnitPicker)."""
    return scope_for(user, Action.VIEW).units().order_by("depth", "name")


# --- Help sessions ---------------------------------------------------------------------------


def short_labels(names: dict[int, str], width: int = 30) -> dict[int, str]:
    """Names shortened to ``width`` characters for the session list's badges, kept distinct.

    Two services that shorten to the same label ("Đăng ký khai sinh, đăng ký thường trú…" and
    "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT…") get longer labels, as long as it takes
    to tell them apart (at worst the full names).
    """

    def shorten(name: str, length: int) -> str:
        return name if len(name) <= length else name[: length - 1].rstrip() + "…"

    labels = {pk: shorten(name, width) for pk, name in names.items()}
    length = width
    while length < max((len(name) for name in names.values()), default=0):
        seen: dict[str, list[int]] = {}
        for pk, label in labels.items():
            seen.setdefault(label, []).append(pk)
        clashes = [pks for pks in seen.values() if len(pks) > 1]
        if not clashes:
            break
        length += 10
        for pks in clashes:
            for pk in pks:
                labels[pk] = shorten(names[pk], length)
    return labels


def _session_filter_form(request, data=None) -> SessionFilterForm:
    user = request.user
    scope = scope_for(user, Action.VIEW)
    return SessionFilterForm(
        data,
        units=_filter_units(user, HelpSession),
        teams=scope.filter(Team.objects.all(), "org_unit").order_by("name"),
        services=selectors.service_list(active_only=False),
        campaigns=selectors.campaign_list(user=user),
    )


def _filter_labels(filters: selectors.SessionFilters) -> list[str]:
    """What an applied filter selects, in a few words each: the unit, team, service, campaign, dates."""
    labels = [
        Truncator(str(getattr(choice, "name", choice))).chars(40)
        for choice in (filters.unit, filters.team, filters.service, filters.campaign)
        if choice is not None
    ]
    if filters.date_from or filters.date_to:
        ends = [f"{day:%d/%m/%Y}" if day else "…" for day in (filters.date_from, filters.date_to)]
        labels.append("–".join(ends))
    return labels


@login_required
def session_list(request):
    user = request.user
    form = _session_filter_form(request, request.GET) if request.GET else None  # filters, a page, an export
    filters = selectors.SessionFilters()
    if form is not None:
        filters = selectors.SessionFilters(**{k: v for k, v in filter_values(form).items() if v})
    if request.GET.get("format") == "xlsx":
        return _sessions_xlsx(selectors.help_session_list(user=user, filters=filters), filters=filters)
    totals = selectors.help_session_totals(user=user, filters=filters)
    paginator = Paginator(selectors.help_session_list(user=user, filters=filters), SESSION_PAGE_SIZE)
    paginator.count = totals["sessions"]  # the same sessions, counted with the totals: no COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    labels = short_labels({service.pk: service.name for service in selectors.service_list(active_only=False)})
    for session in page:
        for line in session.lines.all():  # the prefetched lines the template shows
            line.short_label = labels.get(line.service_id, line.service.name)
    context = {
        "form": form,
        # Rendered with its choices when it selects something or says what is wrong (open only then:
        # on a phone an applied filter filled the first screen; its summary names what it selects);
        # otherwise its choices (the province's teams, ≈170) load when it is opened (session_filter).
        "filter_rendered": form is not None and (bool(form.errors) or filters != selectors.SessionFilters()),
        "filter_labels": _filter_labels(filters),
        "page": page,
        "totals": totals,
        "can_log": can_anywhere(user, Action.LOG),
        "export_query": _with_format(request, "xlsx"),
    }
    return render(request, "egov_support/helpsession_list.html", context)


@login_required
@require_GET
def session_filter(request):
    """The list's filter with its choices, fetched when the closed filter is opened (htmx)."""
    return render(request, "egov_support/_session_filter.html", {"form": _session_filter_form(request)})


@login_required
@require_GET
def session_roster(request):
    """The "volunteers present" checkboxes of one team, swapped into the form when the team changes."""
    teams = selectors.teams_for_logging(user=request.user)
    team_id = int_param(request.GET.get("team"))
    if team_id and not teams.filter(pk=team_id).exists():
        raise Http404  # not a team this user may log for
    context = {
        "roster": selectors.roster_for_logging(teams=teams, team=team_id),
        "selected_volunteers": set(request.GET.getlist("volunteers")),
    }
    return render(request, "egov_support/_volunteer_choices.html", context)


def _with_format(request, fmt: str) -> str:
    query = request.GET.copy()
    query["format"] = fmt
    query.pop("page", None)
    return query.urlencode()


def _sessions_xlsx(sessions, *, filters: selectors.SessionFilters):
    """A row per service line, each with its session's number (a pivot table counts sessions by it);
    named after the period it covers when the list is filtered by dates."""
    header = [
        Column(_("Session no."), Kind.TEXT),
        _("Date"),
        Column(_("From"), Kind.TIME),
        Column(_("To"), Kind.TIME),
        _("Team"),
        _("Unit"),
        _("Place"),
        _("Address"),
        _("Campaign"),
        _("Service"),
        Column(_("Citizens assisted"), Kind.INTEGER),
        Column(_("Dossiers submitted online"), Kind.INTEGER),
        Column(_("Successful completions"), Kind.INTEGER),
    ]
    rows = []
    for session in sessions.iterator(chunk_size=2000):
        for line in session.lines.all():
            rows.append(
                [
                    str(session.pk),
                    session.date,
                    session.start_time,
                    session.end_time,
                    session.team.name,
                    session.org_unit.name,
                    session.get_location_kind_display(),
                    session.address,
                    session.campaign.name if session.campaign else "",
                    line.service.name,
                    line.citizens_assisted,
                    line.dossiers_online,
                    line.successful,
                ]
            )
    if filters.date_from or filters.date_to:
        period = "-".join(f"{day:%Y%m%d}" if day else "" for day in (filters.date_from, filters.date_to))
    else:
        period = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(f"buoi-ho-tro-{period}.xlsx", [(_("Help sessions"), header, rows)])


@login_required
@require_http_methods(["GET", "POST"])
@queue_owner_checked
def session_create(request):
    return _session_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    """Correct a logged session on the same phone form (its author and the unit's leaders for 7 days,
    province staff after that: services.can_change_help_session)."""
    session = selectors.help_session_get(user=request.user, pk=pk, action=Action.LOG)
    services.help_session_require_change(request.user, session)
    return _session_form_page(request, session=session)


@login_required
@require_POST
def session_delete(request, pk: int):
    session = selectors.help_session_get(user=request.user, pk=pk, action=Action.LOG)
    try:
        services.help_session_delete(by=request.user, session=session)
    except ValidationError as exc:  # its month is approved and locked
        messages.error(request, " ".join(exc.messages))
        return redirect("egov_support:session_detail", pk=session.pk)
    messages.success(request, _("Help session deleted."))
    return redirect("egov_support:session_list")


def _session_form_page(request, *, session: HelpSession | None = None):
    """The phone form that logs a session, or corrects ``session`` (its team stays)."""
    user = request.user
    if not can_anywhere(user, Action.LOG):
        raise PermissionDenied
    teams = selectors.teams_for_logging(user=user)
    if session is not None:
        teams = Team.objects.filter(pk=session.team_id).select_related("org_unit")
    services_list = list(selectors.service_list())
    kwargs = {
        "user": user,
        "teams": teams,
        "services": services_list,
        "campaigns": selectors.campaign_list(user=user).filter(
            ends_on__gte=timezone.localdate() - datetime.timedelta(days=60)
        ),
    }
    if session is not None:
        kwargs["campaigns"] = selectors.campaign_list(user=user)  # its own campaign, however old
        kwargs["lines_initial"] = {
            (line.service_id, name): getattr(line, name)
            for line in session.lines.all()
            for name in ("citizens_assisted", "dossiers_online", "successful", *DETAIL_FIELDS)
        }
    warning = None
    refused_lock = None  # a save the month's lock refused: its link (the page-wide lock is "lock")
    if request.method == "POST":
        form = HelpSessionForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            if session is None:
                warning = services.help_session_duplicate_warning(
                    team=data["team"],
                    org_unit=data["org_unit"],
                    location_kind=data["location_kind"],
                    address=data["address"],
                    date=data["date"],
                    idempotency_key=data["idempotency_key"],
                )
            if warning and not data["confirm_duplicate"]:
                form.add_error(None, warning.message)
            else:
                fields = {
                    "org_unit": data["org_unit"],
                    "location_kind": data["location_kind"],
                    "address": data["address"],
                    "date": data["date"],
                    "start_time": data["start_time"],
                    "end_time": data["end_time"],
                    "volunteers": data["volunteers"],
                    "campaign": data["campaign"],
                    "notes": data["notes"],
                    "lines": form.lines,
                }
                try:
                    if session is None:
                        created = services.help_session_create(
                            by=user, team=data["team"], idempotency_key=data["idempotency_key"], **fields
                        )
                    else:
                        services.help_session_update(by=user, session=session, **fields)
                except ValidationError as exc:
                    form.apply_service_errors(exc)
                    if is_month_locked(exc):  # the way to the month, beside the reason
                        refused_lock = lock_reason(marks=[(data["org_unit"].pk, data["date"])])
                except PermissionDenied as exc:
                    form.add_error("team", str(exc))
                else:
                    assisted = sum(line["citizens_assisted"] or 0 for line in form.lines)
                    if session is None and is_offline_sync(request):  # the phone's queue: JSON, no page
                        return saved_response(
                            pk=created.pk, url=reverse("egov_support:session_detail", args=[created.pk])
                        )
                    if session is None:
                        messages.success(
                            request, _("Help session logged: %(n)d citizens assisted.") % {"n": assisted}
                        )
                        return redirect("egov_support:session_list")
                    messages.success(
                        request, _("Help session saved: %(n)d citizens assisted.") % {"n": assisted}
                    )
                    return redirect("egov_support:session_detail", pk=session.pk)
        if session is None and is_offline_sync(request):
            link = refused_lock.as_link() if refused_lock else None
            return refused_response(form, _line_errors_for_queue(form), link=link)
    elif session is not None:
        form = HelpSessionForm(initial=HelpSessionForm.initial_from(session), **kwargs)
    else:
        form = HelpSessionForm(initial=HelpSessionForm.initial_for(teams=teams, user=user), **kwargs)
    rows = [
        {
            "service": service,
            "values": {
                name: form.line_value(service, name)
                for name in ("citizens_assisted", "dossiers_online", "successful", *DETAIL_FIELDS)
            },
            "errors": form.line_errors.get(service.pk, {}),
        }
        for service in services_list
    ]
    # The most-used services first; the rest behind "Dịch vụ khác", opened when one of them holds a
    # figure or an error (a correction, or the form shown again with errors).
    common = [service.pk for service in selectors.services_most_used(teams=teams, services=services_list)]
    common_rows = sorted(
        (row for row in rows if row["service"].pk in common), key=lambda row: common.index(row["service"].pk)
    )
    other_rows = [row for row in rows if row["service"].pk not in common]
    context = {
        "form": form,
        "session": session,
        "lock": selectors.help_session_lock(session) if session is not None else None,
        "refused_lock": refused_lock,
        "rows": rows,
        "common_rows": common_rows,
        "other_rows": other_rows,
        "other_open": any(
            row["errors"] or any(value not in (None, "", 0, "0") for value in row["values"].values())
            for row in other_rows
        ),
        "more_open": any(form[name].errors for name in ("volunteers", "campaign", "notes")),
        "detail_fields": DETAIL_FIELDS,
        "duplicates": warning.sessions if warning else [],
        "more_duplicates": bool(warning and warning.more),
        "teams": teams,
        "roster": selectors.roster_for_logging(teams=teams, team=form["team"].value()),
        "team_chosen": bool(form["team"].value()),
        "selected_volunteers": {str(v) for v in (form["volunteers"].value() or [])},
        "team_units": {str(team.pk): team.org_unit_id for team in teams},
        "has_teams": teams.exists(),
    }
    return render(request, "egov_support/helpsession_form.html", context, status=400 if form.errors else 200)


def _line_errors_for_queue(form) -> dict:
    """A refused entry's service rows, named by the inputs the phone fills in again."""
    names = {service.pk: service.name for service in form.services}
    return {
        f"svc-{pk}-{field}": (names.get(pk, ""), [str(text) for text in texts])
        for pk, errors in form.line_errors.items()
        for field, texts in errors.items()
    }


@login_required
def session_detail(request, pk: int):
    session = selectors.help_session_get(user=request.user, pk=pk)
    can_log = can(request.user, Action.LOG, session.team.org_unit)
    contact_form = FollowUpContactForm(
        initial={"purge_on": timezone.localdate() + datetime.timedelta(days=30)}
    )
    if request.method == "POST":
        if not can_log:
            raise Http404
        contact_form = FollowUpContactForm(request.POST)
        if contact_form.is_valid():
            try:
                services.follow_up_contact_add(by=request.user, session=session, **contact_form.cleaned_data)
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    contact_form.add_error(key if key in contact_form.fields else None, errors)
            else:
                messages.success(request, _("Follow-up contact kept until the date you chose."))
                return redirect("egov_support:session_detail", pk=session.pk)
    can_change = services.can_change_help_session(request.user, session)
    lock = selectors.help_session_lock(session) if can_change else None
    context = {
        "session": session,
        "can_log": can_log,
        "can_change": can_change and lock is None,
        "lock": lock,
        "changeable_until": services.help_session_changeable_until(session),
        "contact_form": contact_form,
        "contacts": session.contacts.all() if can_log else [],
        "history_rows": selectors.help_session_history(session=session)
        if can(request.user, Action.MANAGE, session.org_unit)
        else None,
    }
    return render(
        request, "egov_support/helpsession_detail.html", context, status=400 if contact_form.errors else 200
    )


# --- Official statistics -------------------------------------------------------------------


@login_required
def statistic_list(request):
    user = request.user
    form = StatisticFilterForm(request.GET or None, units=_filter_units(user, ServiceStatistic))
    filters = filter_values(form)
    statistics = selectors.service_statistic_list(
        user=user,
        unit=filters.get("unit"),
        month_from=filters.get("month_from"),
        month_to=filters.get("month_to"),
        source=filters.get("source") or None,
    )
    page = Paginator(statistics, PAGE_SIZE).get_page(request.GET.get("page"))
    manage_scope = scope_for(user, Action.MANAGE)
    context = {
        "form": form,
        "page": page,
        "by_month": selectors.statistics_by_month(statistics),
        "totals": selectors.statistics_totals(statistics),
        "can_manage": not manage_scope.is_empty,
        "manage_scope": manage_scope,
    }
    return render(request, "egov_support/statistic_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def statistic_edit(request, pk: int | None = None):
    user = request.user
    if not can_anywhere(user, Action.MANAGE):
        raise PermissionDenied
    instance = selectors.service_statistic_get(user=user, pk=pk, action=Action.MANAGE) if pk else None
    form = ServiceStatisticForm(request.POST or None, instance=instance, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _statistic, status = services.service_statistic_save(
                by=user,
                org_unit=instance.org_unit if instance else data["org_unit"],
                month=instance.month if instance else data["month"],
                source=instance.source if instance else data["source"],
                dossiers_total=data["dossiers_total"],
                dossiers_online=data["dossiers_online"],
                online_payments=data["online_payments"],
                note=data["note"],
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            messages.success(request, _("Statistics saved (%(status)s).") % {"status": _(status)})
            return redirect("egov_support:statistic_list")
    return render(
        request,
        "egov_support/statistic_form.html",
        {
            "form": form,
            "statistic": instance,
            "history_rows": selectors.service_statistic_history(statistic=instance) if instance else None,
            "lock": lock_reason(marks=[(instance.org_unit_id, instance.month)]) if instance else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
def statistic_template(request):
    if not can_anywhere(request.user, Action.MANAGE):
        raise PermissionDenied
    last_month = last_ended_month(timezone.localdate())
    rows = services.statistics_template_rows(by=request.user, month=last_month)
    guide = [
        [_("One row per unit and month. Fill in the figures; rows left empty are skipped.")],
        [_("Month: mm/yyyy. Source: “tỉnh” (provincial portal) or “quốc gia” (national portal).")],
        [_("Each row holds the dossiers received by that unit itself, not by the units under it.")],
        [_("Importing the same unit and month again updates it.")],
    ]
    return xlsx_response(
        "mau-thong-ke-dich-vu-cong.xlsx",
        [
            (_("Statistics"), statistics_import.SHEET.header(), rows),
            (_("Guide"), [_("How to fill in")], guide),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def statistic_import(request):
    """Upload → dry-run preview (every bad row listed) → confirm, which re-checks and writes."""
    user = request.user
    if not can_anywhere(user, Action.MANAGE):
        raise PermissionDenied
    form = StatisticImportForm()
    flow = ImportFlow(session_key=IMPORT_SESSION_KEY, folder="statistic-imports")
    result = None
    token = None
    if request.method == "POST" and "confirm" in request.POST:
        checked = flow.take(request, request.POST.get("token", ""))
        if checked is None:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("egov_support:statistic_import")
        result = services.service_statistics_import(by=user, upload=checked.file, dry_run=False)
        if result.batch is not None:
            flow.forget(request, request.POST["token"])
            report = result.report
            messages.success(
                request,
                _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
            )
            return redirect("egov_support:statistic_list")
    elif request.method == "POST":
        form = StatisticImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.service_statistics_import(by=user, upload=upload, dry_run=True)
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                if result.report.is_clean and result.rows:
                    # Kept until the user confirms; the confirm step validates it again.
                    token = flow.keep(request, upload)
    status = 400 if form.errors or (result and not result.report.is_clean) else 200
    return render(
        request,
        "egov_support/statistic_import.html",
        {"form": form, "result": result, "token": token},
        status=status,
    )


# --- A team's week and the citizens it helped (activities below, help sessions here) ----------


@login_required
def weekly_report(request, pk: int, iso_year: int, iso_week: int):
    """A team's ISO week: its activities and help sessions, and the leader's "submit" button."""
    team = volunteer_selectors.team_get(user=request.user, pk=pk)
    try:
        data = selectors.team_week(team=team, iso_year=iso_year, iso_week=iso_week)
    except ValueError as exc:
        raise Http404 from exc
    can_log = can(request.user, Action.LOG, team.org_unit)
    form = WeeklyReportForm(request.POST or None)
    if request.method == "POST":
        if not can_log:
            raise Http404
        if form.is_valid():
            try:
                volunteer_services.weekly_report_submit(
                    by=request.user,
                    team=team,
                    iso_year=iso_year,
                    iso_week=iso_week,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Weekly report submitted."))
                return redirect(
                    "egov_support:weekly_report", pk=team.pk, iso_year=iso_year, iso_week=iso_week
                )
    context = {
        "team": team,
        "form": form,
        "can_log": can_log,
        "iso_year": iso_year,
        "iso_week": iso_week,
        **data,
    }
    return render(request, "egov_support/weekly_report.html", context)


@login_required
@require_GET
def team_help_summary(request, pk: int):
    """The team page's "citizens helped" card (loaded by htmx): the same sessions the dashboard counts."""
    team = volunteer_selectors.team_get(user=request.user, pk=pk)
    context = {"team": team, **selectors.team_help_summary(team=team)}
    return render(request, "egov_support/_team_help_summary.html", context)


# --- Campaigns ---------------------------------------------------------------------------------


def _service_errors(form, exc: ValidationError) -> None:
    """A service's errors on the form's fields (or above the form when they name none)."""
    for key, errors in exc.message_dict.items():
        form.add_error(key if key in form.fields else None, errors)


def _campaign_to_manage(user, pk: int) -> Campaign:
    """A campaign run by a unit the user manages; anything else is a 404."""
    return get_in_scope_or_404(selectors.campaign_list(user=user), user, Action.MANAGE, "org_unit", pk=pk)


@login_required
@require_GET
def campaign_list(request):
    campaigns = selectors.campaign_list(user=request.user).order_by("-starts_on", "name")
    context = {
        "page": Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_create": can_anywhere(request.user, Action.MANAGE),
    }
    return render(request, "egov_support/campaign_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int | None = None):
    """Create a campaign (``pk`` None) or change one run by a unit the user manages."""
    user = request.user
    if pk is None and not can_anywhere(user, Action.MANAGE):
        raise PermissionDenied
    campaign = _campaign_to_manage(user, pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign, user=user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in CampaignForm.Meta.fields}
        try:
            if campaign is None:
                campaign = services.campaign_create(by=user, **data)
            else:
                campaign = services.campaign_update(
                    by=user,
                    campaign=campaign,
                    participating_units=campaign.participating_units.all(),
                    **data,
                )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("egov_support:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "egov_support/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def campaign_detail(request, pk: int):
    """A campaign's targets against its results, by unit, and the work tagged with it."""
    return _campaign_page(request, selectors.campaign_get(user=request.user, pk=pk))


def _campaign_page(request, campaign: Campaign, *, activities_form=None, status: int = 200):
    user = request.user
    can_manage = can(user, Action.MANAGE, campaign.org_unit)
    targets = selectors.campaign_targets(campaign=campaign)
    if activities_form is None and can_anywhere(user, Action.LOG):
        activities_form = CampaignActivitiesForm(
            activities=selectors.campaign_activities(user=user, campaign=campaign)
        )
    context = {
        "campaign": campaign,
        "targets": targets,
        "work": selectors.campaign_work(campaign=campaign),
        "can_manage": can_manage,
        "managed_units": {
            t.org_unit_id for t in targets if can_manage and can(user, Action.MANAGE, t.org_unit)
        },
        "tagged_activities": campaign.activities.select_related("team").order_by("-date", "-pk"),
        "activities_form": activities_form,
    }
    return render(request, "egov_support/campaign_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_target_edit(request, pk: int, target_pk: int | None = None):
    """Add a target to a campaign the user manages, or change one of its targets on a unit of theirs."""
    user = request.user
    campaign = _campaign_to_manage(user, pk)
    target = None
    if target_pk is not None:
        target = get_in_scope_or_404(campaign.targets.all(), user, Action.MANAGE, "org_unit", pk=target_pk)
    initial = (
        {
            "indicator": target.indicator,
            "org_unit": target.org_unit,
            "target_value": target.target_value,
            "baseline": target.baseline,
            "note": target.note,
        }
        if target
        else {"org_unit": campaign.org_unit}
    )
    form = CampaignTargetForm(
        request.POST or None,
        initial=initial,
        user=user,
        indicators=Indicator.objects.filter(rule__isnull=False).order_by("code"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_target_save(by=user, campaign=campaign, target=target, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Target saved."))
            return redirect("egov_support:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "egov_support/campaign_target_form.html",
        {"form": form, "campaign": campaign, "target": target},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def campaign_target_delete(request, pk: int, target_pk: int):
    user = request.user
    campaign = _campaign_to_manage(user, pk)
    target = get_in_scope_or_404(campaign.targets.all(), user, Action.MANAGE, "org_unit", pk=target_pk)
    services.campaign_target_delete(by=user, target=target)
    messages.success(request, _("Target removed."))
    return redirect("egov_support:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_activities(request, pk: int):
    """Tag activities (of units the user logs for, during the campaign) with the campaign, or untag."""
    user = request.user
    campaign = selectors.campaign_get(user=user, pk=pk)
    if not can_anywhere(user, Action.LOG):
        raise Http404
    form = CampaignActivitiesForm(
        request.POST, activities=selectors.campaign_activities(user=user, campaign=campaign)
    )
    if not form.is_valid():
        return _campaign_page(request, campaign, activities_form=form, status=400)
    untag = request.POST.get("untag") == "1"
    try:
        changed = services.campaign_activities_tag(
            by=user, campaign=campaign, activities=form.cleaned_data["activities"], untag=untag
        )
    except ValidationError as exc:
        _service_errors(form, exc)
        return _campaign_page(request, campaign, activities_form=form, status=400)
    messages.success(request, _("Activities updated: %(count)d.") % {"count": changed})
    return redirect("egov_support:campaign_detail", pk=campaign.pk)
