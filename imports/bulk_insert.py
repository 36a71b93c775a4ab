"""INSERT many new rows at once and give each object its primary key.

Django's bulk_create sends every cell through the SQL compiler (a few microseconds each); for a
20,000-row roster and its 20,000 history rows that was over half of the import. Here each column
gets its converter once, plain columns are passed through as they are, and one multi-row
``INSERT ... RETURNING`` per batch brings the keys back (PostgreSQL, and SQLite >= 3.35, both
return them in insertion order, which Django's own bulk_create relies on too).
"""

from django.db import connections, models, router
from django.utils import timezone

# Columns whose Python value the database driver takes as it is: these exact built-in types
# only. A subclass (an encrypted field, a hash computed in pre_save, ...) goes through pre_save
# and get_db_prep_save as in Django's bulk_create.
PASS_THROUGH = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveBigIntegerField,
    models.ForeignKey,
    models.OneToOneField,
)


def _converter(field, connection, now):
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        prepared = field.get_db_prep_save(now, connection)

        def stamp(obj):
            setattr(obj, attname, now)
            return prepared

        return stamp
    if type(field) in PASS_THROUGH:
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def insert_returning_pks(objs: list, *, batch_size: int = 500) -> None:
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    converters = [_converter(f, connection, timezone.now()) for f in fields]
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(meta.pk.column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            chunk = objs[start : start + batch_size]
            params = [convert(obj) for obj in chunk for convert in converters]
            cursor.execute(head + ", ".join([row] * len(chunk)) + tail, params)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
