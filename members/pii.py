"""Personal information at rest (个人信息保护法): 公民身份号码 and phone numbers.

Values are stored encrypted with AES-GCM under the current key of ``XIANFENG_PII_KEYS`` (a
comma-separated list of url-safe base64 32-byte keys: the first encrypts, all decrypt; rotate
by putting a new key first and running ``manage.py rotate_pii_keys``). Equality lookups go
through a keyed HMAC-SHA256 (``XIANFENG_PII_HASH_KEY``) kept in a sibling column: the ORM's
``exact`` and ``in`` lookups on an encrypted field are rewritten to that column, so
``Member.objects.filter(id_number=...)`` keeps working; any other lookup is refused.

A stored value reads ``pii1$<key id>$<base64 nonce+ciphertext>``; a value without the prefix
is legacy plaintext (read as it is until the data migration or rotate_pii_keys encrypts it).
"""

import base64
import functools
import hashlib
import hmac
import math
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull

PREFIX = "pii1$"
NONCE_BYTES = 12
TAG_BYTES = 16


def _decode_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured("Each XIANFENG_PII_KEYS key must be 32 bytes in url-safe base64.")
    return key


def _dev_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "PII_DEV_KEYS", False))


def _dev_secret() -> str | None:
    """SECRET_KEY, from which DEBUG runs and tests derive their keys; None in production."""
    return settings.SECRET_KEY if _dev_allowed() else None


def _dev_key(purpose: str, secret: str) -> bytes:
    return hashlib.sha256(f"xianfeng-pii-dev:{purpose}:{secret}".encode()).digest()


@functools.cache
def _keys(spec: tuple[str, ...], dev_secret: str | None) -> tuple[tuple[str, AESGCM], ...]:
    if spec:
        raw = [_decode_key(item) for item in spec]
    elif dev_secret is not None:
        raw = [_dev_key("encrypt", dev_secret)]
    else:
        raise ImproperlyConfigured("XIANFENG_PII_KEYS must be set: personal information is encrypted at rest.")
    return tuple((hashlib.sha256(b"kid" + key).hexdigest()[:8], AESGCM(key)) for key in raw)


def keys() -> tuple[tuple[str, AESGCM], ...]:
    """(key id, cipher) pairs, current key first."""
    return _keys(tuple(getattr(settings, "PII_KEYS", ())), _dev_secret())


@functools.cache
def _hash_key(spec: str, dev_secret: str | None) -> bytes:
    if spec:
        return spec.encode()
    if dev_secret is not None:
        return _dev_key("hash", dev_secret)
    raise ImproperlyConfigured("XIANFENG_PII_HASH_KEY must be set: personal information is looked up by keyed hash.")


def current_key_id() -> str:
    return keys()[0][0]


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(value: str, context: str) -> str:
    """A fresh ciphertext of ``value`` (empty stays empty) bound to ``context`` (the column)."""
    if value is None or value == "" or is_encrypted(value):
        return value
    kid, cipher = keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, str(value).encode(), context.encode())
    return f"{PREFIX}{kid}${base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def decrypt(value, context: str):
    if not is_encrypted(value):
        return value  # empty, NULL, or legacy plaintext
    _, kid, body = value.split("$", 2)
    for key_id, cipher in keys():
        if key_id == kid:
            blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode()).decode()
    raise ImproperlyConfigured(f"No key in XIANFENG_PII_KEYS decrypts values of key id {kid}.")


def digest(value, purpose: str) -> str:
    """HMAC-SHA256 of a value for equality lookups; empty stays empty."""
    if value is None or value == "":
        return ""
    key = _hash_key(getattr(settings, "PII_HASH_KEY", ""), _dev_secret())
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """138****5678: the operator prefix and the last four stay."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def stored_length(max_length: int) -> int:
    """Column width for a ciphertext of up to ``max_length`` characters (4 UTF-8 bytes each)."""
    blob = NONCE_BYTES + 4 * max_length + TAG_BYTES
    return len(PREFIX) + 8 + 1 + math.ceil(blob / 3) * 4


# --------------------------------------------------------------------------------------------
# Model fields
# --------------------------------------------------------------------------------------------
def _context(field) -> str:
    return f"{field.model._meta.label_lower}.{field.name}"


class _HashedLookup:
    """Rewrites a lookup on an encrypted field into the same lookup on its hash column."""

    def __init__(self, lhs, rhs):
        field = lhs.output_field
        if not isinstance(lhs, Col) or not field.hash_field:
            raise FieldError(f"{field.name} is encrypted: only equality lookups on the column itself are possible.")
        hash_field = lhs.target.model._meta.get_field(field.hash_field)
        super().__init__(Col(lhs.alias, hash_field), self.hash_rhs(field, rhs))

    @staticmethod
    def hash_one(field, value):
        if hasattr(value, "resolve_expression"):
            raise FieldError(f"{field.name} is encrypted: compare it with values, not expressions.")
        return digest(field.normalize(value), field.name)


class HashedExact(_HashedLookup, Exact):
    def hash_rhs(self, field, rhs):
        return self.hash_one(field, rhs)


class HashedIn(_HashedLookup, In):
    def hash_rhs(self, field, rhs):
        if hasattr(rhs, "resolve_expression"):
            raise FieldError(f"{field.name} is encrypted: compare it with values, not a subquery.")
        return [self.hash_one(field, value) for value in rhs]


class EncryptedCharField(models.CharField):
    """A CharField stored as AES-GCM ciphertext; ``max_length`` is the plaintext's.

    ``hash_field`` names the HMAC column that answers ``exact`` / ``in`` lookups.
    """

    description = "Encrypted text"

    def __init__(self, *args, hash_field=None, **kwargs):
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def normalize(self, value):
        return "" if value is None else str(value)

    def masked(self, value) -> str:
        """How history and readers without the right see the value."""
        from .idcard import mask

        value = str(value or "")
        return mask(value) if self.name == "id_number" else mask_phone(value)

    def db_type_parameters(self, connection):
        # The column holds the ciphertext; max_length (forms, validation) is the plaintext's.
        return {**super().db_type_parameters(connection), "max_length": stored_length(self.max_length)}

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        return encrypt(value, _context(self))

    def from_db_value(self, value, expression, connection):
        return decrypt(value, _context(self))

    def value_to_string(self, obj):
        # Serialized (dumpdata, backup archives) as ciphertext: an archive is no weaker than the database.
        return encrypt(self.normalize(self.value_from_object(obj)), _context(self))

    def to_python(self, value):
        value = super().to_python(value)
        if is_encrypted(value):
            try:
                return decrypt(value, _context(self))
            except (ValueError, InvalidTag):
                return value  # typed text that merely looks like ciphertext: validation will refuse it
        return value

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return HashedExact
        if lookup_name == "in":
            return HashedIn
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name):
        return None


class DerivedCharField(models.CharField):
    """A plain column computed from another field on every save: a keyed hash or the last characters.

    ``derive`` is "hash" (HMAC of the source) or "tail:N" (its last N characters).
    """

    audit_ignore = True  # follows its source, which the history shows masked

    def __init__(self, *args, source, derive="hash", **kwargs):
        self.source = source
        self.derive = derive
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["derive"] = self.derive
        kwargs.pop("editable", None)
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def compute(self, obj):
        value = getattr(obj, self.source)
        if self.derive == "hash":
            return digest(value, self.source)
        return (value or "")[-int(self.derive.split(":")[1]) :]

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def sync_derived(obj) -> None:
    """Refresh the hash and tail columns of an instance (for bulk_update, which skips pre_save)."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, DerivedCharField):
            setattr(obj, field.attname, field.compute(obj))


def derived_updates(model, values: dict) -> dict:
    """The derived columns a QuerySet.update(**values) must write along with ``values``."""
    extra = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, DerivedCharField) and field.source in values and field.attname not in values:
            value = values[field.source]
            if hasattr(value, "resolve_expression"):
                raise FieldError(f"{field.source} is encrypted: update it with a value, not an expression.")
            probe = model(**{field.source: value})
            extra[field.attname] = field.compute(probe)
    return extra


def member_row(id_number: str, phone: str) -> dict[str, str]:
    """The stored columns of a member's ID number and phone, for raw INSERT / COPY writers (bench)."""
    return {
        "id_number": encrypt(id_number, "members.member.id_number"),
        "id_hash": digest(id_number, "id_number"),
        "id_tail": (id_number or "")[-4:],
        "phone": encrypt(phone, "members.member.phone"),
        "phone_hash": digest(phone, "phone"),
    }


# --------------------------------------------------------------------------------------------
# Data migrations of a phone column (organizations' and pledges' phones, after members')
# --------------------------------------------------------------------------------------------
def encrypt_column(connection, table: str, column: str, hash_column: str, context: str, *, batch: int = 1000) -> int:
    """Encrypt the plaintext left in ``column`` and fill its keyed hash; returns how many rows changed.

    Only non-empty plaintext rows are read (an empty value and its empty hash need nothing), and
    each batch is written by one UPDATE ... FROM (VALUES ...), not a statement per row.
    """
    quote = connection.ops.quote_name
    done = 0
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, {quote(column)} FROM {quote(table)} WHERE id > %s AND {quote(column)} <> '' "
                f"AND {quote(column)} NOT LIKE %s ORDER BY id LIMIT %s",
                [last, PREFIX + "%", batch],
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            last = rows[-1][0]
            _update_from_values(
                cursor,
                quote,
                table,
                [column, hash_column],
                [(pk, encrypt(value, context), digest(value, column)) for pk, value in rows],
            )
            done += len(rows)


def decrypt_column(connection, table: str, column: str, context: str, *, batch: int = 1000) -> int:
    """The way back: plaintext again (the reverse migration drops the hash column after this)."""
    quote = connection.ops.quote_name
    done = 0
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, {quote(column)} FROM {quote(table)} WHERE id > %s AND {quote(column)} LIKE %s "
                "ORDER BY id LIMIT %s",
                [last, PREFIX + "%", batch],
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            last = rows[-1][0]
            _update_from_values(cursor, quote, table, [column], [(pk, decrypt(v, context)) for pk, v in rows])
            done += len(rows)


def _update_from_values(cursor, quote, table: str, columns: list[str], rows: list[tuple]) -> None:
    names = ", ".join(quote(name) for name in ["id", *columns])
    values = ", ".join(["(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"] * len(rows))
    sets = ", ".join(f"{quote(name)} = v.{quote(name)}" for name in columns)
    cursor.execute(
        f"WITH v ({names}) AS (VALUES {values}) UPDATE {quote(table)} SET {sets} FROM v WHERE {quote(table)}.id = v.id",
        [value for row in rows for value in row],
    )


def mask_history(apps, schema_editor, app_label: str, model: str, field: str) -> int:
    """Mask the phones an object's history kept in plain text before the column was encrypted."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    HistoryEntry = apps.get_model("audit", "HistoryEntry")
    db = schema_editor.connection.alias
    content_type = ContentType.objects.using(db).filter(app_label=app_label, model=model).first()
    if content_type is None:
        return 0
    entries = HistoryEntry.objects.using(db).filter(content_type=content_type, changes__has_key=field)
    changed = []
    for entry in entries.only("id", "changes").iterator(chunk_size=1000):
        change = entry.changes.get(field)
        if not isinstance(change, dict):
            continue
        masked = {**change, "old": mask_phone(change.get("old") or ""), "new": mask_phone(change.get("new") or "")}
        if masked != change:
            entry.changes = {**entry.changes, field: masked}
            changed.append(entry)
    HistoryEntry.objects.using(db).bulk_update(changed, ["changes"], batch_size=1000)
    return len(changed)


class DerivedUpdateMixin:
    """For the QuerySet of a model with encrypted fields: update() writes their hashes along."""

    def update(self, **kwargs):
        return super().update(**kwargs, **derived_updates(self.model, kwargs))

    update.alters_data = True
