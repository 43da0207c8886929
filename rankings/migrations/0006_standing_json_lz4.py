"""On PostgreSQL, compress the standings' JSON with lz4 rather than pglz.

A national race (2,844 districts × 40 indicators) stores about 58 MB of JSON per revision;
with pglz, compressing it was most of the time of writing the standings (1.5 s of COPY, against
0.6 s with lz4). Only rows written afterwards are affected; reading either is transparent.
Skipped where lz4 is unavailable (PostgreSQL before 14, or built without it) and elsewhere.
"""

from django.db import migrations

COLUMNS = ("contributions", "indicators", "reasons")


def _lz4_available(connection) -> bool:
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _set_compression(method: str):
    def apply(apps, schema_editor):
        if not _lz4_available(schema_editor.connection):
            return
        table = schema_editor.quote_name(apps.get_model("rankings", "Standing")._meta.db_table)
        changes = ", ".join(
            f"ALTER COLUMN {schema_editor.quote_name(column)} SET COMPRESSION {method}"
            for column in COLUMNS
        )
        schema_editor.execute(f"ALTER TABLE {table} {changes}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("rankings", "0005_publication_entered_values")]

    operations = [migrations.RunPython(_set_compression("lz4"), _set_compression("pglz"))]
