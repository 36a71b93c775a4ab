"""Organization import: keyed on the org code, placed in the tree under the rules of kinds."""

from audit.services import history_for
from branches.models import Organization, OrgCategory, OrgKind
from tests.imports.conftest import by_row


def parent_of(org):
    return Organization.objects.get_parent(org)


HEADER = ["组织名称", "组织编码", "上级组织", "组织类型", "单位类别", "成立日期"]


def test_new_orgs_may_hang_under_orgs_created_by_earlier_rows(world, check, confirm):
    rows = [
        HEADER,
        ["第三中学党总支", "ZZ-JY-03", "", "党总支", "事业单位", "2008.09"],
        ["第三中学初中部党支部", "ZZ-JY-03-01", "ZZ-JY-03", "党支部", "事业单位", ""],
        ["高中部联合党支部", "ZZ-JY-03-02", "第三中学党总支", "联合党支部", "学校", ""],
        ["初一年级党小组", "ZZ-JY-03-01-G1", "ZZ-JY-03-01", "党小组", "", ""],
    ]
    batch = check(rows, kind="orgs", name="orgs.xlsx")
    assert batch.counts["new"] == 4, batch.report
    assert not Organization.objects.filter(code="ZZ-JY-03").exists()

    confirm(batch)
    general = Organization.objects.get(code="ZZ-JY-03")
    assert parent_of(general) == world.jy and general.kind == OrgKind.GENERAL_BRANCH
    joint = Organization.objects.get(code="ZZ-JY-03-02")
    assert parent_of(joint) == general and joint.is_joint and joint.category == OrgCategory.INSTITUTION
    group = Organization.objects.get(code="ZZ-JY-03-01-G1")
    assert parent_of(group).code == "ZZ-JY-03-01"
    assert history_for(group).get().source == "import"
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_kinds_must_fit_their_parent(world, check):
    rows = [HEADER, ["某党委", "X-1", "ZZ-JY-01", "党委", "", ""], ["某小组", "X-2", "", "党小组", "", ""]]
    batch = check(rows, kind="orgs", name="orgs.xlsx")
    rows = by_row(batch)
    assert "cannot sit directly under" in rows[2]["messages"][0]
    assert "cannot sit directly under" in rows[3]["messages"][0]


def test_parent_outside_the_subtree_and_codes_of_other_trees_are_errors(world, check):
    rows = [HEADER, ["某支部", "X-1", "ZZ-WJ", "党支部", "", ""], ["改名", "ZJL-BE", "", "党委", "", ""]]
    batch = check(rows, kind="orgs", name="orgs.xlsx")
    rows = by_row(batch)
    assert "ZZ-WJ" in rows[2]["messages"][0]
    assert "outside" in rows[3]["messages"][0]


def test_reimport_updates_by_code_and_reports_unchanged(world, check, confirm):
    rows = [HEADER, ["第一中学党支部", "ZZ-JY-01", "ZZ-JY", "党支部", "事业单位", ""]]
    assert check(rows, kind="orgs", name="orgs.xlsx").counts["unchanged"] == 1
    rows[1][0] = "州第一中学党支部"
    batch = confirm(check(rows, kind="orgs", name="orgs.xlsx"))
    assert batch.counts["update"] == 1
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "州第一中学党支部"
    assert history_for(world.branch_a).first().changes["name"]["old"] == "第一中学党支部"


def test_moving_an_org_under_another_parent_in_the_subtree(world, check, confirm):
    rows = [HEADER, ["第二中学党支部", "ZZ-JY-02", "ZZ-JY-01", "党支部", "", ""]]
    batch = check(rows, kind="orgs", name="orgs.xlsx")
    assert "cannot sit directly under" in batch.report[0]["messages"][0]  # a branch under a branch
    rows = [
        HEADER,
        ["第二中学党小组", "ZZ-JY-02-G", "ZZ-JY-02", "党小组", "", ""],
        ["第二中学党小组", "ZZ-JY-02-G", "ZZ-JY-01", "党小组", "", ""],
    ]
    batch = check(rows, kind="orgs", name="orgs.xlsx")
    assert "row 2" in by_row(batch)[3]["messages"][0]


def test_an_org_moves_with_its_members_when_the_file_gives_a_new_parent(world, check, confirm):
    rows = [HEADER, ["第一党小组", "ZZ-JY-01-G1", "第二中学党支部", "党小组", "", ""]]
    batch = confirm(check(rows, kind="orgs", name="orgs.xlsx"))
    assert batch.counts["update"] == 1
    assert batch.report[0]["changes"] == [["parent organization", "第一中学党支部", "第二中学党支部"]]
    world.group_a.refresh_from_db()
    assert parent_of(world.group_a) == world.branch_b
    assert Organization.objects.find_problems() == ([], [], [], [], [])
