"""Full-text search over petition text that works for Chinese: pg_trgm on PostgreSQL, FTS5 trigram on SQLite."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE intake_petition_fts USING fts5("
    "search_text, content='intake_petition', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER intake_petition_fts_ai AFTER INSERT ON intake_petition BEGIN "
    "INSERT INTO intake_petition_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER intake_petition_fts_ad AFTER DELETE ON intake_petition BEGIN "
    "INSERT INTO intake_petition_fts(intake_petition_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER intake_petition_fts_au AFTER UPDATE OF search_text ON intake_petition BEGIN "
    "INSERT INTO intake_petition_fts(intake_petition_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO intake_petition_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO intake_petition_fts(intake_petition_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS intake_petition_fts_ai",
    "DROP TRIGGER IF EXISTS intake_petition_fts_ad",
    "DROP TRIGGER IF EXISTS intake_petition_fts_au",
    "DROP TABLE IF EXISTS intake_petition_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS intake_petition_search_trgm ON intake_petition USING gin (search_text gin_trgm_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS intake_petition_search_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_search_text")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
