# The pledge list's keyset order, the approval queue's order and its overdue items (see docs/benchmarks.md).
# Index-only: no data changes. The new indexes are built before the ones they replace are dropped.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0002_service_phone_encrypted"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(fields=["org", "id"], name="pledge_list_idx"),
        ),
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(fields=["status", "submitted_at", "id"], name="pledge_queue_idx"),
        ),
        migrations.AddIndex(
            model_name="pledgeitem",
            index=models.Index(
                condition=models.Q(("done_on__isnull", True)), fields=["due_on", "id"], name="pledge_item_open_due_idx"
            ),
        ),
        migrations.RemoveIndex(
            model_name="pledgeitem",
            name="pledge_item_due_idx",
        ),
        # pledge_list_idx leads with org_id, so the foreign key's own index is redundant.
        migrations.AlterField(
            model_name="pledge",
            name="org",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pledges",
                to="branches.organization",
                verbose_name="board of",
            ),
        ),
    ]
