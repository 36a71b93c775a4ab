"""Personal information at rest, step 3 of 3: the ID number's hash is unique (it replaces the
unique constraint on the plaintext), the phone's hash and the ID tail are indexed."""

from django.db import migrations

import members.pii


class Migration(migrations.Migration):
    dependencies = [("members", "0004_pii_encrypt")]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="id_hash",
            field=members.pii.DerivedCharField(derive="hash", max_length=64, source="id_number", unique=True),
        ),
        migrations.AlterField(
            model_name="member",
            name="id_tail",
            field=members.pii.DerivedCharField(db_index=True, derive="tail:4", max_length=4, source="id_number"),
        ),
        migrations.AlterField(
            model_name="member",
            name="phone_hash",
            field=members.pii.DerivedCharField(db_index=True, derive="hash", max_length=64, source="phone"),
        ),
    ]
