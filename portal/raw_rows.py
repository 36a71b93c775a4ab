"""Grouped counts as the database driver returns them."""

from django.db import connections


def fetch_tuples(queryset) -> list[tuple]:
    """The rows of a values_list query without Django's per-value converters: a province's ~15,000 rows
    of counts, ids and paths cost more in those converters than in the database, and need none."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
