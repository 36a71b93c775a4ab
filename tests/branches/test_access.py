"""The access rule: the union of a user's subtrees, the same 404 for "not yours" and "missing"."""

import pytest
from django.http import Http404

from branches.access import forget_scope, get_member_for_user_or_404, get_org_for_user_or_404, scope_for
from branches.models import Organization, Role
from members.models import Member
from tests.factories import grant


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_staff_sees_their_whole_subtree_and_nothing_beside_it(world):
    visible = names(Organization.objects.visible_to(world.users.staff_jy))
    assert visible == {"州教育局党委", "第一中学党支部", "第一党小组", "第二中学党支部"}


def test_secretary_sees_own_branch_and_its_groups_only(world):
    assert names(Organization.objects.visible_to(world.users.secretary_a)) == {"第一中学党支部", "第一党小组"}
    assert names(Member.objects.visible_to(world.users.secretary_a)) == {"张党员", "刘建国", "赵敏"}


def test_roles_add_up_to_a_union_of_subtrees(world):
    user = world.users.secretary_a
    grant(user, world.hospital, Role.ORGANIZER)
    forget_scope(user)
    assert names(Member.objects.manageable_by(user)) == {"张党员", "刘建国", "赵敏", "吴医生"}


def test_member_sees_only_themselves(world):
    assert names(Member.objects.visible_to(world.users.member_a)) == {"张党员"}
    assert not Organization.objects.visible_to(world.users.member_a).exists()
    assert not Member.objects.manageable_by(world.users.member_a).exists()


def test_contact_leader_reads_linked_branch_but_manages_nothing(world):
    leader = world.users.leader_c
    assert names(Member.objects.visible_to(leader)) == {"孙丽", "周强", "陈局长"}
    assert not Member.objects.manageable_by(leader).exists()


def test_outsider_sees_nothing_and_superuser_everything(world):
    assert not Organization.objects.visible_to(world.users.outsider).exists()
    assert not Member.objects.visible_to(world.users.outsider).exists()
    assert Member.objects.visible_to(world.users.admin).count() == Member.objects.count()


def test_sibling_and_missing_objects_are_the_same_404(world):
    secretary = world.users.secretary_a
    with pytest.raises(Http404):
        get_member_for_user_or_404(secretary, world.members_b[0].pk)
    with pytest.raises(Http404):
        get_member_for_user_or_404(secretary, 987654)
    with pytest.raises(Http404):
        get_org_for_user_or_404(secretary, world.branch_b.pk)
    with pytest.raises(Http404):
        get_org_for_user_or_404(secretary, "not-a-number")
    assert get_member_for_user_or_404(secretary, world.members_a[1].pk).name == "刘建国"


def test_nested_roles_are_filtered_once(world):
    user = world.users.staff_zz
    grant(user, world.jy, Role.STAFF)
    forget_scope(user)
    assert scope_for(user).manage_paths == (world.zz.path,)
