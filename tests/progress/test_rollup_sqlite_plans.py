"""SQLite (make run's database) plans the rollup's anti-joins as index probes, never as a scan of a
temporary table per outer row: a no-op full rollup of the demo data once took 300 s in two of them
(tmp_factw and tmp_pv_all had no index there)."""

import datetime

import pytest
from django.db import connection

from core.progress_marks import mark_dirty
from progress import rollup
from tests.progress.conftest import TODAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner"),
]


def correlated_scans(plan: list[tuple]) -> list[str]:
    """The SCAN steps of an EXPLAIN QUERY PLAN that lie inside a correlated subquery (run per outer row)."""
    nodes = {node_id: (parent, detail) for node_id, parent, _unused, detail in plan}

    def inside_correlated(node_id: int) -> bool:
        parent = nodes[node_id][0]
        while parent in nodes:
            if nodes[parent][1].startswith("CORRELATED"):
                return True
            parent = nodes[parent][0]
        return False

    return [
        detail
        for node_id, (_p, detail) in nodes.items()
        if detail.startswith("SCAN") and inside_correlated(node_id)
    ]


def explained(run) -> list[tuple[str, list[tuple]]]:
    """Each anti-join statement ``run`` executes, with SQLite's plan for it at that moment (the temporary
    tables it reads exist only during the run)."""
    plans = []

    def explain(execute, sql, params, many, context):
        if not many and "NOT EXISTS" in sql.upper() and not sql.startswith("EXPLAIN"):
            cursor = context["cursor"]
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plans.append((" ".join(sql.split()), cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        run()
    return plans


def test_a_full_run_over_computed_figures_probes_temporary_tables_by_index(story):
    rollup.rollup_full(today=TODAY)

    plans = explained(lambda: rollup.rollup_full(today=TODAY))

    on_temporary = [(sql, plan) for sql, plan in plans if " tmp_" in sql]
    assert {
        table for table in ("tmp_factw", "tmp_pv_all") if any(table in sql for sql, _ in on_temporary)
    } == {
        "tmp_factw",
        "tmp_pv_all",
    }
    assert [(sql, correlated_scans(plan)) for sql, plan in plans if correlated_scans(plan)] == []


def test_an_incremental_run_probes_temporary_tables_by_index(story):
    rollup.rollup_full(today=TODAY)
    mark_dirty(org_unit_id=story.tree.commune_a.pk, day=datetime.date(2025, 8, 10), rosters=True)

    plans = explained(lambda: rollup.rollup_dirty(today=TODAY))

    assert any(" tmp_" in sql for sql, _ in plans)
    assert [(sql, correlated_scans(plan)) for sql, plan in plans if correlated_scans(plan)] == []
