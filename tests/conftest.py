"""A small named world: two trees, sibling branches, and a user for every role.

州直机关工委 (ZZ, working committee)          ← staff_zz
  州教育局党委 (ZZ-JY, committee)              ← staff_jy
    第一中学党支部 (ZZ-JY-01, branch A)        ← secretary_a; member_a has a login here
      第一党小组 (ZZ-JY-01-G1, group)
    第二中学党支部 (ZZ-JY-02, branch B)        ← secretary_b; contact point of leader_c
  州卫健委党总支 (ZZ-WJ, general branch)
    人民医院党支部 (ZZ-WJ-01, branch)
镇江路街道党工委 (ZJL, another tree)           ← staff_zjl
  北二社区党委 (ZJL-BE, committee)
"""

import os
from types import SimpleNamespace

import pytest

from branches.models import ContactPoint, OrgCategory, OrgKind, Role
from tests.factories import MemberFactory, UserFactory, grant, make_org

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def world(db):
    zz = make_org("州直机关工委", OrgKind.WORKING_COMMITTEE, code="ZZ", category=OrgCategory.ORGAN)
    jy = make_org("州教育局党委", OrgKind.COMMITTEE, parent=zz, code="ZZ-JY", category=OrgCategory.INSTITUTION)
    branch_a = make_org("第一中学党支部", parent=jy, code="ZZ-JY-01", category=OrgCategory.INSTITUTION)
    group_a = make_org("第一党小组", OrgKind.GROUP, parent=branch_a, code="ZZ-JY-01-G1")
    branch_b = make_org("第二中学党支部", parent=jy, code="ZZ-JY-02", category=OrgCategory.INSTITUTION)
    wj = make_org("州卫健委党总支", OrgKind.GENERAL_BRANCH, parent=zz, code="ZZ-WJ", category=OrgCategory.INSTITUTION)
    hospital = make_org("人民医院党支部", parent=wj, code="ZZ-WJ-01", category=OrgCategory.INSTITUTION)
    zjl = make_org("镇江路街道党工委", OrgKind.WORKING_COMMITTEE, code="ZJL", category=OrgCategory.COMMUNITY)
    beier = make_org("北二社区党委", OrgKind.COMMITTEE, parent=zjl, code="ZJL-BE", category=OrgCategory.COMMUNITY)

    users = SimpleNamespace(
        admin=UserFactory(username="admin", full_name="管理员", is_superuser=True, is_staff=True),
        staff_zz=UserFactory(username="staff_zz", full_name="州直组织部干事"),
        staff_jy=UserFactory(username="staff_jy", full_name="教育局党办干事"),
        staff_zjl=UserFactory(username="staff_zjl", full_name="街道组织委员"),
        secretary_a=UserFactory(username="secretary_a", full_name="李书记"),
        secretary_b=UserFactory(username="secretary_b", full_name="王书记"),
        member_a=UserFactory(username="member_a", full_name="张党员"),
        leader_c=UserFactory(username="leader_c", full_name="陈局长"),
        outsider=UserFactory(username="outsider", full_name="无角色用户"),
    )
    grant(users.staff_zz, zz, Role.STAFF)
    grant(users.staff_jy, jy, Role.STAFF)
    grant(users.staff_zjl, zjl, Role.STAFF)
    grant(users.secretary_a, branch_a, Role.SECRETARY)
    grant(users.secretary_b, branch_b, Role.SECRETARY)

    members_a = [MemberFactory(org=branch_a, name=n) for n in ("张党员", "刘建国", "赵敏")]
    members_a[0].user = users.member_a
    members_a[0].save()
    members_b = [MemberFactory(org=branch_b, name=n) for n in ("孙丽", "周强")]
    leader_member = MemberFactory(org=jy, name="陈局长", user=users.leader_c)
    ContactPoint.objects.create(leader=leader_member, branch=branch_b)
    hospital_members = [MemberFactory(org=hospital, name="吴医生")]
    beier_members = [MemberFactory(org=beier, name="郑阿姨")]

    return SimpleNamespace(
        zz=zz,
        jy=jy,
        branch_a=branch_a,
        group_a=group_a,
        branch_b=branch_b,
        wj=wj,
        hospital=hospital,
        zjl=zjl,
        beier=beier,
        users=users,
        members_a=members_a,
        members_b=members_b,
        leader_member=leader_member,
        hospital_members=hospital_members,
        beier_members=beier_members,
    )


@pytest.fixture
def login(client):
    """login(user) -> the test client logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
