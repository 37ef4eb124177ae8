"""The demo's five agreements and their teams, field by field, against the articles (seed_facts.py)."""

import datetime
import os
import unicodedata
from pathlib import Path

import pytest
import time_machine

from partnerships.models import Agreement, AgreementParty, Commitment
from tests.portal.seed_facts import AGREEMENTS, CAMPAIGNS, TEAMS, Fact
from volunteers.models import Team

NOW = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def articles(db):
    """The tree, the demo accounts and the agreements (what the agreement checks need)."""
    from accounts import demo as accounts_demo
    from org import demo as org_demo
    from partnerships import demo as partnerships_demo

    with time_machine.travel(NOW, tick=False):
        org_demo.seed(password="x")
        accounts_demo.seed(password="demo-password-123")
        partnerships_demo.seed(password="demo-password-123")


@pytest.fixture
def demo(articles):
    from volunteers import demo as volunteers_demo

    with time_machine.travel(NOW, tick=False):
        volunteers_demo.seed(password="demo-password-123")


def _party_key(party: AgreementParty) -> str:
    return party.org_unit.code if party.org_unit_id else party.partner.name


def test_the_five_agreements_are_the_articles_field_by_field(articles):
    for key, facts in AGREEMENTS.items():
        agreement = Agreement.objects.get(title__contains=facts.title_contains)
        parties = list(agreement.parties.select_related("org_unit", "partner").order_by("position"))
        attendees = [
            (a.role, a.name, a.title, a.organisation) for a in agreement.attendees.order_by("position")
        ]

        assert [_party_key(p) for p in parties] == [p.unit_or_partner.value for p in facts.parties], key
        assert [(p.signatory_name, p.signatory_title) for p in parties] == [
            p.signatory.value for p in facts.parties
        ], key
        assert agreement.signed_on == facts.signed_on.value, key
        assert agreement.signed_place == facts.signed_place.value, key
        assert (agreement.start_date.year, agreement.end_date.year) == facts.phase.value, key
        assert attendees == [a.value for a in facts.attendees], key
        assert not agreement.is_illustrative, key

    # The 2019 - 2022 agreement ended: its commitments closed at its end, and the article reports no
    # outcome, so none is recorded as done.
    central = Agreement.objects.get(title__contains=AGREEMENTS["central_vnpt_2019"].title_contains)
    statuses = set(Commitment.objects.filter(objective__agreement=central).values_list("status", flat=True))
    assert statuses == {Commitment.Status.NOT_DONE}

    # No signatory is invented, and the agreements the articles lack are marked illustrative.
    named = {p.signatory.value[0] for a in AGREEMENTS.values() for p in a.parties} - {""}

    signed = set(AgreementParty.objects.exclude(signatory_name="").values_list("signatory_name", flat=True))

    assert signed == named
    articles = [Agreement.objects.get(title__contains=a.title_contains).pk for a in AGREEMENTS.values()]
    others = Agreement.objects.exclude(pk__in=articles)
    assert others.count() == 2 and all(
        a.is_illustrative for a in others
    )  # the renewal, Vĩnh Long's 2026 plan


def _members(team: Team) -> int:
    return team.memberships.filter(left_on__isnull=True).count()


def test_the_articles_teams_with_their_units_years_agreements_and_sizes(demo):
    my_tho_facts, consulting_facts, district_facts = (
        TEAMS["my_tho"],
        TEAMS["dong_thap_consulting"],
        TEAMS["dong_thap_districts"],
    )
    my_tho = (
        Team.objects.select_related("org_unit")
        .prefetch_related("agreements")
        .get(name=my_tho_facts.name.value)
    )
    consulting = (
        Team.objects.select_related("org_unit")
        .prefetch_related("agreements")
        .get(name=consulting_facts.name.value)
    )
    districts = list(
        Team.objects.select_related("org_unit")
        .prefetch_related("agreements")
        .filter(name=district_facts.name.value)
    )

    assert my_tho.org_unit.code == my_tho_facts.unit.value
    assert my_tho.org_unit.name == "Thành đoàn Mỹ Tho"
    assert my_tho.founded_on.year == my_tho_facts.founded_year.value
    assert [my_tho_facts.agreement_contains.value in a.title for a in my_tho.agreements.all()] == [True]
    assert _members(my_tho) == my_tho_facts.size.value
    assert not my_tho.is_illustrative

    assert consulting.org_unit.code == consulting_facts.unit.value
    assert consulting.founded_on.year == consulting_facts.founded_year.value
    assert [consulting_facts.agreement_contains.value in a.title for a in consulting.agreements.all()] == [
        True
    ]
    assert consulting.organisation_memberships.count() == consulting_facts.size.value
    assert not consulting.is_illustrative

    assert len(districts) == district_facts.count.value
    assert sorted(t.org_unit.code for t in districts) == [f"old-d{n}" for n in range(866, 878)]
    assert {t.org_unit.valid_to for t in districts} == {datetime.date(2025, 6, 30)}
    assert all(
        [district_facts.agreement_contains.value in a.title for a in t.agreements.all()] == [True]
        for t in districts
    )
    assert all(t.founded_on is None and t.is_illustrative for t in districts)  # no date, no size given
    # Every other demo team is invented: marked illustrative.
    others = Team.objects.exclude(pk__in=[my_tho.pk, consulting.pk])
    assert others.exists() and not others.filter(is_illustrative=False).exists()


def _facts():
    for key, agreement in AGREEMENTS.items():
        for party in agreement.parties:
            yield key, party.unit_or_partner
            yield key, party.signatory
        yield from ((key, fact) for fact in (agreement.signed_on, agreement.signed_place, agreement.phase))
        yield from ((key, fact) for fact in agreement.attendees)
    for key, team in TEAMS.items():
        for fact in (team.unit, team.name, team.founded_year, team.agreement_contains, team.size, team.count):
            yield key, fact
    for key, campaign in CAMPAIGNS.items():
        for fact in (
            campaign.name_contains,
            campaign.unit,
            campaign.starts_on,
            campaign.ends_on,
            campaign.targets,
        ):
            yield key, fact


@pytest.mark.skipif(not os.environ.get("SEED_ARTICLES_DIR"), reason="set SEED_ARTICLES_DIR to the articles")
def test_every_quote_is_in_the_article_it_cites():
    folder = Path(os.environ["SEED_ARTICLES_DIR"])
    missing = []
    for key, fact in _facts():
        if not isinstance(fact, Fact) or not fact.source:
            continue
        text = unicodedata.normalize("NFC", (folder / fact.source).read_text(encoding="utf-8"))
        if unicodedata.normalize("NFC", fact.quote) not in text:
            missing.append((key, fact.source, fact.quote))
    assert missing == []
