"""The per-org member counts (members/headcount.py) equal a fresh GROUP BY of Member after every write path."""

import pytest

from members import headcount
from members.models import Member, OrgHeadcount, Stage
from tests.factories import MemberFactory


def assert_exact():
    assert headcount.stored() == headcount.truth()


@pytest.mark.django_db
def test_world_counts_are_exact(world):
    assert_exact()
    assert headcount.stored()[world.branch_a.pk][Stage.FULL] == 3


def test_save_transfer_and_delete(world):
    member = world.members_a[0]
    member.org = world.branch_b
    member.save()
    assert_exact()
    member.stage = Stage.PROBATIONARY
    member.save(update_fields=["stage"])
    assert_exact()
    Member.objects.filter(pk__in=[m.pk for m in world.members_b]).delete()
    assert_exact()
    member.delete()
    assert_exact()
    assert not OrgHeadcount.objects.filter(org=world.branch_b).exists()


def test_deferred_block_refreshes_once(world, django_assert_max_num_queries):
    with headcount.deferred():
        for _ in range(3):
            MemberFactory(org=world.hospital)
        assert headcount.stored()[world.hospital.pk][Stage.FULL] == 1
    assert_exact()


def test_rebuild_all(world):
    OrgHeadcount.objects.all().delete()
    assert headcount.rebuild_all() == len(headcount.truth())
    assert_exact()
