"""The per-org member counts (members/headcount.py) equal a fresh GROUP BY of Member after every write path,
and the pages that read them show what counting the member rows would show."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from branches import services as org_services
from branches.stats import subtree_summary
from branches.tree import attach_facts, children_slice
from members import headcount
from members import services as member_services
from members.models import Member, OrgHeadcount, Stage
from tests.factories import MemberFactory, make_id_number, make_org
from tests.imports.conftest import xlsx_bytes


def assert_exact():
    assert headcount.stored() == headcount.truth()


def test_the_world_is_counted_as_it_is_built(world):
    assert_exact()
    assert headcount.stored()[world.branch_a.pk][Stage.FULL] == 3
    assert not OrgHeadcount.objects.filter(org=world.zz).exists()  # nobody on its own roster


def test_save_transfer_stage_and_delete_on_the_model(world):
    member = world.members_a[0]
    member.org = world.branch_b
    member.save()
    assert_exact()
    member.stage = Stage.PROBATIONARY
    member.save(update_fields=["stage"])
    assert_exact()
    member.name = "改名"
    member.save(update_fields=["name"])
    assert_exact()
    Member.objects.filter(pk__in=[m.pk for m in world.members_b]).delete()
    assert_exact()
    member.delete()
    assert_exact()
    assert not OrgHeadcount.objects.filter(org=world.branch_b).exists()


def test_form_create_and_edit_with_a_transfer(world, login):
    client = login(world.users.staff_jy)
    number = make_id_number(date(1990, 1, 2))
    data = {
        "org": world.branch_a.pk,
        "name": "新党员",
        "id_number": number,
        "ethnicity": "汉族",
        "stage": Stage.ACTIVIST,
        "stage_on": "2024-01-01",
    }
    response = client.post(reverse("members:member_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(id_number=number)
    assert headcount.stored()[world.branch_a.pk][Stage.ACTIVIST] == 1
    assert_exact()
    edit = {k: v for k, v in data.items() if k not in ("stage", "stage_on")} | {"org": world.branch_b.pk}
    response = client.post(reverse("members:member_edit", args=[member.pk]), edit)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Member.objects.get(pk=member.pk).org == world.branch_b
    assert headcount.stored()[world.branch_a.pk][Stage.ACTIVIST] == 0
    assert_exact()


def test_pipeline_advance_and_correction(world):
    person = MemberFactory(org=world.branch_a, stage=Stage.APPLICANT)
    by = world.users.secretary_a
    member_services.member_advance_stage(member=person, on=date(2024, 3, 1), by=by)
    assert headcount.stored()[world.branch_a.pk][Stage.ACTIVIST] == 1
    assert_exact()
    member_services.member_correct_stage(member=person, stage=Stage.APPLICANT, on=date(2024, 3, 2), by=by, note="错")
    assert headcount.stored()[world.branch_a.pk][Stage.ACTIVIST] == 0
    assert_exact()


def test_member_update_service_transfer(world):
    member_services.member_update(member=world.members_a[1], data={"org": world.hospital}, by=world.users.staff_zz)
    assert headcount.stored()[world.hospital.pk][Stage.FULL] == 2
    assert_exact()


def test_a_save_rolled_back_leaves_the_counts_as_they_were(world):
    from django.db import transaction

    before = headcount.stored()
    with pytest.raises(RuntimeError), transaction.atomic():
        MemberFactory(org=world.branch_a)
        raise RuntimeError
    assert headcount.stored() == before
    assert_exact()


def test_roster_import_creates_and_moves_in_bulk(world, settings, tmp_path):
    from imports.services import batch_confirm, batch_start_preview, batch_upload
    from tests.imports.conftest import upload

    settings.MEDIA_ROOT = str(tmp_path / "media")
    moved = world.members_b[0]  # on 第二中学; the file puts them on 第一中学
    new = [make_id_number(date(1985, 3, 1)) for _ in range(2)]
    rows = [
        ["姓名", "身份证号", "人员类别", "所在党组织"],
        ["甲", new[0], "预备党员", "ZZ-JY-01"],
        ["乙", new[1], "入党积极分子", "ZZ-JY-01-G1"],
        [moved.name, moved.id_number, "正式党员", "ZZ-JY-01"],
    ]
    batch = batch_upload(kind="roster", upload=upload(xlsx_bytes(rows)), target_org=world.jy, by=world.users.staff_jy)
    batch_start_preview(batch=batch)
    batch.refresh_from_db()
    assert headcount.stored()[world.branch_b.pk][Stage.FULL] == 2  # the check writes nothing
    batch_confirm(batch=batch, skip_errors=False, by=world.users.staff_jy)
    batch.refresh_from_db()
    assert batch.counts == {"new": 2, "update": 1, "unchanged": 0, "error": 0}, batch.report
    assert headcount.stored()[world.branch_a.pk][Stage.PROBATIONARY] == 1
    assert headcount.stored()[world.group_a.pk][Stage.ACTIVIST] == 1
    assert headcount.stored()[world.branch_b.pk][Stage.FULL] == 1
    assert_exact()


def test_org_move_keeps_counts_and_the_tree_follows(world):
    before = headcount.stored()
    org_services.org_move(org=world.branch_a, target=world.wj, by=world.users.staff_zz)
    assert headcount.stored() == before
    assert_exact()
    world.wj.refresh_from_db()
    (wj,) = attach_facts([world.wj])
    assert wj.member_count == 4  # the hospital's one and branch A's three


def test_dissolving_an_org_is_refused_while_people_are_on_its_roll_and_counts_stay(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        org_services.org_dissolve(org=world.hospital, on=date(2025, 1, 1), by=world.users.staff_zz)
    empty = make_org("空支部", parent=world.beier, code="ZJL-BE-01")
    org_services.org_dissolve(org=empty, on=date(2025, 1, 1), by=world.users.staff_zjl)
    assert_exact()


def test_admin_save_and_delete(world, client):
    client.force_login(world.users.admin)
    member = world.members_a[2]
    url = reverse("admin:members_member_change", args=[member.pk])
    data = {
        "org": world.branch_b.pk,
        "name": member.name,
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "birth_date": member.birth_date or "",
        "id_number": member.id_number,
        "education": member.education,
        "stage": Stage.PROBATIONARY,
        "joined_on": "",
        "confirmed_on": "",
        "work_unit": "",
        "party_post": "",
        "phone": "",
        "user": "",
        "stage_steps-TOTAL_FORMS": "0",
        "stage_steps-INITIAL_FORMS": "0",
        "stage_steps-MIN_NUM_FORMS": "0",
        "stage_steps-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Member.objects.get(pk=member.pk).org == world.branch_b
    assert headcount.stored()[world.branch_b.pk][Stage.PROBATIONARY] == 1
    assert_exact()
    response = client.post(
        reverse("admin:members_member_changelist"),
        {"action": "delete_selected", "_selected_action": [m.pk for m in world.members_b], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Member.objects.filter(org=world.branch_b, stage=Stage.FULL).exists()
    assert_exact()


def test_rotating_the_pii_keys_changes_no_count(world):
    from members.management.commands.rotate_pii_keys import Command

    before = headcount.stored()
    call_command(Command())
    assert headcount.stored() == before
    assert_exact()


def test_deferred_block_refreshes_once_at_its_end(world):
    with headcount.deferred():
        for _ in range(3):
            MemberFactory(org=world.hospital)
        assert headcount.stored()[world.hospital.pk][Stage.FULL] == 1  # not yet
    assert headcount.stored()[world.hospital.pk][Stage.FULL] == 4
    assert_exact()


def test_rebuild_all_and_the_command(world):
    Member.objects.filter(pk=world.members_a[0].pk).update(stage=Stage.CANDIDATE)  # behind the signals' back
    with pytest.raises(CommandError, match="不符"):
        call_command("rebuild_headcounts", "--check")
    call_command("rebuild_headcounts")
    assert_exact()
    call_command("rebuild_headcounts", "--check")
    OrgHeadcount.objects.all().delete()
    assert headcount.rebuild_all() == len(headcount.truth())
    assert_exact()


def test_scope_total_is_everyone_on_the_rosters_below_the_paths(world):
    MemberFactory(org=world.group_a, stage=Stage.APPLICANT)
    assert headcount.scope_total([world.jy.path]) == Member.objects.filter(org__path__startswith=world.jy.path).count()
    assert headcount.scope_total([world.branch_a.path, world.beier.path]) == 3 + 1 + 1
    assert headcount.scope_total([]) == 0


def test_summary_and_tree_equal_counting_the_member_rows(world):
    MemberFactory(org=world.group_a, stage=Stage.PROBATIONARY)
    MemberFactory(org=world.branch_b, stage=Stage.CANDIDATE)
    summary = subtree_summary(world.zz)
    rows = Member.objects.filter(org__path__startswith=world.zz.path)
    assert summary.by_stage == {s: rows.filter(stage=s).count() for s in Stage if rows.filter(stage=s).exists()}
    assert summary.members == rows.party_members().count()
    nodes = children_slice(world.jy).nodes
    for node in nodes:
        assert node.member_count == Member.objects.party_members().in_subtree(node).count()


def test_query_counts_do_not_grow_with_members(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        subtree_summary(world.zz)
    for _ in range(20):
        MemberFactory(org=world.group_a)
    with django_assert_num_queries(3):
        subtree_summary(world.zz)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_recount(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVALUATION_SLIPS_ROOT = tmp_path / "private"
    before = headcount.stored()
    OrgHeadcount.objects.filter(org=world.branch_a).update(full=99)  # a stale row in the archive
    archive = tmp_path / "xianfeng.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(archive))
    assert headcount.stored() == before
    assert_exact()


def test_a_bulk_delete_in_a_deferred_block_is_counted_once(world, django_assert_max_num_queries):
    # What seed_demo --reset does with the demo people.
    with headcount.deferred():
        Member.objects.filter(org__path__startswith=world.jy.path).delete()
    assert_exact()
    assert not OrgHeadcount.objects.filter(org__path__startswith=world.jy.path).exists()


def test_seed_scale_leaves_exact_counts(db):
    from django.test import override_settings

    with override_settings(DEMO_DATABASE=True):
        call_command("seed_scale", "--small", stdout=StringIO())
    assert_exact()
    assert sum(row.total for row in OrgHeadcount.objects.all()) == Member.objects.count()
