"""The database refuses to change or remove audit rows (regulation Art. 20 (四), Art. 23).

PostgreSQL: a row-level ``BEFORE UPDATE OR DELETE`` trigger raises on both tables. ``TRUNCATE`` is
NOT refused: Django's ``flush`` (run after every ``transaction=True`` test in the whole project)
empties all tables with one ``TRUNCATE``; refusing it would break every such test. TRUNCATE needs
the table owner or the TRUNCATE privilege, so in production the application's role should not own
the tables; a truncation is in any case detected by ``verify_audit`` through the signed checkpoints
(and the checkpoints are logged, a witness outside the database).

SQLite: UPDATE is always refused. DELETE is refused unless the row is the OLDEST remaining one.
Django's ``flush`` on SQLite runs ``DELETE FROM <table>``, which walks the table in rowid (= id,
since ids are assigned in order under the chain lock) order, so each row is the oldest when its turn
comes and the flush succeeds; deleting a middle or the newest row is refused. An oldest-first purge
remains possible and is detected by ``verify_audit`` (the chain no longer starts at event 1).

Any later migration that rebuilds these tables on SQLite (``ALTER`` via table copy) drops their
triggers: it must run :func:`install` again.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditcheckpoint")
MESSAGE = "audit trail is append-only: % on % refused (审计日志只可追加，禁止修改或删除)"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION govhall_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}', TG_OP, TG_TABLE_NAME;
END
$$;
"""
PG_TRIGGER = (
    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION govhall_audit_append_only();"
)
PG_DROP = "DROP TRIGGER IF EXISTS {table}_append_only ON {table};"

SQLITE_NO_UPDATE = (
    "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN "
    "SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE on {table} refused (审计日志只可追加，禁止修改)'); END;"
)
SQLITE_NO_DELETE = (
    "CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
    "WHEN EXISTS (SELECT 1 FROM {table} WHERE id < OLD.id) BEGIN "
    "SELECT RAISE(ABORT, 'audit trail is append-only: DELETE on {table} refused (审计日志只可追加，禁止删除)'); END;"
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS {table}_no_update;", "DROP TRIGGER IF EXISTS {table}_no_delete;")


def statements(vendor: str, *, drop: bool = False) -> list[str]:
    """The SQL that installs (or removes) the guards on ``vendor``; empty for other databases."""
    if vendor == "postgresql":
        if drop:
            return [PG_DROP.format(table=t) for t in TABLES] + ["DROP FUNCTION IF EXISTS govhall_audit_append_only();"]
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
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
