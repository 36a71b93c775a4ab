"""manage.py backup / restore: a seeded database (the world, pledges, activities with a photo,
history rows) round-trips through one archive with nothing lost: the row count of every model and
a sample of records field by field, and the uploaded files byte for byte. Restore refuses a
database that holds data unless --force."""

import tarfile
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, ActivityKind, ActivityPhoto
from audit.models import HistoryEntry
from branches.models import Organization, RoleAssignment
from campaigns.models import Campaign
from members.models import Member
from pledges import services as pledge_services
from pledges.models import Category, Pledge, PledgeItem
from portal.management.commands.backup import row_counts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVALUATION_SLIPS_ROOT = tmp_path / "private"
    w = world
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        org=w.jy, name="创先争优活动", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=90)
    )
    pledge = pledge_services.pledge_create(
        campaign=campaign,
        owner_member=w.members_a[0],
        data={"category": Category.DUTY, "needs_notes": "走访社区", "show_phone": True, "service_phone": "13655554444"},
        items=[{"content": "义务理发", "target": "全年12次", "due_on": today + timedelta(days=60)}],
        by=w.users.member_a,
    )
    Organization.objects.filter(pk=w.branch_a.pk).update(phone="0510-87651234")
    pledge_services.MOVE_SERVICES["submit"](pledge, w.users.member_a, reason="", outcome="")
    activity = Activity.objects.create(
        org=w.branch_a, branch=w.branch_a, kind=ActivityKind.ASSEMBLY, held_on=date(2026, 1, 5), title="党员大会"
    )
    photo = ActivityPhoto(activity=activity)
    photo.image.save("大会.jpg", ContentFile(b"\xff\xd8 picture bytes"), save=False)
    photo.thumbnail.save("大会-小.jpg", ContentFile(b"\xff\xd8 thumb"), save=False)
    photo.save()
    (settings.EVALUATION_SLIPS_ROOT / "x").mkdir(parents=True)
    (settings.EVALUATION_SLIPS_ROOT / "x" / "codes.pdf").write_bytes(b"%PDF-1.4 codes")
    return w


SAMPLES = (Organization, Member, User, RoleAssignment, Pledge, PledgeItem, Activity, ActivityPhoto, HistoryEntry)


def snapshot(settings):
    records = {model: [model_to_dict(o) for o in model.objects.order_by("pk")] for model in SAMPLES}
    # Content types are rebuilt by migrate, under new ids: what counts is the model they name.
    ContentType.objects.clear_cache()
    for row in records[HistoryEntry]:
        row["content_type"] = ContentType.objects.get_for_id(row["content_type"]).natural_key()
    files = {}
    for root in (settings.MEDIA_ROOT, settings.EVALUATION_SLIPS_ROOT):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                files[str(path.relative_to(root.parent))] = path.read_bytes()
    return row_counts(), records, files


def _str(records):
    # Files and many-to-many come back as objects; compare what they name.
    return {
        m: [{k: str(v) if not isinstance(v, list) else sorted(map(str, v)) for k, v in r.items()} for r in rows]
        for m, rows in records.items()
    }


def test_a_seeded_database_round_trips_with_nothing_lost(seeded, settings, tmp_path):
    import shutil

    before_counts, before_records, before_files = snapshot(settings)
    assert before_counts["pledges.pledge"] == 1 and before_counts["audit.historyentry"] > 0
    assert len(before_files) == 3
    archive = tmp_path / "backups" / "xianfeng.tar.gz"
    call_command("backup", str(archive))
    assert archive.is_file()
    with tarfile.open(archive) as tar:  # personal numbers travel as ciphertext, as in the database
        dumped = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    some = seeded.members_a[0]
    assert some.id_number.encode() not in dumped and some.phone.encode() not in dumped
    assert b"0510-87651234" not in dumped and b"13655554444" not in dumped  # orgs' and pledges' phones too
    assert Pledge.objects.get().service_phone == "13655554444"

    with pytest.raises(CommandError, match="已有数据"):
        call_command("restore", str(archive))

    # A new server: empty database (migrated), empty upload folders.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    shutil.rmtree(settings.EVALUATION_SLIPS_ROOT)
    assert not any(row_counts().values())

    call_command("restore", str(archive))
    after_counts, after_records, after_files = snapshot(settings)
    assert after_counts == before_counts
    raw_before = before_records
    before_records, after_records = _str(before_records), _str(after_records)
    for model, rows in before_records.items():
        for old, new in zip(rows, after_records[model], strict=True):
            changed = {k: (v, new.get(k)) for k, v in old.items() if new.get(k) != v}
            assert not changed, f"{model.__name__} {old['id']}: {changed}"
    assert after_files == before_files
    # The tree still works as a tree, and the restored users can still log in with their passwords.
    branch_a = Organization.objects.get(code="ZZ-JY-01")
    ancestors = Organization.objects.filter(code__in=["ZZ", "ZZ-JY"])
    assert all(branch_a.path.startswith(o.path) for o in ancestors) and len(ancestors) == 2
    assert User.objects.get(username="secretary_a").password == seeded.users.secretary_a.password
    # New rows get fresh keys (PostgreSQL's sequences were moved past the restored ones).
    assert Member.objects.create(org=branch_a, name="新党员", gender="male").pk > max(
        r["id"] for r in raw_before[Member]
    )


def test_restore_with_force_replaces_what_is_there(seeded, settings, tmp_path):
    archive = tmp_path / "xianfeng.tar.gz"
    call_command("backup", str(archive))
    before = row_counts()
    Member.objects.create(org=seeded.branch_b, name="后来的人", gender="male")
    (settings.MEDIA_ROOT / "stray.txt").write_bytes(b"left over")
    call_command("restore", str(archive), "--force")
    assert row_counts() == before
    assert not Member.objects.filter(name="后来的人").exists()
    assert not (settings.MEDIA_ROOT / "stray.txt").exists()


def test_backup_refuses_to_overwrite_and_restore_refuses_a_foreign_file(seeded, tmp_path):
    archive = tmp_path / "xianfeng.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(archive))
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="不是有效的备份文件"):
        call_command("restore", str(bogus), "--force")
