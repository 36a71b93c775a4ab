"""Personal information at rest, step 2 of 3: encrypt the plaintext ID numbers and phones in
place and fill their hashes and tails (batches of 1,000, by primary key); mask them in the
members' history, which kept them in plain text (not undone by a reverse migration)."""

from django.db import migrations

from members import pii

BATCH = 1000
TABLE = "members_member"


def encrypt_rows(connection, *, batch: int = BATCH) -> int:
    """Encrypt every row still holding plaintext; returns how many rows were rewritten."""
    quote = connection.ops.quote_name
    done = 0
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, id_number, phone FROM {quote(TABLE)} WHERE id > %s ORDER BY id LIMIT %s", [last, batch]
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            last = rows[-1][0]
            updates = []
            for pk, id_number, phone in rows:
                number = pii.decrypt(id_number, "members.member.id_number")
                mobile = pii.decrypt(phone, "members.member.phone")
                if pii.is_encrypted(id_number) and (pii.is_encrypted(phone) or not phone):
                    continue
                updates.append(
                    [
                        pii.encrypt(number, "members.member.id_number"),
                        pii.digest(number, "id_number"),
                        (number or "")[-4:],
                        pii.encrypt(mobile, "members.member.phone"),
                        pii.digest(mobile, "phone"),
                        pk,
                    ]
                )
            if updates:
                cursor.executemany(
                    f"UPDATE {quote(TABLE)} SET id_number = %s, id_hash = %s, id_tail = %s, phone = %s, "
                    "phone_hash = %s WHERE id = %s",
                    updates,
                )
                done += len(updates)


def decrypt_rows(connection, *, batch: int = BATCH) -> int:
    """The way back: plaintext again (the columns of 0003 are dropped after this)."""
    quote = connection.ops.quote_name
    done = 0
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, id_number, phone FROM {quote(TABLE)} WHERE id > %s ORDER BY id LIMIT %s", [last, batch]
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            last = rows[-1][0]
            updates = [
                [pii.decrypt(number, "members.member.id_number"), pii.decrypt(phone, "members.member.phone"), pk]
                for pk, number, phone in rows
            ]
            cursor.executemany(f"UPDATE {quote(TABLE)} SET id_number = %s, phone = %s WHERE id = %s", updates)
            done += len(updates)


def mask_history(apps, schema_editor):
    from members.idcard import mask

    ContentType = apps.get_model("contenttypes", "ContentType")
    HistoryEntry = apps.get_model("audit", "HistoryEntry")
    db = schema_editor.connection.alias
    content_type = ContentType.objects.using(db).filter(app_label="members", model="member").first()
    if content_type is None:
        return
    maskers = {"id_number": mask, "phone": pii.mask_phone}
    entries = HistoryEntry.objects.using(db).filter(content_type=content_type).only("id", "changes")
    changed = []
    for entry in entries.iterator(chunk_size=BATCH):
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        dirty = False
        for name, masker in maskers.items():
            change = changes.get(name)
            if not isinstance(change, dict):
                continue
            masked = {**change, "old": masker(change.get("old") or ""), "new": masker(change.get("new") or "")}
            if masked != change:
                changes[name] = masked
                dirty = True
        if dirty:
            entry.changes = changes
            changed.append(entry)
        if len(changed) >= BATCH:
            HistoryEntry.objects.using(db).bulk_update(changed, ["changes"])
            changed = []
    if changed:
        HistoryEntry.objects.using(db).bulk_update(changed, ["changes"])


def forwards(apps, schema_editor):
    encrypt_rows(schema_editor.connection)
    mask_history(apps, schema_editor)


def backwards(apps, schema_editor):
    decrypt_rows(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_pii_columns"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
