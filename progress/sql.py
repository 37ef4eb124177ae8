"""The few SQL spellings that differ between PostgreSQL and SQLite, and temp-table helpers.

The rollup is plain SQL that both databases run (CTEs, ``INSERT ... ON CONFLICT DO UPDATE``,
``NOT EXISTS``); only date arithmetic and temporary tables are spelled per vendor here.
"""

from collections.abc import Iterable, Sequence

from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def month_of(column: str) -> str:
    """The first day of a date column's month."""
    if is_postgres():
        # Date arithmetic: date_trunc would cast every row to a timestamp with time zone first.
        # Help sessions have extended statistics on exactly this expression (migration 0006).
        return f"({column} - (date_part('day', {column})::integer - 1))"
    return f"date({column}, 'start of month')"


def date_of(column: str) -> str:
    return f"({column})::date" if is_postgres() else f"date({column})"


def temp_table(
    cursor, name: str, columns: str, rows: Iterable[Sequence] | None = None, *, key: str = ""
) -> None:
    """(Re)create a temporary table, dropped at commit on PostgreSQL, and fill it.

    ``key`` (columns) gets an index on SQLite, whose anti-joins are otherwise nested scans;
    PostgreSQL hashes them and only needs statistics (``analyze``).
    """
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    suffix = " ON COMMIT DROP" if is_postgres() else ""
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns}){suffix}")
    if key and not is_postgres():
        cursor.execute(f"CREATE INDEX {name}_key ON {name} ({key})")
    if rows is not None:
        rows = list(rows)
        if rows:
            placeholders = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(f"INSERT INTO {name} VALUES ({placeholders})", rows)
        analyze(cursor, name)


def temp_table_as(cursor, name: str, select: str, params: Sequence = (), *, key: str = "") -> None:
    """(Re)create a temporary table from a query (dropped at commit on PostgreSQL), with statistics.

    PostgreSQL may run the query on several cores (``CREATE TABLE AS`` allows a parallel plan;
    ``INSERT ... SELECT`` does not). ``key`` as in ``temp_table``: an index on SQLite only, where a
    ``NOT EXISTS`` probing the table by it is otherwise a full scan per outer row (a no-op full
    rollup of the demo data spent 300 s in two of them).
    """
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    suffix = " ON COMMIT DROP" if is_postgres() else ""
    cursor.execute(f"CREATE TEMPORARY TABLE {name}{suffix} AS {select}", params)
    if key and not is_postgres():
        cursor.execute(f"CREATE INDEX {name}_key ON {name} ({key})")
    analyze(cursor, name)


def drop_temp(cursor, *names: str) -> None:
    for name in names:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def month_end(column: str) -> str:
    if is_postgres():
        return f"(({column}) + interval '1 month' - interval '1 day')::date"
    return f"date({column}, '+1 month', '-1 day')"


def differs(left: str, right: str) -> str:
    """Null-safe inequality."""
    return f"{left} IS DISTINCT FROM {right}" if is_postgres() else f"{left} IS NOT {right}"


def analyze(cursor, *names: str) -> None:
    """Temp tables are never auto-analyzed on PostgreSQL: without statistics it plans nested loops."""
    if is_postgres():
        for name in names:
            cursor.execute(f"ANALYZE {name}")
