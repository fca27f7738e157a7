"""Refuse UPDATE and DELETE on the case log in the database itself, not only in the ORM."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER case_event_no_update BEFORE UPDATE ON cases_caseevent
       BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
    # tillit_append_only() is 0 only while `tillit flush` empties the whole database
    # (tillit.core.appendonly); a connection without the function cannot delete at all.
    """CREATE TRIGGER case_event_no_delete BEFORE DELETE ON cases_caseevent
       WHEN tillit_append_only()
       BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_event_no_update",
    "DROP TRIGGER IF EXISTS case_event_no_delete",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION case_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'case events are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER case_event_no_change BEFORE UPDATE OR DELETE ON cases_caseevent
       FOR EACH ROW EXECUTE FUNCTION case_event_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS case_event_no_change ON cases_caseevent",
    "DROP FUNCTION IF EXISTS case_event_append_only()",
]


def statements(vendor: str, forward: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE if forward else SQLITE_REVERSE
    if vendor == "postgresql":
        return POSTGRES if forward else POSTGRES_REVERSE
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def install(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, True):
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
