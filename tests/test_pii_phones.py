"""Organizations' phones and pledges' service phones, encrypted at rest like members' phones
(members/pii.py): no plaintext in the column, lookups by keyed hash, forms and imports round-trip,
masked for readers who do not manage the owner and in the history, key rotation, the data migration."""

import base64
import importlib
import io
import os
from datetime import timedelta

import pytest
from django.apps import apps as global_apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from audit.models import HistoryEntry
from audit.services import history_for
from branches.models import Organization
from branches.services import orgs as org_services
from campaigns.models import Campaign
from members import pii
from pledges import services as pledge_services
from pledges.models import Category, Pledge

ORG_PHONE = "0510-87654321"
SERVICE_PHONE = "13912345678"
ITEMS = [{"content": "义务理发", "target": "全年12次", "due_on": timezone.localdate() + timedelta(days=60)}]


def stored(table: str, column: str, pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}, {column}_hash FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return Campaign.objects.create(
        org=world.jy, name="创先争优活动", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=90)
    )


def make_pledge(world, campaign, phone=SERVICE_PHONE) -> Pledge:
    return pledge_services.pledge_create(
        campaign=campaign,
        owner_member=world.members_a[0],
        data={"category": Category.DUTY, "needs_notes": "走访社区", "show_phone": True, "service_phone": phone},
        items=ITEMS,
        by=world.users.member_a,
    )


def test_the_columns_hold_no_plaintext_and_lookups_use_the_hash(world, campaign):
    org_services.org_update(org=world.branch_a, by=world.users.staff_zz, phone=ORG_PHONE)
    pledge = make_pledge(world, campaign)
    for table, column, pk, plain in (
        ("branches_organization", "phone", world.branch_a.pk, ORG_PHONE),
        ("pledges_pledge", "service_phone", pledge.pk, SERVICE_PHONE),
    ):
        value, digest = stored(table, column, pk)
        assert value.startswith(pii.PREFIX) and plain not in value
        assert digest == pii.digest(plain, column)
    assert Organization.objects.get(phone=ORG_PHONE) == world.branch_a
    assert Organization.objects.get(pk=world.branch_a.pk).phone == ORG_PHONE
    assert Pledge.objects.get(service_phone=SERVICE_PHONE) == pledge
    assert Pledge.objects.get(pk=pledge.pk).board_phone == SERVICE_PHONE


def test_org_form_round_trip_and_masking_for_readers(world, login):
    client = login(world.users.staff_jy)
    url = reverse("branches:org_edit", args=[world.branch_b.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data["phone"] = ORG_PHONE
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert stored("branches_organization", "phone", world.branch_b.pk)[0].startswith(pii.PREFIX)
    assert client.get(url).context["form"].initial["phone"] == ORG_PHONE
    # The manager reads the number; a contact-point leader, who only reads branch B, sees it masked.
    detail = reverse("branches:org_detail", args=[world.branch_b.pk])
    assert ORG_PHONE in client.get(detail).content.decode()
    page = login(world.users.leader_c).get(detail).content.decode()
    assert ORG_PHONE not in page and pii.mask_phone(ORG_PHONE) in page
    # The history keeps the number masked only.
    entry = history_for(world.branch_b).first()
    assert entry.changes["phone"]["new"] == pii.mask_phone(ORG_PHONE)


def test_pledge_form_round_trip_and_masked_history(world, campaign, login):
    client = login(world.users.member_a)
    pledge = make_pledge(world, campaign, phone="13700000001")
    url = reverse("pledges:pledge_edit", args=[pledge.pk])
    form = client.get(url).context["form"]
    assert form.initial["service_phone"] == "13700000001"
    pledge_services.pledge_update(
        pledge=pledge, data={"service_phone": SERVICE_PHONE}, items=ITEMS, by=world.users.member_a
    )
    value, digest = stored("pledges_pledge", "service_phone", pledge.pk)
    assert value.startswith(pii.PREFIX) and digest == pii.digest(SERVICE_PHONE, "service_phone")
    assert client.get(url).context["form"].initial["service_phone"] == SERVICE_PHONE
    changes = [e.changes.get("service_phone") for e in history_for(pledge)]
    assert {"old": "137****0001", "new": "139****5678"}.items() <= next(c for c in changes if c and c["old"]).items()
    assert all(SERVICE_PHONE not in str(e.changes) for e in HistoryEntry.objects.all())


def test_org_import_and_export_keep_the_number(world, settings, tmp_path, login):
    from imports.services import batch_confirm, batch_start_preview, batch_upload

    settings.MEDIA_ROOT = str(tmp_path / "media")
    workbook = Workbook()
    workbook.active.append(["组织名称", "组织编码", "上级组织", "组织类型", "联系电话"])
    workbook.active.append(["第一中学党支部", "ZZ-JY-01", "ZZ-JY", "党支部", ORG_PHONE])
    workbook.active.append(["新建党支部", "ZZ-JY-09", "ZZ-JY", "党支部", "0510-11112222"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("orgs.xlsx", buffer.getvalue())
    batch = batch_upload(kind="orgs", upload=upload, target_org=world.jy, by=world.users.staff_jy)
    batch_start_preview(batch=batch)
    batch.refresh_from_db()
    batch_confirm(batch=batch, skip_errors=False, by=world.users.staff_jy)
    batch.refresh_from_db()
    assert (batch.counts["update"], batch.counts["new"]) == (1, 1)
    for code, phone in (("ZZ-JY-01", ORG_PHONE), ("ZZ-JY-09", "0510-11112222")):
        org = Organization.objects.get(phone=phone)  # the hash followed the update and the insert
        assert org.code == code
        assert stored("branches_organization", "phone", org.pk)[0].startswith(pii.PREFIX)
    export = login(world.users.staff_jy).get(reverse("imports:export_orgs"), {"org": world.jy.pk})
    sheet = load_workbook(io.BytesIO(export.content))
    cells = [c for row in sheet.active.iter_rows(values_only=True) for c in row]
    assert ORG_PHONE in cells


def test_rotation_covers_orgs_and_pledges(world, campaign):
    dev = base64.urlsafe_b64encode(pii._dev_key("encrypt", settings.SECRET_KEY)).decode()
    old, new = new_key(), new_key()
    with override_settings(PII_KEYS=[old, dev]):
        org_services.org_update(org=world.branch_a, by=world.users.staff_zz, phone=ORG_PHONE)
        pledge = make_pledge(world, campaign)
    with override_settings(PII_KEYS=[new, old, dev]):
        call_command("rotate_pii_keys", batch_size=2, verbosity=0)
        new_id = pii.current_key_id()
    with override_settings(PII_KEYS=[new]):
        assert stored("branches_organization", "phone", world.branch_a.pk)[0].startswith(f"{pii.PREFIX}{new_id}$")
        assert stored("pledges_pledge", "service_phone", pledge.pk)[0].startswith(f"{pii.PREFIX}{new_id}$")
        assert Organization.objects.get(phone=ORG_PHONE) == world.branch_a
        assert Pledge.objects.get(pk=pledge.pk).service_phone == SERVICE_PHONE
        # Every row now reads with the new key alone.
        assert all(o.phone is not None for o in Organization.objects.all())


def test_the_data_migration_encrypts_plaintext_and_masks_history(world, campaign):
    branches_migration = importlib.import_module("branches.migrations.0003_phone_encrypted")
    pledges_migration = importlib.import_module("pledges.migrations.0002_service_phone_encrypted")
    pledge = make_pledge(world, campaign, phone="13700000001")
    # Rows and history from before the encryption: plaintext written past the ORM.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE branches_organization SET phone = %s, phone_hash = '' WHERE id = %s", [ORG_PHONE, world.branch_a.pk]
        )
        cursor.execute(
            "UPDATE pledges_pledge SET service_phone = %s, service_phone_hash = '' WHERE id = %s",
            [SERVICE_PHONE, pledge.pk],
        )
    entry = HistoryEntry.objects.create(
        content_type_id=HistoryEntry.objects.filter(object_id=pledge.pk).first().content_type_id,
        object_id=pledge.pk,
        action=HistoryEntry.Action.UPDATE,
        changes={"service_phone": {"label": "service phone", "old": "", "new": SERVICE_PHONE}},
    )

    class Editor:
        connection = connection

    for migration in (branches_migration, pledges_migration):
        migration.forwards(global_apps, Editor)
    value, digest = stored("branches_organization", "phone", world.branch_a.pk)
    assert value.startswith(pii.PREFIX) and digest == pii.digest(ORG_PHONE, "phone")
    assert Pledge.objects.get(service_phone=SERVICE_PHONE).pk == pledge.pk
    entry.refresh_from_db()
    assert entry.changes["service_phone"]["new"] == "139****5678"
    # Running again changes nothing; the way back gives plaintext again.
    assert pii.encrypt_column(connection, "pledges_pledge", "service_phone", "service_phone_hash", "x") == 0
    pledges_migration.backwards(global_apps, Editor)
    assert stored("pledges_pledge", "service_phone", pledge.pk)[0] == SERVICE_PHONE


def test_bulk_create_as_seed_demo_writes_ciphertext_and_hash(world, campaign):
    """seed_demo writes organizations and pledges with bulk_create: the hash must follow there too."""
    org = Organization.objects.bulk_create(
        [Organization(path="0099", depth=1, name="新建党委", code="NEW", kind="committee", phone=ORG_PHONE)]
    )[0]
    value, digest = stored("branches_organization", "phone", org.pk)
    assert value.startswith(pii.PREFIX) and digest == pii.digest(ORG_PHONE, "phone")
    made = Pledge.objects.bulk_create(
        [
            Pledge(
                campaign=campaign,
                owner_member=world.members_a[2],
                org=world.branch_a,
                category=Category.DUTY,
                show_phone=True,
                service_phone="13800001234",
            )
        ]
    )
    value, digest = stored("pledges_pledge", "service_phone", made[0].pk)
    assert value.startswith(pii.PREFIX) and digest == pii.digest("13800001234", "service_phone")


def test_the_admin_shows_the_number_to_a_superuser(world, login):
    org_services.org_update(org=world.branch_a, by=world.users.staff_zz, phone=ORG_PHONE)
    page = login(world.users.admin).get(reverse("admin:branches_organization_change", args=[world.branch_a.pk]))
    assert page.status_code == 200 and f'value="{ORG_PHONE}"' in page.content.decode()


def test_seed_scale_writes_service_phones_encrypted():
    """seed_scale COPYs pledges past the ORM: it encrypts and hashes the phone itself."""
    from portal.scale.builder import _service_phone

    value, digest = _service_phone(SERVICE_PHONE)
    assert pii.decrypt(value, "pledges.pledge.service_phone") == SERVICE_PHONE and SERVICE_PHONE not in value
    assert digest == pii.digest(SERVICE_PHONE, "service_phone")
    assert _service_phone("") == ("", "")


def test_queryset_update_writes_the_hash_along(world, campaign):
    pledge = make_pledge(world, campaign)
    Pledge.objects.filter(pk=pledge.pk).update(service_phone="13600009999")
    Organization.objects.filter(pk=world.branch_b.pk).update(phone=ORG_PHONE)
    assert Pledge.objects.get(service_phone="13600009999") == pledge
    assert Organization.objects.get(phone=ORG_PHONE) == world.branch_b
    assert stored("pledges_pledge", "service_phone", pledge.pk)[0].startswith(pii.PREFIX)
