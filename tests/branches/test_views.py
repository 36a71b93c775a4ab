"""The organization pages as users meet them: scope, 404s, forms, and a bounded number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import HistoryEntry
from branches.models import ContactPoint, LeadershipPost, Organization, OrgKind, Post, Role, RoleAssignment
from tests.factories import MemberFactory, UserFactory, grant, make_org


def url(name, *args):
    return reverse(f"branches:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


# --- access ---------------------------------------------------------------------------------


def test_secretary_of_branch_a_gets_404_on_every_page_of_sibling_branch_b(world, login):
    post_b = LeadershipPost.objects.create(org=world.branch_b, member=world.members_b[0], post=Post.SECRETARY)
    role_b = RoleAssignment.objects.get(user=world.users.secretary_b)
    point_b = ContactPoint.objects.get(branch=world.branch_b)
    client = login(world.users.secretary_a)
    b = world.branch_b.pk
    for page in [
        url("org_detail", b),
        url("org_children", b),
        url("org_edit", b),
        url("org_move", b),
        url("org_dissolve", b),
        url("org_create", b),
        url("post_add", b),
        url("post_end", b, post_b.pk),
        url("contact_point_add", b),
        url("role_grant", b),
        url("member_options", b) + "?q=孙",
    ]:
        assert client.get(page).status_code == 404, page
    for page in [
        url("org_edit", b),
        url("org_move", b),
        url("org_dissolve", b),
        url("post_end", b, post_b.pk),
        url("role_revoke", b, role_b.pk),
        url("contact_point_remove", b, point_b.pk),
    ]:
        assert client.post(page, {"name": "x", "on": "2024-01-01", "ended_on": "2024-01-01"}).status_code == 404, page
    assert client.get(url("org_detail", 987654)).status_code == 404
    world.branch_b.refresh_from_db()
    assert world.branch_b.is_active and world.branch_b.name == "第二中学党支部"
    assert RoleAssignment.objects.filter(pk=role_b.pk).exists()
    assert ContactPoint.objects.filter(pk=point_b.pk).exists()


def test_a_role_or_post_is_only_reached_through_its_own_org(world, login):
    role_b = RoleAssignment.objects.get(user=world.users.secretary_b)
    client = login(world.users.secretary_a)
    # Branch A's url with branch B's assignment id: still not found, still not revoked.
    assert client.post(url("role_revoke", world.branch_a.pk, role_b.pk)).status_code == 404
    assert RoleAssignment.objects.filter(pk=role_b.pk).exists()


def test_contact_leader_reads_the_branch_but_sees_no_manage_buttons(world, login):
    client = login(world.users.leader_c)
    response = client.get(url("org_detail", world.branch_b.pk))
    assert response.status_code == 200
    assert url("org_edit", world.branch_b.pk) not in text(response)
    assert url("org_dissolve", world.branch_b.pk) not in text(response)
    assert client.get(url("org_edit", world.branch_b.pk)).status_code == 404


def test_manager_sees_the_buttons_summary_and_children(world, login):
    response = login(world.users.staff_jy).get(url("org_detail", world.jy.pk))
    body = text(response)
    assert url("org_edit", world.jy.pk) in body and url("org_create", world.jy.pk) in body
    assert "下辖2个党支部、1个党小组，共有党员6名" in body
    assert "第一中学党支部" in body and "第二中学党支部" in body


def test_search_never_returns_orgs_outside_the_scope(world, login):
    client = login(world.users.staff_jy)
    body = text(client.get(url("org_tree") + "?q=党"))
    assert "第一中学党支部" in body and "第一党小组" in body
    for outside in ("人民医院党支部", "州卫健委党总支", "北二社区党委", "镇江路街道党工委", "州直机关工委"):
        assert outside not in body
    secretary = login(world.users.secretary_a)
    body = text(secretary.get(url("org_tree") + "?q=第二中学"))
    assert "第二中学党支部" not in body
    assert url("org_detail", world.branch_b.pk) not in text(secretary.get(url("org_tree") + "?q=ZZ-JY-02"))


def test_search_by_code_shows_the_path_the_user_may_see(world, login):
    body = text(login(world.users.staff_jy).get(url("org_tree") + "?q=zz-jy-01-g1"))
    assert "第一党小组" in body and "第一中学党支部" in body and "州教育局党委" in body
    assert "州直机关工委" not in body  # above the user's scope: not shown even as a crumb


def test_tree_starts_at_the_scope_roots(world, login):
    body = text(login(world.users.staff_jy).get(url("org_tree")))
    assert "州教育局党委" in body and url("org_children", world.jy.pk) in body
    assert "州直机关工委" not in body
    admin_body = text(login(world.users.admin).get(url("org_tree")))
    assert "州直机关工委" in admin_body and "镇江路街道党工委" in admin_body


def test_children_show_kind_secretary_and_counts(world, login):
    LeadershipPost.objects.create(org=world.branch_a, member=world.members_a[1], post=Post.SECRETARY)
    LeadershipPost.objects.create(
        org=world.branch_b, member=world.members_b[0], post=Post.SECRETARY, ended_on=date(2020, 1, 1)
    )
    response = login(world.users.staff_jy).get(url("org_children", world.jy.pk), headers={"HX-Request": "true"})
    body = text(response)
    assert "<html" not in body
    first, second = body.split("第二中学党支部")
    assert "刘建国" in first and "ZZ-JY-01" in first
    assert "孙丽" not in second  # her term ended
    assert 'bi-people"></i> 3' in first and 'bi-people"></i> 2' in second


# --- query counts ---------------------------------------------------------------------------


def _committee_with_children(n: int) -> Organization:
    parent = make_org("大党委", OrgKind.COMMITTEE, code="BIG")
    for i in range(n):
        child = make_org(f"支部{i}", OrgKind.BRANCH, parent=parent, code=f"BIG-{i:03d}")
        make_org(f"小组{i}", OrgKind.GROUP, parent=child, code=f"BIG-{i:03d}-G")
        member = MemberFactory(org=child)
        LeadershipPost.objects.create(org=child, member=member, post=Post.SECRETARY)
    parent.refresh_from_db()
    return parent


@pytest.mark.parametrize("n", [1, 50])
def test_expanding_a_node_costs_the_same_queries_for_1_or_50_children(db, client, n, django_assert_max_num_queries):
    parent = _committee_with_children(n)
    user = UserFactory(username="staff_big")
    grant(user, parent, Role.STAFF)
    client.force_login(user)
    with django_assert_max_num_queries(10):
        response = client.get(url("org_children", parent.pk))
    assert text(response).count('class="xf-node"') == n


@pytest.mark.parametrize("n", [1, 50])
def test_tree_page_for_a_superuser_with_1_or_50_roots(db, client, n, django_assert_max_num_queries):
    for i in range(n):
        root = make_org(f"党委{i}", OrgKind.COMMITTEE, code=f"R{i:03d}")
        MemberFactory(org=make_org(f"支部{i}", parent=root, code=f"R{i:03d}-1"))
    client.force_login(UserFactory(username="root_admin", is_superuser=True))
    with django_assert_max_num_queries(10):
        response = client.get(url("org_tree"))
    assert text(response).count('class="xf-node"') == n


@pytest.mark.parametrize("n", [1, 50])
def test_search_results_page_with_1_or_50_matches(db, client, n, django_assert_max_num_queries):
    parent = _committee_with_children(n)
    user = UserFactory(username="staff_big")
    grant(user, parent, Role.STAFF)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        response = client.get(url("org_tree") + "?q=小组")
    assert text(response).count("大党委</a></li>") == min(n, 20)


def test_children_beyond_a_slice_load_with_show_more(db, client):
    parent = make_org("大党委", OrgKind.COMMITTEE, code="BIG")
    for i in range(105):
        make_org(f"支部{i:03d}", OrgKind.BRANCH, parent=parent, code=f"BIG-{i:03d}")
    client.force_login(UserFactory(username="big_admin", is_superuser=True))
    first = text(client.get(url("org_children", parent.pk)))
    assert first.count('class="xf-node"') == 100 and "offset=100" in first
    rest = text(client.get(url("org_children", parent.pk) + "?offset=100"))
    assert rest.count('class="xf-node"') == 5 and "offset=" not in rest


# --- forms ----------------------------------------------------------------------------------


def test_create_a_child_offers_only_fitting_kinds_and_saves(world, login):
    client = login(world.users.secretary_a)
    form_page = text(client.get(url("org_create", world.branch_a.pk)))
    assert 'value="group"' in form_page and 'value="committee"' not in form_page
    response = client.post(
        url("org_create", world.branch_a.pk), {"name": "第二党小组", "code": "ZZ-JY-01-G2", "kind": "group"}
    )
    created = Organization.objects.get(code="ZZ-JY-01-G2")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert Organization.objects.get_parent(created).pk == world.branch_a.pk


def test_a_taken_code_is_shown_on_the_form(world, login):
    response = login(world.users.staff_jy).post(
        url("org_create", world.jy.pk), {"name": "重复支部", "code": "ZZ-JY-02", "kind": "branch"}
    )
    assert response.status_code == 200
    assert "组织代码ZZ-JY-02已被使用" in text(response)


def test_rename_shows_old_and_new_in_the_history_on_the_page(world, login):
    client = login(world.users.secretary_a)
    data = {"name": "第一中学党总支第一支部", "code": "ZZ-JY-01", "kind": "branch", "category": "institution"}
    assert client.post(url("org_edit", world.branch_a.pk), data).status_code == 302
    body = text(client.get(url("org_detail", world.branch_a.pk)))
    assert '<del class="text-secondary">第一中学党支部</del> → 第一中学党总支第一支部' in body


def test_move_offers_only_fitting_managed_targets_and_moves(world, login):
    client = login(world.users.staff_zz)
    page = text(client.get(url("org_move", world.branch_b.pk)))
    assert "州卫健委党总支" in page and "第一中学党支部" not in page and "北二社区党委" not in page
    response = client.post(url("org_move", world.branch_b.pk), {"target": world.wj.pk})
    assert response.status_code == 302
    world.branch_b.refresh_from_db()
    assert world.branch_b.path.startswith(world.wj.path)


def test_move_into_own_subtree_is_refused_on_the_form(world, login):
    response = login(world.users.staff_zz).post(url("org_move", world.jy.pk), {"target": world.branch_a.pk})
    assert response.status_code == 200
    world.jy.refresh_from_db()
    assert world.jy.depth == 2


def test_dissolve_page_names_what_remains_and_refuses(world, login):
    client = login(world.users.staff_jy)
    page = text(client.get(url("org_dissolve", world.branch_a.pk)))
    assert "1个下级组织和3名人员" in page and "disabled" in page
    response = client.post(url("org_dissolve", world.branch_a.pk), {"on": "2024-06-30"})
    assert response.status_code == 200 and "请先将其转移或撤销" in text(response)
    world.branch_a.refresh_from_db()
    assert world.branch_a.is_active


def test_dissolving_an_empty_group_removes_it_from_the_tree(world, login):
    client = login(world.users.secretary_a)
    assert client.post(url("org_dissolve", world.group_a.pk), {"on": "2024-06-30"}).status_code == 302
    world.group_a.refresh_from_db()
    assert not world.group_a.is_active
    assert "第一党小组" not in text(client.get(url("org_children", world.branch_a.pk)))
    assert url("org_children", world.branch_a.pk) not in text(client.get(url("org_tree")))  # nothing left to expand
    assert "已撤销" in text(client.get(url("org_detail", world.group_a.pk)))


def test_member_picker_finds_only_people_of_the_subtree(world, login):
    client = login(world.users.staff_jy)
    body = text(client.get(url("member_options", world.branch_a.pk) + "?q=孙"))
    assert "孙丽" not in body
    body = text(client.get(url("member_options", world.jy.pk) + "?q=孙"))
    assert "孙丽" in body
    only_logins = text(client.get(url("member_options", world.jy.pk) + "?q=张&login=1"))
    assert "张党员" in only_logins
    assert "赵敏" not in text(client.get(url("member_options", world.jy.pk) + "?q=赵&login=1"))


def test_add_and_end_a_post_through_the_pages(world, login):
    client = login(world.users.secretary_a)
    outsider = client.post(url("post_add", world.branch_a.pk), {"member": world.members_b[0].pk, "post": "secretary"})
    assert outsider.status_code == 200 and not LeadershipPost.objects.exists()
    response = client.post(
        url("post_add", world.branch_a.pk),
        {"member": world.members_a[1].pk, "post": "secretary", "term": "第三届", "started_on": "2022-03-01"},
    )
    assert response.status_code == 302
    post = LeadershipPost.objects.get()
    detail = text(client.get(url("org_detail", world.branch_a.pk)))
    assert "刘建国" in detail and reverse("members:issue_login", args=[world.members_a[1].pk]) in detail
    assert client.post(url("post_end", world.branch_a.pk, post.pk), {"ended_on": "2024-12-31"}).status_code == 302
    post.refresh_from_db()
    assert post.ended_on == date(2024, 12, 31)
    assert "1条" in text(client.get(url("org_detail", world.branch_a.pk)))  # one past term listed


def test_grant_and_revoke_a_role_through_the_pages(world, login):
    client = login(world.users.secretary_a)
    member = world.members_a[0]  # 张党员 has a login
    response = client.post(url("role_grant", world.branch_a.pk), {"member": member.pk, "role": "organizer"})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=world.users.member_a)
    detail = text(client.get(url("org_detail", world.branch_a.pk)))
    assert url("role_revoke", world.branch_a.pk, assignment.pk) in detail and "data-confirm" in detail
    assert client.post(url("role_revoke", world.branch_a.pk, assignment.pk)).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    actions = HistoryEntry.objects.filter(object_id=str(assignment.pk)).values_list("action", flat=True)
    assert sorted(actions) == ["create", "delete"]


def test_own_last_role_cannot_be_revoked_from_the_page(world, login):
    client = login(world.users.secretary_a)
    own = RoleAssignment.objects.get(user=world.users.secretary_a)
    response = client.post(url("role_revoke", world.branch_a.pk, own.pk), follow=True)
    assert "唯一的管理角色" in text(response)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_contact_point_limit_is_shown_on_the_form(world, login):
    client = login(world.users.staff_jy)
    third = make_org("第三中学党支部", parent=world.jy, code="ZZ-JY-03")
    leader = world.leader_member
    assert (
        client.post(
            url("contact_point_add", world.jy.pk), {"leader": leader.pk, "branch": world.branch_a.pk}
        ).status_code
        == 302
    )
    response = client.post(url("contact_point_add", world.jy.pk), {"leader": leader.pk, "branch": third.pk})
    assert response.status_code == 200 and "最多联系2个" in text(response)
    point = ContactPoint.objects.get(leader=leader, branch=world.branch_a)
    assert url("contact_point_remove", world.jy.pk, point.pk) in text(client.get(url("org_detail", world.jy.pk)))
    assert client.post(url("contact_point_remove", world.jy.pk, point.pk)).status_code == 302
    assert not ContactPoint.objects.filter(pk=point.pk).exists()


def test_areas_are_set_up_on_a_committee_page(world, login):
    client = login(world.users.staff_jy)
    response = client.post(
        url("area_create", world.jy.pk),
        {
            "name": "一片区",
            "leader": world.members_a[1].pk,
            "liaison": world.members_b[1].pk,
            "branches": [world.branch_a.pk],
        },
    )
    assert response.status_code == 302
    body = text(client.get(url("org_detail", world.jy.pk)))
    assert "一片区" in body and "刘建国" in body and "周强" in body
    assert login(world.users.secretary_a).get(url("area_create", world.branch_a.pk)).status_code == 404
