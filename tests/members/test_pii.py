"""Personal information at rest (个人信息保护法): encrypted ID numbers and phones, lookups by keyed
hash, key rotation, masking for those who do not manage the member, the access log, masked history."""

import base64
import importlib
import os

import pytest
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse

from audit.models import HistoryEntry
from imports.bulk_insert import insert_returning_pks
from members import pii, services
from members.idcard import check_char, mask
from members.models import Member, PiiAccess
from tests.factories import MemberFactory

encrypt_migration = importlib.import_module("members.migrations.0004_pii_encrypt")


def stored(member) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, id_hash, id_tail, phone, phone_hash FROM members_member WHERE id = %s", [member.pk]
        )
        row = cursor.fetchone()
    return dict(zip(["id_number", "id_hash", "id_tail", "phone", "phone_hash"], row, strict=True))


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def an_id(serial: int) -> str:
    body = f"37020219800101{serial:03d}"
    return body + check_char(body)


def test_the_database_holds_no_plaintext(world):
    member = world.members_a[0]
    row = stored(member)
    assert row["id_number"].startswith(pii.PREFIX) and member.id_number not in row["id_number"]
    assert row["phone"].startswith(pii.PREFIX) and member.phone not in row["phone"]
    assert row["id_hash"] == pii.digest(member.id_number, "id_number") != member.id_number
    assert row["phone_hash"] == pii.digest(member.phone, "phone")
    assert row["id_tail"] == member.id_number[-4:]
    # Two rows with the same phone do not share a ciphertext (a fresh nonce every time).
    other = MemberFactory(org=member.org, phone=member.phone)
    assert stored(other)["phone"] != row["phone"] and stored(other)["phone_hash"] == row["phone_hash"]
    fresh = Member.objects.get(pk=member.pk)
    assert (fresh.id_number, fresh.phone) == (member.id_number, member.phone)


def test_lookups_go_through_the_hash(world):
    member = world.members_a[1]
    assert Member.objects.get(id_number=member.id_number) == member
    assert list(Member.objects.filter(phone=member.phone)) == [member]
    assert set(Member.objects.filter(id_number__in=[member.id_number, "nope"])) == {member}
    assert Member.objects.filter(org__members__id_number=member.id_number).exists()
    last = member.id_number[-1]
    assert not Member.objects.filter(id_number=member.id_number[:-1] + ("1" if last == "0" else "0")).exists()
    with pytest.raises(FieldError):
        list(Member.objects.filter(phone__startswith=member.phone[:4]))
    with pytest.raises(FieldError):
        list(Member.objects.filter(id_number__contains="1990"))


def test_the_hash_keeps_id_numbers_unique(world):
    member = world.members_a[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(org=member.org, name="重复", id_number=member.id_number)


def test_update_bulk_create_and_fast_insert_fill_hashes(world):
    org = world.branch_a
    Member.objects.filter(pk=world.members_a[0].pk).update(phone="13512345678")
    assert Member.objects.get(phone="13512345678") == world.members_a[0]
    made = Member.objects.bulk_create([Member(org=org, name="甲", id_number=an_id(1), phone="13600000001")])
    fast = [Member(org=org, name="乙", id_number=an_id(2), phone="13600000002")]
    insert_returning_pks(fast)
    for member, number in ((made[0], an_id(1)), (fast[0], an_id(2))):
        row = stored(member)
        assert row["id_number"].startswith(pii.PREFIX) and row["id_tail"] == number[-4:]
        assert Member.objects.get(id_number=number).pk == member.pk
    assert Member.objects.get(phone="13600000002").name == "乙"


def test_rotation_keeps_values_readable(world):
    # The test rows so far were encrypted with the key derived from SECRET_KEY.
    dev = base64.urlsafe_b64encode(pii._dev_key("encrypt", settings.SECRET_KEY)).decode()
    old, new = new_key(), new_key()
    with override_settings(PII_KEYS=[old, dev]):
        member = MemberFactory(org=world.branch_a, id_number=an_id(3), phone="13700000003")
        old_id = pii.current_key_id()
    with override_settings(PII_KEYS=[new, old, dev]):
        assert Member.objects.get(pk=member.pk).phone == "13700000003"
        call_command("rotate_pii_keys", batch_size=2, verbosity=0)
        new_id = pii.current_key_id()
    assert old_id != new_id
    with override_settings(PII_KEYS=[new]):
        assert stored(member)["id_number"].startswith(f"{pii.PREFIX}{new_id}$")
        fresh = Member.objects.get(id_number=an_id(3))
        assert (fresh.pk, fresh.phone) == (member.pk, "13700000003")
        # Every row now reads with the new key alone.
        assert {m.phone for m in Member.objects.all()} >= {m.phone for m in world.members_a}


def test_production_refuses_to_run_without_keys():
    with override_settings(DEBUG=False, PII_DEV_KEYS=False, PII_KEYS=[], PII_HASH_KEY=""):
        with pytest.raises(ImproperlyConfigured):
            pii.encrypt("13800000000", "members.member.phone")
        with pytest.raises(ImproperlyConfigured):
            pii.digest("13800000000", "phone")


def test_non_managers_see_masked_values(world, login):
    member = world.members_a[0]  # world.users.member_a's own record
    page = login(world.users.member_a).get(reverse("members:me")).content.decode()
    assert member.id_number not in page and member.phone not in page
    assert mask(member.id_number) in page and pii.mask_phone(member.phone) in page
    assert not PiiAccess.objects.exists()
    roster = login(world.users.secretary_a).get(reverse("members:member_list")).content.decode()
    assert member.phone not in roster and pii.mask_phone(member.phone) in roster


def test_unmasked_views_and_exports_are_logged(world, login):
    member = world.members_a[1]
    client = login(world.users.secretary_a)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert member.id_number in page and member.phone in page
    client.get(reverse("members:member_edit", args=[member.pk]))
    client.get(reverse("imports:export_members"))
    rows = list(PiiAccess.objects.order_by("id").values_list("user", "action", "member", "count"))
    me = world.users.secretary_a.pk
    assert rows == [
        (me, "view", member.pk, 1),
        (me, "edit", member.pk, 1),
        (me, "export", None, len(world.members_a)),
    ]


def test_the_access_log_is_for_superusers_in_the_admin(world, login):
    url = reverse("admin:members_piiaccess_changelist")
    services.record_pii_access(world.users.secretary_a, PiiAccess.Action.VIEW, member=world.members_a[0])
    assert login(world.users.admin).get(url).status_code == 200


def test_history_stores_masked_values(world):
    member = world.members_a[2]
    services.member_update(member=member, data={"phone": "13812345678"}, by=world.users.admin)
    entry = HistoryEntry.objects.filter(object_id=str(member.pk), action="update").latest("id")
    assert entry.changes["phone"]["new"] == "138****5678"
    assert "13812345678" not in str(entry.changes)
    assert all(name not in entry.changes for name in ("id_hash", "id_tail", "phone_hash"))


def test_data_migration_encrypts_plaintext_rows_in_place(world):
    member = world.members_a[0]
    number, phone = member.id_number, member.phone
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_member SET id_number = %s, phone = %s, id_hash = %s, id_tail = '', phone_hash = '' "
            "WHERE id = %s",
            [number, phone, "legacy", member.pk],
        )
    assert stored(member)["id_number"] == number
    assert Member.objects.get(pk=member.pk).id_number == number  # legacy plaintext still reads
    assert encrypt_migration.encrypt_rows(connection, batch=2) == 1
    row = stored(member)
    assert row["id_number"].startswith(pii.PREFIX) and row["phone"].startswith(pii.PREFIX)
    assert (row["id_tail"], row["id_hash"]) == (number[-4:], pii.digest(number, "id_number"))
    assert Member.objects.get(id_number=number).phone == phone
    assert Member.objects.get(phone=phone).pk == member.pk
    assert encrypt_migration.encrypt_rows(connection) == 0  # nothing left to do
    encrypt_migration.decrypt_rows(connection)
    assert stored(member)["id_number"] == number


def _migrate_a_plaintext_sqlite_file(tmp_path, number: str, phone: str) -> str:
    """SQLite alters tables only outside a transaction, so there the same path runs on a scratch
    database file in child processes: migrate to 0002, write a plaintext row, migrate to the end,
    and read the member back through the ORM."""
    import sqlite3
    import subprocess
    import sys

    env = {**os.environ, "XIANFENG_DB_ENGINE": "sqlite", "XIANFENG_SQLITE_PATH": str(tmp_path / "old.sqlite3")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    run = {"env": env, "check": True, "capture_output": True, "text": True, "cwd": settings.BASE_DIR}
    subprocess.run([*manage, "migrate", "-v", "0"], **run)
    subprocess.run([*manage, "migrate", "members", "0002_search_indexes", "-v", "0"], **run)
    with sqlite3.connect(env["XIANFENG_SQLITE_PATH"]) as db:
        db.execute(
            "INSERT INTO branches_organization (path, depth, numchild, name, short_name, code, kind, category, "
            "is_joint, is_temporary, is_active, phone, address, created_at, updated_at) VALUES "
            "('0001', 1, 0, '迁移测试支部', '', 'MIG', 'branch', '', 0, 0, 1, '', '', '2024-01-01', '2024-01-01')"
        )
        db.execute(
            "INSERT INTO members_member (org_id, name, gender, ethnicity, id_number, education, stage, work_unit, "
            "party_post, phone, is_mobile, is_retired, is_frail, is_unemployed, photo, photo_thumbnail, "
            "created_at, updated_at) VALUES (1, '旧数据', 'male', '汉族', ?, '', 'full', '', '', ?, 0, 0, 0, 0, "
            "'', '', '2024-01-01', '2024-01-01')",
            [number, phone],
        )
    subprocess.run([*manage, "migrate", "-v", "0"], **run)
    with sqlite3.connect(env["XIANFENG_SQLITE_PATH"]) as db:
        raw = db.execute("SELECT id_number, phone, id_tail FROM members_member").fetchone()
    assert raw[0].startswith(pii.PREFIX) and raw[1].startswith(pii.PREFIX) and raw[2] == number[-4:]
    read = (
        f"from members.models import Member; m = Member.objects.get(id_number={number!r}); "
        f"print(m.name, m.phone, Member.objects.get(phone={phone!r}).pk == m.pk)"
    )
    return subprocess.run([*manage, "shell", "-v", "0", "-c", read], **run).stdout.strip()


@pytest.mark.django_db
def test_migrations_encrypt_an_existing_plaintext_roster(tmp_path):
    """Back to the plaintext schema of 0002, a roster in plain text, then 0003 → 0004 → 0005.

    On PostgreSQL inside the test's transaction, so no flush disturbs the tests after it; on SQLite
    through a scratch database file (see _migrate_a_plaintext_sqlite_file).
    """
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor == "sqlite":
        number, phone = an_id(7), "13900000007"
        assert _migrate_a_plaintext_sqlite_file(tmp_path, number, phone) == f"旧数据 {phone} True"
        return

    from tests.factories import make_org

    org = make_org("迁移测试支部")
    number, phone = an_id(7), "13900000007"
    executor = MigrationExecutor(connection)
    executor.migrate([("members", "0002_search_indexes")])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO members_member (org_id, name, gender, ethnicity, id_number, education, stage, work_unit, "
                "party_post, phone, is_mobile, is_retired, is_frail, is_unemployed, photo, photo_thumbnail, "
                "created_at, updated_at) VALUES (%s, '旧数据', 'male', '汉族', %s, '', 'full', '', '', %s, "
                "%s, %s, %s, %s, '', '', %s, %s)",
                [org.pk, number, phone, False, False, False, False, "2024-01-01 00:00:00", "2024-01-01 00:00:00"],
            )
            # Deferred foreign key checks now, or ALTER TABLE refuses a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("members"))
    member = Member.objects.get(id_number=number)
    assert (member.name, member.phone, member.id_tail) == ("旧数据", phone, number[-4:])
    row = stored(member)
    assert row["id_number"].startswith(pii.PREFIX) and row["phone"].startswith(pii.PREFIX)
    assert Member.objects.get(phone=phone) == member
