"""Indexes for the roster search on PostgreSQL (see MemberQuerySet.search and bench/pages.py).

Expression and trigram indexes are PostgreSQL-only, so they are created here rather than in
Member.Meta; SQLite (local runs, tests) answers the same queries by scanning, which is fast at
its sizes. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it;
where that is refused, the name index is skipped and names are searched by scanning.
"""

from django.db import migrations, transaction

INDEXES = {
    # name LIKE '王伟%'
    "member_name_prefix_idx": "(name varchar_pattern_ops)",
    # SUBSTRING(name, 2) LIKE '建国%': the given name after a one-character surname
    "member_given_name_idx": '(("substring"((name)::text, 2)) text_pattern_ops)',
    # REVERSE(id_number) LIKE 'X321%': the tail of the ID number
    "member_id_reversed_idx": "((reverse((id_number)::text)) text_pattern_ops)",
    # phone LIKE '1391%'
    "member_phone_prefix_idx": "(phone varchar_pattern_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = "members_member"
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {expression}")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - no privilege: keep working without the trigram index
        pass
    else:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS member_name_trgm_idx ON {table} USING gin (name gin_trgm_ops)")
    # Statistics on the expressions, without which the planner guesses and scans the table.
    schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*INDEXES, "member_name_trgm_idx"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
