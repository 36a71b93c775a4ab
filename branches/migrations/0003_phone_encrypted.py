"""Organizations' phones encrypted at rest, as members' are (members/pii.py): the column widened for
ciphertext, a keyed-hash column added, the plaintext encrypted in place and masked in the
organizations' history (the history is not unmasked by the reverse migration)."""

from django.db import migrations

import members.pii
from members import pii

TABLE, COLUMN, CONTEXT = "branches_organization", "phone", "branches.organization.phone"


def forwards(apps, schema_editor):
    pii.encrypt_column(schema_editor.connection, TABLE, COLUMN, "phone_hash", CONTEXT)
    pii.mask_history(apps, schema_editor, "branches", "organization", COLUMN)


def backwards(apps, schema_editor):
    pii.decrypt_column(schema_editor.connection, TABLE, COLUMN, CONTEXT)


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0002_initial"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="phone",
            field=members.pii.EncryptedCharField(
                blank=True, hash_field="phone_hash", max_length=30, verbose_name="phone"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="phone_hash",
            field=members.pii.DerivedCharField(db_default="", derive="hash", max_length=64, source="phone"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
