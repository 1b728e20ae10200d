"""Searching for part of an ID number (LIKE '%…%') over millions of members needs a trigram index on
PostgreSQL; other databases scan, which is fine at their scale (a county on SQLite)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_id_number_trgm ON registry_member USING gin (id_number gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_id_number_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_history_without_search_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
