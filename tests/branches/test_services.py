"""The rules every write on the org tree keeps, and the history each write leaves."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import HistoryEntry
from branches import services
from branches.access import forget_scope
from branches.models import Area, ContactPoint, LeadershipPost, Organization, OrgKind, Post, Role, RoleAssignment
from tests.factories import MemberFactory, UserFactory, grant, make_org


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- create ---------------------------------------------------------------------------------


def test_staff_creates_a_branch_under_their_committee_with_history(world, history_of):
    org = services.org_create(
        parent=world.jy, by=world.users.staff_jy, name="第三中学党支部", code="ZZ-JY-03", kind=OrgKind.BRANCH
    )
    assert Organization.objects.get_parent(org).pk == world.jy.pk
    (entry,) = history_of(org)
    assert entry.action == HistoryEntry.Action.CREATE
    assert entry.actor == world.users.staff_jy
    assert entry.changes["name"]["new"] == "第三中学党支部"


def test_a_committee_cannot_sit_under_a_branch(world):
    with pytest.raises(ValidationError) as excinfo:
        services.org_create(
            parent=world.branch_a, by=world.users.secretary_a, name="错误党委", code="X1", kind=OrgKind.COMMITTEE
        )
    assert "党委" in messages_of(excinfo) and "党支部" in messages_of(excinfo)
    assert not Organization.objects.filter(code="X1").exists()


def test_a_group_only_sits_under_a_branch_but_a_branch_may_sit_under_a_committee(world):
    with pytest.raises(ValidationError):
        services.org_create(parent=world.jy, by=world.users.staff_jy, name="小组", code="X2", kind=OrgKind.GROUP)
    direct = services.org_create(
        parent=world.jy, by=world.users.staff_jy, name="直属党支部", code="X3", kind=OrgKind.BRANCH
    )
    assert direct.depth == world.jy.depth + 1


def test_org_codes_are_unique_whatever_the_case(world):
    with pytest.raises(ValidationError) as excinfo:
        services.org_create(parent=world.jy, by=world.users.staff_jy, name="重复", code="zz-jy-01", kind=OrgKind.BRANCH)
    assert "zz-jy-01" in messages_of(excinfo)


def test_nobody_creates_outside_their_scope_and_only_superusers_make_roots(world):
    with pytest.raises(PermissionDenied):
        services.org_create(
            parent=world.branch_b, by=world.users.secretary_a, name="越权", code="X4", kind=OrgKind.GROUP
        )
    with pytest.raises(PermissionDenied):
        services.org_create(parent=None, by=world.users.staff_zz, name="新根", code="X5", kind=OrgKind.COMMITTEE)
    root = services.org_create(parent=None, by=world.users.admin, name="新根", code="X5", kind=OrgKind.COMMITTEE)
    assert root.depth == 1


def test_no_new_org_under_a_dissolved_one(world):
    world.wj.is_active = False
    world.wj.save()
    with pytest.raises(ValidationError):
        services.org_create(parent=world.wj, by=world.users.staff_zz, name="新支部", code="X6", kind=OrgKind.BRANCH)


# --- update ---------------------------------------------------------------------------------


def test_rename_writes_old_and_new_name(world, history_of):
    services.org_update(org=world.branch_a, by=world.users.secretary_a, name="第一中学第一党支部")
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "第一中学第一党支部"
    change = history_of(world.branch_a)[0].changes["name"]
    assert (change["old"], change["new"]) == ("第一中学党支部", "第一中学第一党支部")


def test_kind_change_must_fit_the_children(world):
    with pytest.raises(ValidationError) as excinfo:
        services.org_update(org=world.branch_a, by=world.users.staff_jy, kind=OrgKind.GENERAL_BRANCH)
    assert "党小组" in messages_of(excinfo)


# --- move -----------------------------------------------------------------------------------


def test_move_takes_the_subtree_along_and_records_the_old_parent(world, history_of):
    services.org_move(org=world.branch_a, target=world.wj, by=world.users.staff_zz)
    world.group_a.refresh_from_db()
    world.branch_a.refresh_from_db()
    assert Organization.objects.get_parent(world.branch_a).pk == world.wj.pk
    assert Organization.objects.get_parent(world.group_a).pk == world.branch_a.pk
    assert Organization.objects.in_subtree(world.wj).filter(pk=world.group_a.pk).exists()
    change = history_of(world.branch_a)[0].changes["parent"]
    assert (change["old"], change["new"]) == ("州教育局党委", "州卫健委党总支")


def test_cannot_move_into_its_own_subtree(world):
    with pytest.raises(ValidationError) as excinfo:
        services.org_move(org=world.jy, target=world.branch_a, by=world.users.staff_zz)
    assert "下级" in messages_of(excinfo) or "itself" in messages_of(excinfo)
    world.jy.refresh_from_db()
    assert Organization.objects.get_parent(world.jy).pk == world.zz.pk


def test_move_keeps_the_kind_rules(world):
    with pytest.raises(ValidationError):
        services.org_move(org=world.branch_b, target=world.branch_a, by=world.users.staff_zz)


def test_move_target_must_be_managed_by_the_user(world):
    with pytest.raises(ValidationError):
        services.org_move(org=world.branch_b, target=world.beier, by=world.users.staff_jy)
    world.branch_b.refresh_from_db()
    assert Organization.objects.get_parent(world.branch_b).pk == world.jy.pk


def test_user_cannot_move_their_own_scope_root_nor_a_node_they_do_not_manage(world):
    with pytest.raises(ValidationError):
        services.org_move(org=world.jy, target=world.wj, by=world.users.staff_jy)
    with pytest.raises(PermissionDenied):
        services.org_move(org=world.branch_b, target=world.jy, by=world.users.secretary_a)


# --- dissolve -------------------------------------------------------------------------------


def test_dissolve_is_refused_while_children_or_members_remain_naming_the_counts(world):
    with pytest.raises(ValidationError) as excinfo:
        services.org_dissolve(org=world.branch_a, on=date(2024, 6, 30), by=world.users.staff_jy)
    text = messages_of(excinfo)
    assert "1" in text and "3" in text  # one party group, three people on the roll
    world.branch_a.refresh_from_db()
    assert world.branch_a.is_active


def test_dissolve_an_empty_org_sets_the_date_and_writes_history(world, history_of):
    services.org_dissolve(org=world.group_a, on=date(2024, 6, 30), by=world.users.secretary_a)
    world.group_a.refresh_from_db()
    assert not world.group_a.is_active
    assert world.group_a.dissolved_on == date(2024, 6, 30)
    changes = history_of(world.group_a)[0].changes
    assert changes["is_active"]["new"] == "否" and changes["dissolved_on"]["new"] == "2024-06-30"
    with pytest.raises(ValidationError):
        services.org_dissolve(org=world.group_a, on=date(2024, 7, 1), by=world.users.secretary_a)


def test_secretary_cannot_dissolve_their_own_branch(world):
    for member in world.members_a:
        member.org = world.hospital
        member.save()
    world.group_a.delete()
    world.branch_a.refresh_from_db()
    with pytest.raises(ValidationError):
        services.org_dissolve(org=world.branch_a, on=date(2024, 6, 30), by=world.users.secretary_a)


# --- leadership posts -----------------------------------------------------------------------


def test_one_current_secretary_at_a_time_and_ending_a_term(world, history_of):
    first = services.post_add(
        org=world.branch_a,
        member=world.members_a[1],
        post=Post.SECRETARY,
        term="第三届",
        started_on=date(2021, 1, 1),
        by=world.users.secretary_a,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.post_add(
            org=world.branch_a, member=world.members_a[2], post=Post.SECRETARY, by=world.users.secretary_a
        )
    assert "刘建国" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        services.post_end(post=first, ended_on=date(2020, 1, 1), by=world.users.secretary_a)
    services.post_end(post=first, ended_on=date(2024, 1, 1), by=world.users.secretary_a)
    services.post_add(org=world.branch_a, member=world.members_a[2], post=Post.SECRETARY, by=world.users.secretary_a)
    assert LeadershipPost.objects.filter(org=world.branch_a, ended_on__isnull=True).get().member == world.members_a[2]
    assert history_of(first)[0].changes["ended_on"]["new"] == "2024-01-01"
    org_lines = [e.changes["posts"] for e in history_of(world.branch_a)]
    assert any("刘建国" in line["old"] for line in org_lines)


def test_post_holder_must_be_on_the_roll_below(world):
    with pytest.raises(ValidationError):
        services.post_add(org=world.branch_a, member=world.members_b[0], post=Post.PUBLICITY, by=world.users.staff_jy)


# --- areas ----------------------------------------------------------------------------------


def test_area_groups_branches_with_leader_and_liaison_and_a_branch_sits_in_one_area(world, history_of):
    area = services.area_create(
        owner=world.jy,
        name="一片区",
        leader=world.members_a[0],
        liaison=world.members_b[0],
        branches=[world.branch_a],
        by=world.users.staff_jy,
    )
    assert list(area.branches.all()) == [world.branch_a]
    assert "第一中学党支部" in history_of(area)[0].changes["branches"]["new"]
    with pytest.raises(ValidationError) as excinfo:
        services.area_create(
            owner=world.jy, name="二片区", branches=[world.branch_a, world.branch_b], by=world.users.staff_jy
        )
    assert "一片区" in messages_of(excinfo)
    services.area_update(
        area=area,
        name="一片区",
        leader=world.members_a[0],
        liaison=None,
        branches=[world.branch_a, world.branch_b],
        by=world.users.staff_jy,
    )
    change = history_of(area)[0].changes
    assert change["liaison"]["old"] == "孙丽" and "第二中学党支部" in change["branches"]["new"]


def test_areas_belong_to_committees_and_hold_only_their_branches(world):
    with pytest.raises(ValidationError):
        services.area_create(owner=world.branch_a, name="片区", by=world.users.secretary_a)
    with pytest.raises(ValidationError):
        services.area_create(owner=world.jy, name="片区", branches=[world.hospital], by=world.users.staff_zz)
    assert not Area.objects.exists()


# --- contact points -------------------------------------------------------------------------


def test_a_leader_has_at_most_two_contact_points(world, history_of):
    third_branch = services.org_create(
        parent=world.jy, by=world.users.staff_jy, name="第三中学党支部", code="ZZ-JY-03", kind=OrgKind.BRANCH
    )
    leader = world.leader_member  # already linked to branch B in the world
    point = services.contact_point_add(leader=leader, branch=world.branch_a, by=world.users.staff_jy)
    assert history_of(point)[0].action == HistoryEntry.Action.CREATE
    with pytest.raises(ValidationError) as excinfo:
        services.contact_point_add(leader=leader, branch=third_branch, by=world.users.staff_jy)
    assert "2" in messages_of(excinfo) and "第二中学党支部" in messages_of(excinfo)
    assert ContactPoint.objects.filter(leader=leader).count() == ContactPoint.MAX_PER_LEADER
    point_pk = point.pk
    services.contact_point_remove(contact_point=point, by=world.users.staff_jy)
    assert history_of(point, pk=point_pk)[0].action == HistoryEntry.Action.DELETE
    services.contact_point_add(leader=leader, branch=third_branch, by=world.users.staff_jy)


def test_contact_point_must_be_a_branch(world):
    with pytest.raises(ValidationError):
        services.contact_point_add(leader=world.members_a[1], branch=world.jy, by=world.users.staff_jy)


# --- roles ----------------------------------------------------------------------------------


def test_grant_and_revoke_a_role_change_what_the_user_sees_and_leave_history(world, history_of):
    user = world.users.member_a
    assignment = services.role_grant(org=world.branch_a, user=user, role=Role.ORGANIZER, by=world.users.secretary_a)
    forget_scope(user)
    assert Organization.objects.manageable_by(user).filter(pk=world.group_a.pk).exists()
    assert history_of(assignment)[0].action == HistoryEntry.Action.CREATE
    assignment_pk = assignment.pk
    services.role_revoke(assignment=assignment, by=world.users.secretary_a)
    forget_scope(user)
    assert not Organization.objects.manageable_by(user).exists()
    assert history_of(assignment, pk=assignment_pk)[0].action == HistoryEntry.Action.DELETE
    assert [e.changes["roles"]["old"] for e in history_of(world.branch_a)][0].startswith("张党员")


def test_roles_fit_the_kind_and_go_to_people_on_the_roll_with_a_login(world):
    with pytest.raises(ValidationError):
        services.role_grant(org=world.branch_a, user=world.users.member_a, role=Role.STAFF, by=world.users.staff_jy)
    no_roll = UserFactory(username="nobody_here")
    with pytest.raises(ValidationError):
        services.role_grant(org=world.branch_a, user=no_roll, role=Role.SECRETARY, by=world.users.staff_jy)
    other_branch_user = UserFactory(username="b_member")
    MemberFactory(org=world.branch_b, user=other_branch_user)
    with pytest.raises(ValidationError):
        services.role_grant(org=world.branch_a, user=other_branch_user, role=Role.SECRETARY, by=world.users.staff_jy)


def test_nobody_revokes_their_own_last_managing_role(world):
    own = RoleAssignment.objects.get(user=world.users.secretary_a)
    with pytest.raises(ValidationError):
        services.role_revoke(assignment=own, by=world.users.secretary_a)
    grant(world.users.secretary_a, world.hospital, Role.ORGANIZER)
    forget_scope(world.users.secretary_a)
    services.role_revoke(assignment=own, by=world.users.secretary_a)
    assert not RoleAssignment.objects.filter(pk=own.pk).exists()


def test_staff_cannot_grant_roles_outside_their_subtree(world):
    outsider_branch = make_org("北二社区第一党支部", parent=world.beier, code="ZJL-BE-01")
    with pytest.raises(PermissionDenied):
        services.role_grant(
            org=outsider_branch, user=world.users.member_a, role=Role.SECRETARY, by=world.users.staff_jy
        )
