"""Pages: thin views over selectors (reads) and services (writes), scoped by the access layer."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Action, can, scope_for
from core.import_flow import ImportFlow
from core.offline import is_offline_sync, queue_owner_checked, refused_response, saved_response
from core.params import filter_values, int_param
from core.tabular import Column, Kind, xlsx_response
from core.uploads import protected_download
from org.models import OrgUnit
from partnerships.selectors import agreements_visible
from signoff.selectors import lock_reason
from signoff.services import is_month_locked
from volunteers import roster, selectors, services
from volunteers.forms import (
    ActivityEditForm,
    ActivityLogForm,
    JoinTeamForm,
    MembershipAddForm,
    RosterImportForm,
    TeamFilterForm,
    TeamForm,
    TeamOrganisationForm,
    TrainingForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from volunteers.models import ActivityPhoto, Membership, Team, TeamOrganisation

PAGE_SIZE = 50


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _team_data(form) -> dict:
    """cleaned_data for the team services: an untouched file input is no change, a cleared one empties it."""
    data = dict(form.cleaned_data)
    if data.get("decision_file") is None:
        data.pop("decision_file", None)
    elif data["decision_file"] is False:
        data["decision_file"] = ""
    return data


def _404_unless_team_in(request, teams) -> None:
    """A posted team outside the user's log scope is a 404 (like any out-of-scope object), not a form error."""
    posted = request.POST.get("team", "")
    if request.method == "POST" and posted.isdigit() and not teams.filter(pk=int(posted)).exists():
        raise Http404


def _unit_from_code(code: str):
    code = (code or "").strip()
    return OrgUnit.objects.filter(code=code).first() if code else None


def _agreements(request):
    return agreements_visible(request.user, Action.VIEW).order_by("-start_date", "title")


# --- Teams -----------------------------------------------------------------------------------


@login_required
def team_list(request):
    form = TeamFilterForm(request.GET or None)
    filters = filter_values(form)
    teams = selectors.team_list(
        user=request.user,
        kind=filters.get("kind") or None,
        status=filters.get("status") or None,
        unit=_unit_from_code(filters.get("unit", "")),
        search=filters.get("q") or None,
        active_in_days=selectors.ACTIVE_DAYS if filters.get("active") else None,
    ).order_by("org_unit__path", "name")
    if request.GET.get("format") == "xlsx":
        header = [
            _("Team"),
            _("Kind"),
            _("Unit"),
            _("Unit code"),
            _("Status"),
            _("Founded on"),
            Column(_("Active members"), Kind.INTEGER),
            _("Last activity"),
        ]
        rows = (
            [
                t.name,
                t.get_kind_display(),
                t.org_unit.name,
                t.org_unit.code,
                t.get_status_display(),
                t.founded_on,
                t.member_count,
                t.last_activity_on,
            ]
            for t in teams
        )
        return xlsx_response("doi-tinh-nguyen.xlsx", [(_("Teams"), header, rows)])
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "can_log": not scope_for(request.user, Action.LOG).is_empty}
    return render(request, "volunteers/team_list.html", context)


@login_required
def my_teams(request):
    led_ids = set(selectors.teams_led_by(user=request.user).values_list("pk", flat=True))
    year, week = services.iso_week_of(timezone.localdate())
    missing_ids = set(
        selectors.teams_without_report(user=request.user, iso_year=year, iso_week=week).values_list(
            "pk", flat=True
        )
    )
    team_rows = [
        {
            "team": t,
            "leads": t.pk in led_ids,
            "reported": t.pk not in missing_ids or t.status != Team.Status.ACTIVE,
        }
        for t in selectors.team_list(user=request.user, action=Action.LOG)
        .exclude(status=Team.Status.DISSOLVED)
        .order_by("name")[:200]
    ]
    team_rows.sort(key=lambda r: (not r["leads"], r["team"].name))
    return render(
        request, "volunteers/my_teams.html", {"rows": team_rows, "iso_year": year, "iso_week": week}
    )


@login_required
def team_create(request):
    units = scope_for(request.user, Action.LOG).units().current()
    if not units.exists():
        raise PermissionDenied
    form = TeamForm(request.POST or None, request.FILES or None, units=units, agreements=_agreements(request))
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(by=request.user, **_team_data(form))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Team created."))
            return redirect("volunteers:team_detail", pk=team.pk)
    return render(request, "volunteers/team_form.html", {"form": form, "team": None})


@login_required
def team_edit(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk, action=Action.LOG)
    units = scope_for(request.user, Action.LOG).units()
    form = TeamForm(
        request.POST or None,
        request.FILES or None,
        instance=team,
        units=units,
        agreements=_agreements(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(by=request.user, team=team, **_team_data(form))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Team saved."))
            return redirect("volunteers:team_detail", pk=team.pk)
    return render(request, "volunteers/team_form.html", {"form": form, "team": team})


@login_required
def team_detail(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk)
    roster = list(selectors.team_roster(team=team))
    activities = Paginator(selectors.team_activities(team=team), 20).get_page(request.GET.get("page"))
    year, week = services.iso_week_of(timezone.localdate())
    context = {
        "team": team,
        "roster": roster,
        "page": activities,
        "months": selectors.team_hours_by_month(team=team),
        "can_log": can(request.user, Action.LOG, team.org_unit),
        "history_rows": selectors.team_history(team=team)
        if can(request.user, Action.MANAGE, team.org_unit)
        else None,
        "iso_year": year,
        "iso_week": week,
        "this_week": selectors.weekly_report(team=team, iso_year=year, iso_week=week)["report"],
        "organisations": team.organisation_memberships.select_related("partner"),
        "agreements": selectors.team_agreements(user=request.user, team=team),
        "organisation_form": TeamOrganisationForm(),
    }
    return render(request, "volunteers/team_detail.html", context)


@login_required
@require_POST
def team_organisation_add(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk, action=Action.LOG)
    form = TeamOrganisationForm(request.POST)
    if form.is_valid():
        services.team_organisation_add(by=request.user, team=team, **form.cleaned_data)
        messages.success(request, _("Organisation added to the team."))
    else:
        messages.error(request, _("Choose an organisation."))
    return redirect("volunteers:team_detail", pk=team.pk)


@login_required
@require_POST
def team_organisation_remove(request, pk: int, member_pk: int):
    team = selectors.team_get(user=request.user, pk=pk, action=Action.LOG)
    member = get_object_or_404(
        TeamOrganisation.objects.select_related("team__org_unit"), pk=member_pk, team=team
    )
    services.team_organisation_remove(by=request.user, member=member)
    messages.success(request, _("Organisation removed from the team."))
    return redirect("volunteers:team_detail", pk=team.pk)


@login_required
def team_decision_file(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk)
    if not team.decision_file:
        raise Http404
    return protected_download(team.decision_file, f"quyet-dinh-{team.pk}.pdf")


@login_required
def team_roster_export(request, pk: int):
    """The active roster in the import's own columns (volunteers.roster): it imports back as it is."""
    team = selectors.team_get(user=request.user, pk=pk)
    rows = (roster.membership_row(m) for m in selectors.team_roster(team=team))
    return xlsx_response(f"danh-sach-doi-{team.pk}.xlsx", [(_("Roster"), roster.export_columns(), rows)])


@login_required
def roster_template(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk, action=Action.LOG)
    example = [roster.example_row(team.org_unit.code)]
    return xlsx_response("mau-danh-sach-doi.xlsx", [(_("Roster"), roster.export_columns(), example)])


def _roster_imports(team) -> ImportFlow:
    return ImportFlow(session_key=f"roster-import-{team.pk}", folder="roster-imports")


@login_required
def roster_import(request, pk: int):
    """Upload → dry-run preview of every bad row → confirm (the checked file is kept server-side)."""
    team = selectors.team_get(user=request.user, pk=pk, action=Action.LOG)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    flow = _roster_imports(team)
    report = None
    token = ""
    if request.method == "POST" and "confirm" in request.POST:
        token = request.POST.get("token", "")
        checked = flow.take(request, token)
        if checked is None:
            messages.error(request, _("The checked file has expired; upload it again."))
            return redirect("volunteers:roster_import", pk=team.pk)
        report = services.roster_import(
            by=request.user,
            team=team,
            upload=checked.file,
            consent_purpose=checked.extra["purpose"],
            dry_run=False,
        )
        if report.is_clean:
            flow.forget(request, token)
            messages.success(
                request,
                _(
                    "Imported: %(created)d new volunteers, %(linked)d existing ones joined the team, "
                    "%(unchanged)d already in it."
                )
                % {"created": report.created, "linked": report.updated, "unchanged": report.unchanged},
            )
            return redirect("volunteers:team_detail", pk=team.pk)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.roster_import(
                by=request.user,
                team=team,
                upload=upload,
                consent_purpose=form.cleaned_data["consent_purpose"],
                dry_run=True,
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            if report.is_clean and report.rows_total:
                suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
                token = flow.keep(
                    request, upload, name=f"roster{suffix}", purpose=form.cleaned_data["consent_purpose"]
                )
    return render(
        request,
        "volunteers/roster_import.html",
        {"team": team, "form": form, "report": report, "token": token},
    )


@login_required
def membership_add(request, pk: int):
    """Add an existing volunteer (of a unit in the user's log scope) to a team."""
    team = selectors.team_get(user=request.user, pk=pk, action=Action.LOG)
    volunteers = selectors.volunteer_list(user=request.user, action=Action.LOG).filter(erased_at__isnull=True)
    form = MembershipAddForm(request.POST or None, volunteers=volunteers)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_create(
                by=request.user,
                team=team,
                volunteer=form.cleaned_data["volunteer"],
                role=form.cleaned_data["role"],
                joined_on=form.cleaned_data["joined_on"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("volunteers:team_detail", pk=team.pk)
    return render(request, "volunteers/membership_add.html", {"team": team, "form": form})


@login_required
@require_POST
def membership_end(request, pk: int, membership_pk: int):
    team = selectors.team_get(user=request.user, pk=pk, action=Action.LOG)
    membership = get_object_or_404(
        Membership.objects.select_related("team__org_unit"), pk=membership_pk, team=team
    )
    try:
        services.membership_end(by=request.user, membership=membership)
    except ValidationError as exc:  # the month it would end in is approved and locked
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s has left the team.") % {"name": membership.volunteer})
    return redirect("volunteers:team_detail", pk=team.pk)


@login_required
def unreported_teams(request):
    year, week = services.iso_week_of(timezone.localdate())
    teams = selectors.teams_without_report(user=request.user, iso_year=year, iso_week=week)
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "volunteers/unreported.html", {"page": page, "iso_year": year, "iso_week": week})


# --- Activities ------------------------------------------------------------------------------


@login_required
@queue_owner_checked
def activity_log(request):
    """The leader's phone flow: one short form; a double tap or a resend saves one activity."""
    teams = selectors.teams_for_logging(user=request.user)
    if not teams.exists():
        raise PermissionDenied
    _404_unless_team_in(request, teams)
    default_team = selectors.default_team_for(user=request.user, teams=teams)
    form = ActivityLogForm(
        request.POST or None, request.FILES or None, teams=teams, default_team=default_team
    )
    refused_lock = None  # a save the month's lock refused: its link
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        try:
            activity, created = services.activity_create(
                by=request.user,
                team=team,
                idempotency_key=data.pop("idempotency_key"),
                photos=data.pop("photos"),
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            if is_month_locked(exc):  # the way to the month, beside the reason
                refused_lock = lock_reason(marks=[(team.org_unit_id, data["date"])])
        else:
            if is_offline_sync(request):  # the phone's queue: JSON, no page
                return saved_response(
                    pk=activity.pk, url=reverse("volunteers:activity_detail", args=[activity.pk])
                )
            # A new activity is confirmed by the box above the fresh form; only a repeat gets a note.
            if not created:
                messages.info(request, _("This activity was already saved."))
            return redirect(f"{reverse('volunteers:activity_log')}?saved={activity.pk}")
    if is_offline_sync(request):
        return refused_response(form, link=refused_lock.as_link() if refused_lock else None)
    saved = None
    if saved_pk := int_param(request.GET.get("saved")):
        saved = selectors.activity_list(user=request.user).filter(pk=saved_pk).first()
    return render(
        request,
        "volunteers/activity_log.html",
        {
            "form": form,
            "saved": saved,
            "default_team": default_team,
            "team_count": teams.count(),
            "refused_lock": refused_lock,
        },
    )


@login_required
def activity_detail(request, pk: int):
    activity = selectors.activity_get(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/activity_detail.html",
        {"activity": activity, "can_log": can(request.user, Action.LOG, activity.team.org_unit)},
    )


@login_required
def activity_edit(request, pk: int):
    activity = selectors.activity_get(user=request.user, pk=pk, action=Action.LOG)
    form = ActivityEditForm(request.POST or None, request.FILES or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photos = data.pop("photos")
        try:
            with transaction.atomic():
                services.activity_update(by=request.user, activity=activity, **data)
                for image in photos:
                    services.activity_add_photo(by=request.user, activity=activity, image=image)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("volunteers:activity_detail", pk=activity.pk)
    lock = lock_reason(marks=[(activity.team.org_unit_id, activity.date)])
    return render(
        request, "volunteers/activity_form.html", {"form": form, "activity": activity, "lock": lock}
    )


@login_required
def activity_photo(request, pk: int, photo_pk: int):
    """Photos are served only here, after the scope check (media files are never served directly)."""
    activity = selectors.activity_get(user=request.user, pk=pk)
    photo = get_object_or_404(ActivityPhoto, pk=photo_pk, activity=activity)
    response = protected_download(photo.image, f"hoat-dong-{activity.pk}-{photo.pk}{photo.image.name[-4:]}")
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    return response


# --- Volunteers ------------------------------------------------------------------------------


@login_required
def volunteer_list(request):
    form = VolunteerFilterForm(request.GET or None)
    filters = filter_values(form)
    volunteers = selectors.volunteer_list(
        user=request.user,
        search=filters.get("q") or None,
        skill=filters["skill"].pk if filters.get("skill") else None,
        unit=_unit_from_code(filters.get("unit", "")),
        active_in_days=selectors.ACTIVE_DAYS if filters.get("active") else None,
    )
    if request.GET.get("format") == "xlsx":
        header = [
            _("Family name"),
            _("Middle name"),
            _("Given name"),
            Column(_("Birth year"), Kind.YEAR),
            _("Phone"),
            _("Home unit"),
            _("Teams"),
            _("Skills"),
        ]
        rows = (
            [
                v.family_name,
                v.middle_name,
                v.given_name,
                v.birth_year,
                v.phone,
                v.home_unit.name,
                ", ".join(m.team.name for m in v.active_memberships),
                ", ".join(s.name for s in v.skills.all()),
            ]
            for v in volunteers
        )
        return xlsx_response("tinh-nguyen-vien.xlsx", [(_("Volunteers"), header, rows)])
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "volunteers/volunteer_list.html", {"page": page, "form": form})


@login_required
def volunteer_detail(request, pk: int):
    volunteer = selectors.volunteer_get(user=request.user, pk=pk)
    context = {
        "volunteer": volunteer,
        "memberships": selectors.volunteer_memberships(volunteer=volunteer, user=request.user),
        "trainings": volunteer.trainings.all(),
        "skills": volunteer.skills.all(),
        "history": selectors.volunteer_history(volunteer=volunteer),
        "history_rows": selectors.volunteer_history_rows(volunteer=volunteer)
        if can(request.user, Action.MANAGE, volunteer.home_unit)
        else None,
        "can_log": can(request.user, Action.LOG, volunteer.home_unit),
        "can_manage": can(request.user, Action.MANAGE, volunteer.home_unit),
        "training_form": TrainingForm(),
    }
    return render(request, "volunteers/volunteer_detail.html", context)


@login_required
@require_POST
def training_add(request, pk: int):
    volunteer = selectors.volunteer_get(user=request.user, pk=pk, action=Action.LOG)
    if volunteer.is_erased:
        raise Http404
    form = TrainingForm(request.POST)
    if form.is_valid():
        services.training_record(by=request.user, volunteer=volunteer, **form.cleaned_data)
        messages.success(request, _("Training recorded."))
    else:
        messages.error(request, _("Enter the course and the date it was completed (dd/mm/yyyy)."))
    return redirect("volunteers:volunteer_detail", pk=volunteer.pk)


@login_required
def volunteer_edit(request, pk: int):
    volunteer = selectors.volunteer_get(user=request.user, pk=pk, action=Action.LOG)
    if volunteer.is_erased:
        raise Http404
    units = scope_for(request.user, Action.LOG).units()
    form = VolunteerForm(request.POST or None, instance=volunteer, units=units)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "skill_names"}
        try:
            services.volunteer_update(
                by=request.user,
                volunteer=volunteer,
                skills=services.skills_from_names(form.skill_list()),
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Volunteer saved."))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "volunteer": volunteer})


@login_required
def volunteer_join(request):
    """A new volunteer straight into a team, reachable from the phone flow (returns to ``next``)."""
    teams = selectors.teams_for_logging(user=request.user)
    if not teams.exists():
        raise PermissionDenied
    default_team = None
    if team_pk := int_param(request.GET.get("team")):
        default_team = teams.filter(pk=team_pk).first()
    default_team = default_team or selectors.default_team_for(user=request.user, teams=teams)
    _404_unless_team_in(request, teams)
    units = scope_for(request.user, Action.LOG).units()
    form = JoinTeamForm(request.POST or None, teams=teams, default_team=default_team, units=units)
    back = _safe_next(request, reverse("volunteers:activity_log"))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "skill_names"}
        team, role = data.pop("team"), data.pop("role")
        if data.get("home_unit") is None:
            data.pop("home_unit")
        try:
            membership = services.volunteer_join_team(
                by=request.user,
                team=team,
                role=role,
                skills=services.skills_from_names(form.skill_list()),
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s joined %(team)s.") % {"name": membership.volunteer, "team": team.name},
            )
            return redirect(back)
    return render(request, "volunteers/volunteer_join.html", {"form": form, "back": back})


@login_required
def volunteer_export(request, pk: int):
    volunteer = selectors.volunteer_get(user=request.user, pk=pk, action=Action.LOG)
    data = selectors.volunteer_export_data(volunteer=volunteer)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="tinh-nguyen-vien-{volunteer.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def volunteer_erase(request, pk: int):
    volunteer = selectors.volunteer_get(user=request.user, pk=pk, action=Action.MANAGE)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the erasure."))
        else:
            services.volunteer_erase(by=request.user, volunteer=volunteer)
            messages.success(request, _("The volunteer's personal data was erased."))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_erase.html", {"volunteer": volunteer})
