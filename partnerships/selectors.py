"""Reads of partners and agreements, always through the caller's scope.

An agreement is in a user's view scope when one of its union parties is in the scope, or is an
ancestor of a unit the user works in: province staff see (read only) the agreement the Central
Union signed with VNPT, because it binds them too.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts import choices
from accounts.access import Action, merged_into, scope_for
from core.history import history_rows
from core.text import fold
from org.models import OrgUnit
from partnerships.models import Agreement, AgreementParty, Commitment, Indicator, Partner, Target

SORTS = {
    "start": "start_date",
    "-start": "-start_date",
    "end": "end_date",
    "-end": "-end_date",
    "title": "title",
    "-title": "-title",
    "signed": "signed_on",
    "-signed": "-signed_on",
    "status": "status",
    "-status": "-status",
}
DEFAULT_SORT = "-start"


@dataclass
class AgreementFilters:
    status: str = ""
    kind: str = ""
    partner: int | None = None
    province: int | None = None  # an org unit: agreements with a union party in its subtree
    year: int | None = None  # phase covers this year
    q: str = ""
    sort: str = DEFAULT_SORT


def _ancestor_paths(paths: tuple[str, ...]) -> set[str]:
    """'/TW/86/' -> {'/TW/'}: the units above a scope root."""
    result = set()
    for path in paths:
        codes = [c for c in path.split("/") if c]
        for depth in range(1, len(codes)):
            result.add("/" + "/".join(codes[:depth]) + "/")
    return result


def agreements_visible(user, action: Action = Action.VIEW) -> QuerySet[Agreement]:
    """Agreements ``user`` may see (VIEW, with ancestors' agreements) or change (MANAGE)."""
    scope = scope_for(user, action)
    if scope.is_empty:
        return Agreement.objects.none()
    if scope.everything:
        return Agreement.objects.all()
    condition = scope.q("org_unit__path")
    if action == Action.VIEW:
        above = _ancestor_paths(scope.paths)
        # An ancestor's dissolved predecessor counts as that ancestor (Bến Tre's agreements are Vĩnh Long's);
        # from the merges the scope was built from, so no query per call (the detail page makes two).
        above |= merged_into(user, above)
        condition |= Q(org_unit__path__in=above)
    party_agreements = AgreementParty.objects.filter(org_unit__isnull=False).filter(condition)
    # A subquery, not a join: no duplicates, so counting and ordering stay simple.
    return Agreement.objects.filter(pk__in=party_agreements.values("agreement_id"))


def _parties_prefetch() -> Prefetch:
    return Prefetch(
        "parties",
        # The successor too: a dissolved party's agreements say who carries them on (Agreement.carried_by).
        queryset=AgreementParty.objects.select_related("org_unit__successor", "partner").order_by("position"),
    )


def agreement_list(*, user, filters: AgreementFilters | None = None) -> QuerySet[Agreement]:
    filters = filters or AgreementFilters()
    agreements = agreements_visible(user).prefetch_related(_parties_prefetch())
    if filters.status:
        agreements = agreements.filter(status=filters.status)
    if filters.kind:
        agreements = agreements.filter(kind=filters.kind)
    if filters.partner:
        agreements = agreements.filter(
            pk__in=AgreementParty.objects.filter(
                Q(partner_id=filters.partner) | Q(partner__parent_id=filters.partner)
            ).values("agreement_id")
        )
    if filters.province:
        unit = OrgUnit.objects.filter(pk=filters.province).only("path").first()
        if unit is None:
            return agreements.none()
        # The province's own subtree and the dissolved units merged into it (Bến Tre → Vĩnh Long).
        paths = [unit.path, *OrgUnit.objects.filter(successor=unit).values_list("path", flat=True)]
        condition = Q()
        for path in paths:
            condition |= Q(org_unit__path__startswith=path)
        agreements = agreements.filter(pk__in=AgreementParty.objects.filter(condition).values("agreement_id"))
    if filters.year:
        agreements = agreements.filter(start_date__year__lte=filters.year, end_date__year__gte=filters.year)
    if filters.q:
        for word in fold(filters.q).split():
            agreements = agreements.filter(search_text__contains=word)
    return agreements.order_by(SORTS.get(filters.sort, SORTS[DEFAULT_SORT]), "pk")


def agreement_get(*, user, pk: int, action: Action = Action.VIEW) -> Agreement:
    """One agreement in scope with everything the detail page shows, in a fixed number of queries.

    The agreements that renew it are not read here: ``agreement_chain`` reads the visible ones.
    """
    queryset = (
        agreements_visible(user, action)
        .select_related("follows", "created_by")
        .prefetch_related(
            _parties_prefetch(),
            "attendees",
            Prefetch(
                "objectives__targets",
                # One query with the indicator, the unit and the live progress (the progress app's
                # one-to-one, named by relation only: this app does not import that one).
                # The unit's successor: a target past its unit's end counts the successor's figures.
                queryset=Target.objects.select_related(
                    "indicator", "org_unit__successor", "progress_status", "responsible_partner"
                ),
            ),
            Prefetch(
                "objectives__commitments",
                queryset=Commitment.objects.select_related("party__org_unit", "party__partner"),
            ),
        )
    )
    try:
        return queryset.get(pk=pk)
    except Agreement.DoesNotExist as exc:
        raise Http404 from exc


def agreement_teams(*, user, agreement: Agreement) -> list:
    """The volunteer teams that serve the agreement and that ``user`` may see, with their sizes.

    Read through the teams' relation by name (the volunteers app sits above this one): ``members``
    counts current members, ``organisations`` the member organisations of a consulting team.
    """
    teams = (
        scope_for(user, Action.VIEW)
        .filter(agreement.volunteer_teams.all(), "org_unit")
        .select_related("org_unit")
        .annotate(
            members=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True),
            organisations=Count("organisation_memberships", distinct=True),
        )
        .order_by("org_unit__path", "name")
    )
    return list(teams)


def agreement_chain(*, user, agreement: Agreement, limit: int = 10) -> tuple[list, list]:
    """The agreements before (oldest first) and after this one in its renewal chain, as far as visible."""
    before = []
    current = agreement.follows
    while current is not None and len(before) < limit:  # one query per step, at most ``limit``
        before.insert(0, current)
        current = current.follows
    visible = agreements_visible(user)
    if before:
        visible_ids = set(visible.filter(pk__in=[a.pk for a in before]).values_list("pk", flat=True))
        before = [a for a in before if a.pk in visible_ids]
    after = list(visible.filter(follows=agreement).order_by("start_date"))
    return before, after


def agreement_history(*, agreement: Agreement, limit: int = 30) -> list:
    """Changes to the agreement and its targets, newest first (core.history rows)."""
    objective_ids = [o.pk for o in agreement.objectives.all()]
    return history_rows(
        agreement.history.all(), Target.history.filter(objective_id__in=objective_ids), limit=limit
    )


def partner_list(*, user, q: str = "", kind: str = "") -> QuerySet[Partner]:
    if not user.is_authenticated:  # every signed-in user may see partners: they belong to no unit
        return Partner.objects.none()
    partners = Partner.objects.select_related("parent")
    if kind:
        partners = partners.filter(kind=kind)
    if q:
        partners = partners.filter(search_name__contains=fold(q))
    return partners


def days_left(agreement: Agreement, today: datetime.date) -> int:
    return (agreement.end_date - today).days


def agreement_filter_choices(*, user) -> dict:
    """What the list's filters offer: only the provinces in the user's scope and the partners of
    agreements the user may see (a Vĩnh Long user is not offered 34 provinces and others' partners)."""
    visible = agreements_visible(user)
    # A party that is a branch (VNPT Vĩnh Long) is offered as its top partner (VNPT): one query.
    party_ids = AgreementParty.objects.filter(agreement__in=visible, partner__isnull=False).values(
        "partner_id"
    )
    parent_ids = Partner.objects.filter(pk__in=party_ids).values("parent_id")
    return {
        "partners": Partner.objects.filter(Q(pk__in=party_ids) | Q(pk__in=parent_ids), parent__isnull=True)
        .only("pk", "name", "short_name")
        .order_by("name"),
        "provinces": scope_for(user, Action.VIEW)
        .units()
        .filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True)
        .only("pk", "name")
        .order_by("name"),
    }


# What a write may link to (accounts.choices): agreements the user sees (a team formed under the
# Central Union's agreement with VNPT too), and the shared catalogues.
WRITE_CHOICES = {
    Agreement: lambda user, action: agreements_visible(user, Action.VIEW),
    Partner: choices.shared(Partner),
    Indicator: choices.shared(Indicator),
}
