"""Searching for part of a name ("秋志" finds 秦秋志) over millions of members: a trigram index on
PostgreSQL, which serves three characters or more (CJK characters make trigrams as letters do); other
databases scan, which is fine at their scale (a county on SQLite)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_name_trgm ON registry_member USING gin (name gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_member_no_without_like_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
