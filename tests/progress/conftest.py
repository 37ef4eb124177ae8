"""A hand-computed story across three levels (centre, provinces, communes) with a dissolved unit.

Facts (today is 20/11/2025; the provinces were merged on 01/07/2025):
- sessions: An Hội 10/08 10 citizens (4 dossiers online); Phú Khương 20/08 5 VNeID activations;
  Thành đoàn Bến Tre (dissolved 30/06, merged into Phường Bến Tre) 15/05 7 citizens (pre-merge:
  stays with Tỉnh đoàn Bến Tre and the centre) and 03/09 3 citizens (post-merge: goes to Phường
  Bến Tre and Vĩnh Long); Hạc Thành (province B) 05/08 20 citizens.
- statistics: An Hội 08/2025 1 online of 10, Phú Khương 08/2025 90 of 90 (-> 91/100 = 91%),
  An Hội 09/2025 9 of 100 (-> Q3 for Vĩnh Long: 100/200 = 50%).
- teams: An Hội founded 15/07 (active); Phú Khương founded 10/08, dissolved 15/09.
- volunteers: V1 in both teams from 10/08 (counted once for Vĩnh Long), V2 in An Hội from 20/07.
"""

import datetime
from types import SimpleNamespace

import pytest

from tests.progress import factories as f

TODAY = datetime.date(2025, 11, 20)


@pytest.fixture
def story(tree, catalogues):
    t = tree
    team_a1 = f.team(t.commune_a, founded_on=datetime.date(2025, 7, 15))
    team_a2 = f.team(
        t.sibling_a, founded_on=datetime.date(2025, 8, 10), dissolved_on=datetime.date(2025, 9, 15)
    )
    team_old = f.team(t.dissolved_district_a, founded_on=None, dissolved_on=datetime.date(2025, 6, 30))
    team_b = f.team(t.commune_b, founded_on=None, dissolved_on=datetime.date(2025, 1, 1))
    f.session(team_a1, t.commune_a, datetime.date(2025, 8, 10), ("dvc-national-full", 10, 4))
    f.session(team_a2, t.sibling_a, datetime.date(2025, 8, 20), ("vneid-level2", 5, 0))
    f.session(team_old, t.dissolved_district_a, datetime.date(2025, 5, 15), ("dvc-national-full", 7, 0))
    f.session(team_old, t.dissolved_district_a, datetime.date(2025, 9, 3), ("dvc-national-full", 3, 0))
    f.session(team_b, t.commune_b, datetime.date(2025, 8, 5), ("dvc-national-full", 20, 0))
    f.statistic(t.commune_a, datetime.date(2025, 8, 1), 10, 1)
    f.statistic(t.sibling_a, datetime.date(2025, 8, 1), 90, 90)
    f.statistic(t.commune_a, datetime.date(2025, 9, 1), 100, 9)
    v1, v2 = f.volunteer(t.commune_a), f.volunteer(t.commune_a)
    f.member(v1, team_a1, datetime.date(2025, 8, 10))
    f.member(v1, team_a2, datetime.date(2025, 8, 10), datetime.date(2025, 9, 15))
    f.member(v2, team_a1, datetime.date(2025, 7, 20))
    return SimpleNamespace(tree=t, team_a1=team_a1, team_a2=team_a2, team_old=team_old, v1=v1, v2=v2)


@pytest.fixture
def catalogues(db):
    """The data migrations' rows (services, indicators, rules), again: transactional tests flush them."""
    import importlib

    from django.apps import apps

    for module, function in (
        ("egov_support.migrations.0002_seed_service_catalogue", "seed_services"),
        ("partnerships.migrations.0002_indicators_catalogue", "add_indicators"),
        ("progress.migrations.0002_indicator_rules", "add_rules"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)
