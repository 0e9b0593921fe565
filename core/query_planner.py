"""Statistics for SQLite's query planner, kept fresh as the tables grow.

Without statistics (`sqlite_stat1`) SQLite guesses that an equality on any index picks a
few rows, so a yes/no column's index (`is_published`) looks as selective as a foreign
key's: the evidence of a page's 50 deployments was read by walking every published
source. SQLite's advice is to ANALYZE with a sampling limit, which costs a fraction of a second
(https://sqlite.org/lang_analyze.html#approx). PostgreSQL keeps its own (autovacuum).
"""

from django.db import DatabaseError

# Rows sampled per index: a bounded cost (a quarter of a second at scale 10) whatever the
# size; with fewer, a yes/no column's index was taken for one with 40 values.
ANALYSIS_LIMIT = 10_000
# A table that has grown past this many times its rows when last analysed is analysed again.
GROWTH = 2


def stale_tables(counted: dict[str, int], largest_ids: dict[str, int]) -> list[str]:
    """The tables whose statistics no longer describe them: never counted, or grown past
    `GROWTH` times the rows counted (the largest row id stands for the rows: it costs one
    look-up, where counting reads the table)."""
    return sorted(
        table
        for table, largest in largest_ids.items()
        if largest and (table not in counted or largest > GROWTH * max(counted[table], 1))
    )


def refresh_statistics(sender, connection, **kwargs) -> None:
    """On each new SQLite connection: ANALYZE (sampled) when a table has no statistics yet
    or has outgrown them; else nothing but a few look-ups."""
    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            # Only tables with an index get statistics: a table without one is never stale.
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%'"
            )
            largest_ids = {}
            for (table,) in cursor.fetchall():
                try:
                    cursor.execute(f'SELECT max(rowid) FROM "{table}"')
                except DatabaseError:
                    continue  # a table without row ids (a full-text index's own)
                largest_ids[table] = cursor.fetchone()[0] or 0
            counted = {}
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("SELECT tbl, stat FROM sqlite_stat1")
                for table, stat in cursor.fetchall():
                    counted[table] = max(counted.get(table, 0), int(str(stat).split()[0]))
            if stale_tables(counted, largest_ids):
                cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                cursor.execute("ANALYZE")
    except DatabaseError:
        # A database locked by a long write, or read-only: the planner does without, as before.
        pass
