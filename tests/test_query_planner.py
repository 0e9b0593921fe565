"""SQLite's planner gets statistics once the tables have rows, and again when they outgrow them
(`core.query_planner`): without them it read a page's evidence by walking every published source."""

import pytest
from django.db import connection

from core.query_planner import refresh_statistics, stale_tables

from .factories import DeploymentFactory


def test_a_table_never_counted_or_grown_past_twice_its_rows_is_stale():
    counted = {"register_deployment": 1000, "register_tool": 100, "register_force": 48}
    largest_ids = {"register_deployment": 2500, "register_tool": 150, "register_force": 48, "register_source": 10}
    assert stale_tables(counted, largest_ids) == ["register_deployment", "register_source"]


def test_an_empty_table_is_never_stale():
    assert stale_tables({}, {"register_deployment": 0}) == []


def statistics_of(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone():
            return []
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        return [stat for (stat,) in cursor.fetchall()]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its own statistics")
def test_a_new_connection_gives_the_planner_statistics_of_the_rows():
    DeploymentFactory.create_batch(3)
    refresh_statistics(sender=None, connection=connection)
    stats = statistics_of("register_deployment")
    assert stats
    assert {int(stat.split()[0]) for stat in stats} == {3}
    # Counted: the next connection only looks.
    refresh_statistics(sender=None, connection=connection)
    assert statistics_of("register_deployment") == stats
