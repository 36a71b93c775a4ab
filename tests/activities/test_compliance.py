"""三会一课 compliance across month, quarter and year boundaries, and for a whole subtree."""

from datetime import date

import pytest

from activities.compliance import MET, MISSED, NOT_APPLICABLE, OPEN, branch_compliance, shortfalls, subtree_compliance
from activities.models import ActivityKind, AppliesTo, ComplianceRule, Period
from activities.periods import period_containing, periods_overlapping, recent_window, year_window
from branches.models import LeadershipPost, Post
from tests.factories import MemberFactory, make_org

AFTER_2025 = date(2026, 1, 15)  # every period of 2025 has ended


def _row(result, kind):
    return next(row for row in result.rows if row.rule.kind == kind)


def _states(row):
    return {cell.period.start: (cell.count, cell.state) for cell in row.cells}


def _give_committee(branch, members):
    for member, post in zip(members, [Post.SECRETARY, Post.ORGANIZATION, Post.PUBLICITY], strict=False):
        LeadershipPost.objects.create(org=branch, member=member, post=post)


def test_periods_follow_the_calendar():
    assert period_containing(date(2025, 3, 31), "quarter").start == date(2025, 1, 1)
    assert period_containing(date(2025, 4, 1), "quarter").start == date(2025, 4, 1)
    assert period_containing(date(2024, 2, 10), "month").end == date(2024, 2, 29)  # leap year
    assert [p.start.month for p in periods_overlapping(date(2025, 2, 1), date(2025, 8, 31), "quarter")] == [1, 4, 7]
    window = recent_window(date(2025, 5, 10))
    assert (window.start, window.end) == (date(2024, 7, 1), date(2025, 6, 30))  # four whole quarters


def test_a_meeting_on_the_last_day_of_a_quarter_counts_for_that_quarter_only(world, log_activity):
    a = world.branch_a
    log_activity(a, ActivityKind.ASSEMBLY, date(2025, 3, 31), present=world.members_a)
    log_activity(a, ActivityKind.ASSEMBLY, date(2025, 7, 1), present=world.members_a)
    log_activity(a, ActivityKind.ASSEMBLY, date(2025, 12, 31), present=world.members_a)

    row = _row(branch_compliance(a, year_window(2025), today=AFTER_2025), ActivityKind.ASSEMBLY)

    assert [(c.count, c.state) for c in row.cells] == [(1, MET), (0, MISSED), (1, MET), (1, MET)]
    assert [c.period.start for c in row.missed] == [date(2025, 4, 1)]


def test_monthly_committee_meetings_across_month_ends(world, log_activity):
    a = world.branch_a
    _give_committee(a, world.members_a)
    for day in (date(2025, 1, 31), date(2025, 3, 1), date(2025, 3, 31)):
        log_activity(a, ActivityKind.COMMITTEE, day, present=world.members_a)

    result = branch_compliance(a, year_window(2025), today=AFTER_2025)
    row = _row(result, ActivityKind.COMMITTEE)

    states = [(c.period.start.month, c.count, c.state) for c in row.cells[:4]]
    assert states == [(1, 1, MET), (2, 0, MISSED), (3, 2, MET), (4, 0, MISSED)]
    assert len(row.missed) == 10  # February and April to December
    assert result.month_state(date(2025, 2, 1)) == MISSED
    assert result.month_total(date(2025, 3, 1)) == 2


def test_a_period_under_way_is_open_not_missed(world, log_activity):
    a = world.branch_a
    log_activity(a, ActivityKind.LECTURE, date(2025, 4, 3), present=world.members_a)

    result = branch_compliance(a, year_window(2025), today=date(2025, 5, 20))
    lecture = _states(_row(result, ActivityKind.LECTURE))
    assembly = _states(_row(result, ActivityKind.ASSEMBLY))

    assert lecture[date(2025, 4, 1)] == (1, MET)
    assert assembly[date(2025, 4, 1)] == (0, OPEN)
    assert assembly[date(2025, 1, 1)] == (0, MISSED)
    assert assembly[date(2025, 7, 1)][1] == NOT_APPLICABLE  # not begun


def test_periods_before_the_branch_was_founded_are_not_counted(world):
    new = make_org("新建党支部", parent=world.jy, code="ZZ-JY-09", founded_on=date(2025, 5, 10))
    row = _row(branch_compliance(new, year_window(2025), today=AFTER_2025), ActivityKind.ASSEMBLY)
    assert [c.state for c in row.cells] == [NOT_APPLICABLE, NOT_APPLICABLE, MISSED, MISSED]


def test_a_group_meeting_counts_toward_its_branch(world, log_activity):
    log_activity(world.group_a, ActivityKind.GROUP, date(2025, 6, 30), present=world.members_a[:2])

    a = branch_compliance(world.branch_a, year_window(2025), today=AFTER_2025)
    b = branch_compliance(world.branch_b, year_window(2025), today=AFTER_2025)

    assert _states(_row(a, ActivityKind.GROUP))[date(2025, 6, 1)] == (1, MET)
    # Branch B has no party groups, so the 党小组会 rule does not reach it; nor 支委会 without a committee.
    assert {row.rule.kind for row in b.rows} == {ActivityKind.ASSEMBLY, ActivityKind.LECTURE}


def test_the_nearest_rule_wins_and_zero_exempts(world, log_activity):
    # The education committee asks for a party lecture every month; the health general branch exempts its own.
    ComplianceRule.objects.create(owner=world.jy, kind=ActivityKind.LECTURE, period=Period.MONTH, minimum=1)
    ComplianceRule.objects.create(owner=world.wj, kind=ActivityKind.LECTURE, period=Period.QUARTER, minimum=0)
    # An inactive rule is skipped: the default applies instead.
    ComplianceRule.objects.create(
        owner=world.zz, kind=ActivityKind.ASSEMBLY, period=Period.YEAR, minimum=5, is_active=False
    )
    log_activity(world.branch_a, ActivityKind.LECTURE, date(2025, 1, 8), present=world.members_a)

    a = branch_compliance(world.branch_a, year_window(2025), today=AFTER_2025)
    hospital = branch_compliance(world.hospital, year_window(2025), today=AFTER_2025)

    lecture = _row(a, ActivityKind.LECTURE)
    assert lecture.rule.owner == world.jy
    assert len(lecture.cells) == 12 and len(lecture.missed) == 11
    assert ActivityKind.LECTURE not in {row.rule.kind for row in hospital.rows}
    assert _row(hospital, ActivityKind.ASSEMBLY).rule.owner is None
    assert len(_row(hospital, ActivityKind.ASSEMBLY).cells) == 4


def test_a_yearly_rule_in_a_recent_window_counts_whole_years(world, log_activity):
    ComplianceRule.objects.create(owner=world.jy, kind=ActivityKind.LIFE_MEETING, period=Period.YEAR, minimum=1)
    log_activity(world.branch_a, ActivityKind.LIFE_MEETING, date(2024, 1, 20), present=world.members_a)

    window = recent_window(date(2025, 2, 10))  # 2024-04 .. 2025-03
    row = _row(branch_compliance(world.branch_a, window, today=date(2025, 2, 10)), ActivityKind.LIFE_MEETING)

    # January 2024 is outside the window's months but inside the year 2024 it overlaps.
    assert [(c.period.start.year, c.count, c.state) for c in row.cells] == [(2024, 1, MET), (2025, 0, OPEN)]


def test_subtree_lists_the_branches_falling_short(world, log_activity):
    for quarter_day in (date(2025, 2, 1), date(2025, 5, 1), date(2025, 8, 1), date(2025, 11, 1)):
        log_activity(world.branch_a, ActivityKind.ASSEMBLY, quarter_day, present=world.members_a)
        log_activity(world.branch_a, ActivityKind.LECTURE, quarter_day, present=world.members_a)
        log_activity(world.group_a, ActivityKind.GROUP, quarter_day, present=world.members_a)
    log_activity(world.branch_b, ActivityKind.ASSEMBLY, date(2025, 3, 3), present=world.members_b)

    results = subtree_compliance(world.zz, year_window(2025), today=AFTER_2025)
    by_name = {r.branch.name: r for r in results}

    assert set(by_name) == {"第一中学党支部", "第二中学党支部", "人民医院党支部"}
    assert by_name["第一中学党支部"].missed_count == 8  # group meetings in 8 months without one
    assert by_name["第二中学党支部"].missed_count == 3 + 4  # three quarters of 大会, four of 党课
    assert by_name["人民医院党支部"].missed_count == 8
    assert by_name["第二中学党支部"].last_held_on == date(2025, 3, 3)
    assert [r.branch.name for r in shortfalls(results, "last")][0] == "人民医院党支部"  # never held one
    assert [r.branch.name for r in shortfalls(results, "misses")][-1] == "第二中学党支部"


@pytest.mark.parametrize("extra", [0, 20])
def test_a_subtree_costs_the_same_queries_for_3_or_23_branches(world, log_activity, extra, django_assert_num_queries):
    for i in range(extra):
        branch = make_org(f"支部{i}", parent=world.wj, code=f"ZZ-WJ-X{i:02d}")
        member = MemberFactory(org=branch)
        log_activity(branch, ActivityKind.ASSEMBLY, date(2025, 1 + i % 12, 5), present=[member])
        LeadershipPost.objects.create(org=branch, member=member, post=Post.SECRETARY)
    # Branches, rules, counts, committees, groups, last activity: six, whatever the size.
    with django_assert_num_queries(6):
        results = subtree_compliance(world.zz, year_window(2025), today=AFTER_2025)
    assert len(results) == 3 + extra


def test_rules_that_apply_only_to_branches_with_a_committee(world):
    assert ComplianceRule.objects.get(owner=None, kind=ActivityKind.COMMITTEE).applies_to == AppliesTo.WITH_COMMITTEE
    _give_committee(world.branch_b, world.members_b + [world.leader_member])
    b = branch_compliance(world.branch_b, year_window(2025), today=AFTER_2025)
    assert ActivityKind.COMMITTEE in {row.rule.kind for row in b.rows}
