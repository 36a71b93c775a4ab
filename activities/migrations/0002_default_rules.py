"""The 三会一课 rules of the party constitution, as defaults that apply everywhere until committee
staff set their own: 支部党员大会 and 党课 at least once a quarter, 支委会 and 党小组会 at least once
a month (支委会 where a branch has a committee, 党小组会 where it has groups)."""

from django.db import migrations

DEFAULTS = [
    ("assembly", "quarter", "all"),
    ("committee", "month", "with_committee"),
    ("group", "month", "with_groups"),
    ("lecture", "quarter", "all"),
]


def create_defaults(apps, schema_editor):
    ComplianceRule = apps.get_model("activities", "ComplianceRule")
    for kind, period, applies_to in DEFAULTS:
        ComplianceRule.objects.get_or_create(
            owner=None, kind=kind, defaults={"period": period, "minimum": 1, "applies_to": applies_to}
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("activities", "ComplianceRule").objects.filter(owner=None).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
