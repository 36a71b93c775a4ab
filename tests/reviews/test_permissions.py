"""Who may review whom: the line of subordination, the contact point, and everyone else refused."""

import pytest

from branches.models import Organization
from reviews.models import Basis
from reviews.permissions import may_review, reviewable_members, reviewable_orgs


def fresh(user):
    """The user as the next request sees them (scope and leadership are cached per request)."""
    return type(user).objects.get(pk=user.pk)


def test_the_head_of_the_committee_reviews_its_branches_and_their_heads(world, heads):
    head = fresh(heads.head_jy_user)
    for target in (world.branch_a, world.branch_b, heads.head_a, heads.head_b):
        decision = may_review(head, target)
        assert decision.allowed, target
        assert decision.basis == Basis.SUPERIOR_HEAD
    assert "直接上级" in may_review(head, world.branch_a).reason
    assert "州教育局党委" in may_review(head, world.branch_a).reason


def test_the_head_of_the_committee_reviews_its_own_members_but_not_itself_or_its_superior(world, heads):
    head = fresh(heads.head_jy_user)
    decision = may_review(head, world.leader_member)  # 陈局长, a member of the committee itself
    assert decision.allowed and decision.basis == Basis.OWN_HEAD
    assert not may_review(head, world.jy)
    assert not may_review(head, world.zz)
    assert not may_review(head, heads.head_jy).allowed
    assert "自己" in may_review(head, heads.head_jy).reason


def test_an_ancestor_further_up_also_reviews_and_the_reason_says_superior(world, heads):
    head = fresh(heads.head_zz_user)
    decision = may_review(head, world.branch_a)  # two levels down
    assert decision.allowed and decision.basis == Basis.SUPERIOR_HEAD
    assert "上级党组织" in decision.reason and "直接上级" not in decision.reason
    assert may_review(head, world.hospital)
    assert may_review(head, heads.head_jy)  # the head of a subordinate committee


def test_nobody_reviews_across_the_tree(world, heads):
    head = fresh(heads.head_jy_user)
    assert not may_review(head, world.hospital)
    assert not may_review(head, world.beier)
    assert not may_review(head, world.hospital_members[0])
    assert not may_review(head, world.beier_members[0])
    assert "上级党组织书记或联点领导" in may_review(head, world.hospital).reason


def test_a_branch_head_reviews_the_branch_members_including_its_party_group(world, heads):
    head = fresh(world.users.secretary_a)
    for target in (world.members_a[0], world.members_a[2], heads.group_member):
        decision = may_review(head, target)
        assert decision.allowed and decision.basis == Basis.OWN_HEAD, target
    assert not may_review(head, heads.head_a)  # themself
    assert not may_review(head, world.members_b[1])  # the sibling branch's member
    assert not may_review(head, world.branch_b)
    assert may_review(head, world.group_a)  # the 党小组 sits below the branch


def test_a_contact_point_leader_reviews_the_linked_branch_and_its_head_only(world, heads):
    leader = fresh(world.users.leader_c)
    decision = may_review(leader, world.branch_b)
    assert decision.allowed and decision.basis == Basis.CONTACT_POINT
    assert may_review(leader, heads.head_b).basis == Basis.CONTACT_POINT
    assert not may_review(leader, world.members_b[1])  # an ordinary member of the contact point
    assert not may_review(leader, world.branch_a)


@pytest.mark.parametrize("username", ["staff_jy", "staff_zz", "admin", "outsider"])
def test_managers_and_superusers_without_a_member_record_are_refused(world, heads, username):
    user = fresh(getattr(world.users, username))
    decision = may_review(user, world.branch_a)
    assert not decision.allowed
    assert "没有关联党员" in decision.reason


def test_an_ended_post_and_a_plain_member_give_no_right_to_review(world, heads):
    assert not may_review(fresh(heads.former_user), world.branch_a)
    member = fresh(world.users.member_a)
    decision = may_review(member, world.members_a[2])
    assert not decision.allowed and "书记" in decision.reason


def test_a_dissolved_org_is_not_reviewed(world, heads):
    Organization.objects.filter(pk=world.branch_b.pk).update(is_active=False)
    world.branch_b.refresh_from_db()
    assert not may_review(fresh(heads.head_jy_user), world.branch_b)


def test_the_form_offers_exactly_what_the_rule_allows(world, heads):
    head = fresh(heads.head_jy_user)
    assert set(reviewable_orgs(head)) == {world.branch_a, world.group_a, world.branch_b}
    assert set(reviewable_members(head)) == {world.leader_member, heads.former}
    leader = fresh(world.users.leader_c)
    assert set(reviewable_orgs(leader)) == {world.branch_b}
    assert not reviewable_members(leader).exists()
    branch_head = fresh(world.users.secretary_a)
    assert set(reviewable_members(branch_head)) == {world.members_a[0], world.members_a[2], heads.group_member}
    for user in (fresh(world.users.staff_jy), fresh(world.users.member_a)):
        assert not reviewable_orgs(user).exists()
