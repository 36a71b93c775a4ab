"""Personal information at rest, step 1 of 3: widen id_number and phone for ciphertext, add the
hash and tail columns (empty until 0004 fills them), drop the plaintext prefix indexes of 0002."""

from django.db import migrations

import members.idcard
import members.pii

PLAINTEXT_INDEXES = {
    "member_id_reversed_idx": "((reverse((id_number)::text)) text_pattern_ops)",
    "member_phone_prefix_idx": "(phone varchar_pattern_ops)",
}


def drop_plaintext_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in PLAINTEXT_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def recreate_plaintext_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in PLAINTEXT_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON members_member {expression}")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_search_indexes")]

    operations = [
        migrations.RunPython(drop_plaintext_indexes, recreate_plaintext_indexes),
        migrations.AlterField(
            model_name="member",
            name="id_number",
            field=members.pii.EncryptedCharField(
                hash_field="id_hash",
                max_length=18,
                validators=[members.idcard.validate_id_number],
                verbose_name="ID number",
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="phone",
            field=members.pii.EncryptedCharField(
                blank=True, hash_field="phone_hash", max_length=20, verbose_name="phone"
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="id_hash",
            field=members.pii.DerivedCharField(default="", derive="hash", max_length=64, source="id_number"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="member",
            name="id_tail",
            field=members.pii.DerivedCharField(default="", derive="tail:4", max_length=4, source="id_number"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="member",
            name="phone_hash",
            field=members.pii.DerivedCharField(default="", derive="hash", max_length=64, source="phone"),
            preserve_default=False,
        ),
    ]
