"""The sentence the reports write about a subtree, computed from the data."""

from branches import stats
from branches.models import OrgKind
from members.models import Stage
from tests.factories import MemberFactory, make_org


def test_sentence_for_the_working_committee_counts_every_kind_below_it(world):
    summary = stats.subtree_summary(world.zz)
    assert summary.sentence == "下辖1个党委、1个党总支、3个党支部、1个党小组，共有党员7名"


def test_sentence_for_a_branch_and_a_committee(world):
    assert stats.subtree_summary(world.branch_a).sentence == "下辖1个党小组，共有党员3名"
    assert stats.subtree_summary(world.jy).sentence == "下辖2个党支部、1个党小组，共有党员6名"


def test_an_empty_org_has_no_list_only_zero_members(world):
    empty = make_org("新建党支部", OrgKind.BRANCH, parent=world.beier)
    assert stats.subtree_summary(empty).sentence == "共有党员0名"


def test_dissolved_orgs_and_people_not_yet_members_are_left_out(world):
    world.group_a.is_active = False
    world.group_a.save()
    MemberFactory(org=world.branch_a, stage=Stage.ACTIVIST)
    MemberFactory(org=world.branch_a, stage=Stage.PROBATIONARY)
    summary = stats.subtree_summary(world.branch_a)
    assert summary.sentence == "共有党员4名"
    assert summary.probationary == 1
