"""Pledges' service phones encrypted at rest, as members' phones are (members/pii.py): the column
widened for ciphertext, a keyed-hash column added, the plaintext encrypted in place and masked in
the pledges' history (the history is not unmasked by the reverse migration)."""

from django.db import migrations

import members.pii
from members import pii

TABLE, COLUMN, CONTEXT = "pledges_pledge", "service_phone", "pledges.pledge.service_phone"


def forwards(apps, schema_editor):
    pii.encrypt_column(schema_editor.connection, TABLE, COLUMN, "service_phone_hash", CONTEXT)
    pii.mask_history(apps, schema_editor, "pledges", "pledge", COLUMN)


def backwards(apps, schema_editor):
    pii.decrypt_column(schema_editor.connection, TABLE, COLUMN, CONTEXT)


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0001_initial"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pledge",
            name="service_phone",
            field=members.pii.EncryptedCharField(
                blank=True, hash_field="service_phone_hash", max_length=20, verbose_name="service phone"
            ),
        ),
        migrations.AddField(
            model_name="pledge",
            name="service_phone_hash",
            field=members.pii.DerivedCharField(db_default="", derive="hash", max_length=64, source="service_phone"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
