"""What the drafted report says, against the data of the small world: counts, parts, pledges,
activities, rectification compared over two periods, empty orgs, and nothing from a sibling branch."""

from datetime import date

import pytest

from reports import drafting, figures
from reports.content import narrative

from .conftest import TODAY, add_activity, add_item, add_pledge

START, END = date(2026, 1, 1), TODAY


def draft(org, campaign, template=drafting.PROGRESS, *, start=START, end=END, baseline=None):
    data = figures.compute(org, campaign, start, end, baseline=baseline, today=TODAY)
    return data, drafting.draft(data, template, as_of=min(end, TODAY))


@pytest.mark.django_db
def test_counts_of_the_subtree_by_kind_and_members(world, campaign):
    _data, content = draft(world.zz, campaign)
    text = narrative(content)
    # Below 州直机关工委: 州教育局党委 (党委), 州卫健委党总支, three branches; seven party members.
    assert "州直机关工委1个党委、1个总支、3个支部、7名党员参加了本次活动" in text


@pytest.mark.django_db
def test_direct_branches_and_orgs_under_sub_committees_are_counted_apart(world, campaign):
    _data, content = draft(world.zz, campaign)
    text = narrative(content)
    # Direct: the 党总支 and its hospital branch (1 member). Below 州教育局党委: branches A and B
    # (the 党小组 is not counted as an org) with 3 + 2 members and the leader on the committee.
    assert "州直机关工委辖1个总支、1个支部，1名党员" in text
    assert "隶属1个下级党（工）委的基层党组织2个，党员6人" in text
    assert "共计7名党员参加了本次州直机关创先争优活动" in text


@pytest.mark.django_db
def test_pledges_made_and_kept_with_the_rate(world, campaign):
    add_pledge(world.branch_a, world.members_a[0], campaign, items=3, done=2)
    _data, content = draft(world.branch_a, campaign)
    text = narrative(content)
    assert "共作出承诺3项，已践诺2项，践诺率66.7%" in text
    assert "1名党员、0个党组织作出公开承诺，经审核确定1份" in text


@pytest.mark.django_db
def test_an_org_with_no_pledges_and_no_activity_says_so(world, campaign):
    _data, content = draft(world.hospital, campaign)
    text = narrative(content)
    assert "人民医院党支部尚无公开承诺，践诺情况暂无从统计" in text
    assert "人民医院党支部尚未登记开展的活动" in text
    assert "践诺率" not in text.replace("暂无从统计", "")
    assert "本期没有挂牌整改的问题" in text
    assert "本期尚未开展群众评议" in text


@pytest.mark.django_db
def test_a_sibling_branchs_figures_never_enter_the_report(world, campaign):
    add_pledge(world.branch_a, world.members_a[0], campaign, items=2, done=1)
    add_pledge(world.branch_b, world.members_b[0], campaign, items=5, done=5)
    add_activity(world.branch_b, date(2026, 3, 3))
    add_activity(world.branch_b, date(2026, 4, 3))
    add_item(world.branch_b, date(2026, 2, 1), struck_off_on=date(2026, 2, 20))
    data, content = draft(world.branch_a, campaign)
    text = narrative(content) + repr(content)
    assert data.orgs.members == 3
    assert "共作出承诺2项，已践诺1项，践诺率50%" in text
    assert "尚未登记开展的活动" in text  # B's two activities are not A's
    assert "本期没有挂牌整改的问题" in text
    for marker in ("第二中学党支部", "孙丽", "周强", "5项"):
        assert marker not in text


@pytest.mark.django_db
def test_activities_per_month_and_problems_from_the_lagging_branches(world, campaign):
    add_activity(world.branch_a, date(2026, 3, 5))
    add_activity(world.branch_a, date(2026, 3, 20))
    add_activity(world.branch_a, date(2026, 5, 9))
    add_pledge(world.branch_a, world.members_a[0], campaign, items=2, done=0, overdue=1)
    data, content = draft(world.jy, campaign)
    text = narrative(content)
    assert "各级党组织共开展各类活动3次，其中“三会一课”3次" in text
    assert "活动最集中的是2026年3月，达2次" in text
    months = next(t for s in content["sections"] for t in s["tables"] if t["title"] == "各月活动开展情况")
    assert ["2026年3月", 2, 2] in months["rows"] and ["2026年4月", 0, 0] in months["rows"]
    problems = next(s for s in content["sections"] if s["key"] == "problems")["text"]
    # Branch B held nothing; branch A has an item past its date.
    assert "1个支部本期没有开展活动（第二中学党支部）" in problems
    assert "1个支部有逾期未兑现的承诺事项1项" in problems
    lagging = {row.name: row for row in data.lagging}
    assert set(lagging) == {"第一中学党支部", "第二中学党支部"}


@pytest.mark.django_db
def test_rectification_rate_compared_over_two_periods(world, campaign):
    # Baseline (2025): two listed, one struck off -> 50%. Period (2026): two listed, both struck off.
    add_item(world.branch_a, date(2025, 3, 1), struck_off_on=date(2025, 4, 1))
    add_item(world.branch_a, date(2025, 5, 1))
    add_item(world.branch_a, date(2026, 2, 1), struck_off_on=date(2026, 2, 10))
    add_item(world.branch_b, date(2026, 3, 1), struck_off_on=date(2026, 3, 9))
    _data, content = draft(world.jy, campaign, baseline=(date(2025, 1, 1), date(2025, 12, 31)))
    text = narrative(content)
    assert "本期挂牌问题2个，已销号2个，整改落实率100%，整改落实率由50%提高到100%" in text


@pytest.mark.django_db
@pytest.mark.parametrize("template", list(drafting.TEMPLATES))
def test_every_template_has_its_skeleton_and_the_counts(world, campaign, template):
    _data, content = draft(world.zz, campaign, template)
    headings = [s["heading"] for s in content["sections"] if s["heading"]]
    text = narrative(content)
    assert "1个党委、1个总支、3个支部、7名党员" in text
    if template == drafting.PROGRESS:
        assert headings == ["一、进展情况及主要作法", "二、取得的初步成效", "三、存在的主要问题", "四、下阶段工作安排"]
    elif template == drafting.SPEECH:
        assert text.splitlines()[2] == "同志们："
        assert headings[0].startswith("一、认清形势")
    else:
        assert headings[0].startswith("一、") and len(headings) == 3


@pytest.mark.django_db
def test_figures_take_a_fixed_number_of_queries(world, campaign, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as small:
        figures.compute(world.zz, campaign, START, END, today=TODAY)
    from branches.models import OrgKind
    from tests.factories import MemberFactory, make_org

    for n in range(12):
        branch = make_org(f"新增党支部{n}", OrgKind.BRANCH, parent=world.jy)
        MemberFactory(org=branch)
        add_activity(branch, date(2026, 2, 2))
    with django_assert_max_num_queries(len(small.captured_queries)):
        figures.compute(world.zz, campaign, START, END, today=TODAY)
