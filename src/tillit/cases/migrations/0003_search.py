"""The full-text index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE cases_search (case_id bigint PRIMARY KEY, document tsvector NOT NULL)"
        )
        schema_editor.execute("CREATE INDEX cases_search_document ON cases_search USING GIN (document)")
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE cases_search USING fts5(document, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS cases_search")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_event_append_only")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create, drop)],
            state_operations=[
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        (
                            "case",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="cases.case",
                            ),
                        ),
                        ("document", models.TextField()),
                    ],
                    options={"db_table": "cases_search"},
                ),
            ],
        )
    ]
