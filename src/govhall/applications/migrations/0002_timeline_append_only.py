"""The database refuses to change or remove timeline rows (history is appended, never edited).

Same guards as ``audit`` migration 0002: on PostgreSQL a ``BEFORE UPDATE OR DELETE`` row trigger
raises (``TRUNCATE``, used by test flushes, is not refused); on SQLite UPDATE is refused and DELETE
only allowed for the oldest remaining row (so a test flush, which deletes in id order, succeeds).
"""

from django.db import migrations

TABLES = ("applications_timelineentry",)
MESSAGE = "application timeline is append-only: % on % refused (办理记录只可追加，禁止修改或删除)"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION govhall_timeline_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}', TG_OP, TG_TABLE_NAME;
END
$$;
"""
PG_TRIGGER = (
    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION govhall_timeline_append_only();"
)
PG_DROP = "DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
SQLITE_NO_UPDATE = (
    "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN "
    "SELECT RAISE(ABORT, 'application timeline is append-only: UPDATE on {table} refused'); END;"
)
SQLITE_NO_DELETE = (
    "CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
    "WHEN EXISTS (SELECT 1 FROM {table} WHERE id < OLD.id) BEGIN "
    "SELECT RAISE(ABORT, 'application timeline is append-only: DELETE on {table} refused'); END;"
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS {table}_no_update;", "DROP TRIGGER IF EXISTS {table}_no_delete;")


def statements(vendor: str, *, drop: bool = False) -> list[str]:
    if vendor == "postgresql":
        if drop:
            return [PG_DROP.format(table=t) for t in TABLES] + [
                "DROP FUNCTION IF EXISTS govhall_timeline_append_only();"
            ]
        return [PG_FUNCTION] + [PG_TRIGGER.format(table=t) for t in TABLES]
    if vendor == "sqlite":
        if drop:
            return [sql.format(table=t) for t in TABLES for sql in SQLITE_DROP]
        return [sql.format(table=t) for t in TABLES for sql in (SQLITE_NO_UPDATE, SQLITE_NO_DELETE)]
    return []


def install(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, drop=True):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
