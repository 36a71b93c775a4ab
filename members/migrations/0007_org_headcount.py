import django.db.models.deletion
from django.db import migrations, models

STAGES = ("applicant", "activist", "candidate", "probationary", "full")


def fill(apps, schema_editor):
    """One INSERT ... SELECT over members grouped by org (a second or two at 300,000 members)."""
    quote = schema_editor.connection.ops.quote_name
    columns = ", ".join(quote(stage) for stage in STAGES)
    sums = ", ".join("SUM(CASE WHEN stage = %s THEN 1 ELSE 0 END)" for _ in STAGES)
    schema_editor.execute(
        f"INSERT INTO members_orgheadcount (org_id, {columns}) "
        f"SELECT org_id, {sums} FROM members_member GROUP BY org_id",
        list(STAGES),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0002_initial"),
        ("members", "0006_pii_access"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrgHeadcount",
            fields=[
                (
                    "org",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="headcount",
                        serialize=False,
                        to="branches.organization",
                    ),
                ),
                ("applicant", models.PositiveIntegerField(default=0)),
                ("activist", models.PositiveIntegerField(default=0)),
                ("candidate", models.PositiveIntegerField(default=0)),
                ("probationary", models.PositiveIntegerField(default=0)),
                ("full", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "member count",
                "verbose_name_plural": "member counts",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
