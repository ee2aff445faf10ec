"""PostgreSQL: refuse TRUNCATE of the audit tables where the operator switched the guard on.

Django's ``flush`` (after every ``transaction=True`` test) truncates every table, so TRUNCATE cannot
be refused unconditionally (see 0002). This statement trigger refuses it only when the setting
``govhall.audit_refuse_truncate`` is ``on``; production sets it once per database:

    ALTER DATABASE govhall SET govhall.audit_refuse_truncate = on;

Test databases are created fresh and do not inherit database-level settings, so tests keep working,
while a mistaken ``manage.py flush`` or ``TRUNCATE`` against production is refused. (Whoever can
change settings or disable triggers can still get past it: the signed checkpoints remain the proof.)
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditcheckpoint")

FUNCTION = """
CREATE OR REPLACE FUNCTION govhall_audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('govhall.audit_refuse_truncate', true), '') = 'on' THEN
        RAISE EXCEPTION 'audit trail is append-only: TRUNCATE on % refused (审计日志只可追加，禁止清空)', TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;
"""
TRIGGER = (
    "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION govhall_audit_no_truncate();"
)
DROP = "DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};"


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(TRIGGER.format(table=table), params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP.format(table=table), params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS govhall_audit_no_truncate();", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
