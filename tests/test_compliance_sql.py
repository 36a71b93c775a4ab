"""``subtree_tally`` (grouped SQL, what the dashboard and reports read) says what ``subtree_compliance``
and ``summarize`` (a cell per branch, rule and period in Python, what the compliance page shows) say,
on random trees, rules, activities and days."""

import random
from datetime import date, timedelta

import pytest

from activities import compliance
from activities.compliance import subtree_compliance, subtree_tally, summarize
from activities.models import Activity, ActivityKind, AppliesTo, ComplianceRule, Period
from activities.periods import Window, month_end, month_start, recent_window, year_window
from branches.models import LeadershipPost, OrgKind, Post
from tests.factories import MemberFactory, make_org


def _expected(org, window, today):
    results = subtree_compliance(org, window, today=today)
    branches = [(r.branch.pk, r.branch.path, r.branch.founded_on, r.missed_count, bool(r.rows)) for r in results]
    kinds = [(k.kind, str(k.label), k.checked, k.short, k.missed_periods) for k in summarize(results)]
    return branches, kinds


def _actual(org, window, today):
    tallies, summary = subtree_tally(org, window, today=today)
    branches = [(t.id, t.path, t.founded_on, t.missed_count, t.checked) for t in tallies]
    kinds = [(k.kind, str(k.label), k.checked, k.short, k.missed_periods) for k in summary]
    return branches, kinds


def _random_world(world, rng):
    committees = [world.zz, world.jy, world.wj]
    branches = [world.branch_a, world.branch_b, world.hospital]
    for n in range(rng.randint(2, 5)):
        parent = rng.choice(committees)
        founded = rng.choice(
            [None, date(2024, rng.randint(1, 12), rng.randint(1, 28)), date(2025, rng.randint(1, 12), 1)]
        )
        branch = make_org(f"随机支部{n}", parent=parent, founded_on=founded)
        branches.append(branch)
        if rng.random() < 0.4:
            make_org(f"随机小组{n}", OrgKind.GROUP, parent=branch)
        if rng.random() < 0.4:
            for post in rng.sample([Post.SECRETARY, Post.ORGANIZATION, Post.PUBLICITY], rng.randint(2, 3)):
                LeadershipPost.objects.create(org=branch, member=MemberFactory(org=branch), post=post)
    if rng.random() < 0.3:
        inactive = rng.choice(branches[3:])
        inactive.is_active = False
        inactive.save(update_fields=["is_active"])

    ComplianceRule.objects.all().delete()
    owners = [None, *committees, *branches]
    for kind in ActivityKind.values:
        for owner in rng.sample(owners, rng.randint(0, 3)):
            ComplianceRule.objects.create(
                owner=owner,
                kind=kind,
                period=rng.choice(Period.values),
                minimum=rng.choice([0, 1, 1, 2, 3]),
                applies_to=rng.choice(AppliesTo.values),
                is_active=rng.random() < 0.85,
            )

    day0 = date(2024, 1, 1)
    Activity.objects.bulk_create(
        Activity(
            org=branch,
            branch=branch,
            kind=rng.choice(ActivityKind.values),
            held_on=day0 + timedelta(days=rng.randint(0, 800)),
            title="随机活动",
        )
        for branch in branches
        for _ in range(rng.randint(0, 40))
    )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(8))
def test_the_tally_in_sql_equals_the_cells_in_python(world, seed, monkeypatch):
    rng = random.Random(seed)
    if seed % 2:  # the activities read by path, as a province's are, not by branch id
        monkeypatch.setattr(compliance, "BRANCH_IDS_UP_TO", 0)
    _random_world(world, rng)
    misses = 0
    for _ in range(6):
        today = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
        start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
        end = start + timedelta(days=rng.randint(0, 400))
        windows = [
            Window(month_start(start), month_end(end), "report"),
            recent_window(today),
            year_window(rng.choice([2024, 2025])),
        ]
        for window in windows:
            for org in (world.zz, world.jy, world.branch_a, world.zjl):
                actual = _actual(org, window, today)
                assert actual == _expected(org, window, today), (seed, org, window, today)
                misses += sum(row[3] for row in actual[0])
    assert misses  # the comparison saw branches fall short, not only empty tallies


@pytest.mark.django_db
def test_the_tally_asks_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    _random_world(world, random.Random(99))
    with django_assert_max_num_queries(8):  # rules, branches, committees, groups, one per period unit
        subtree_tally(world.zz, year_window(2025), today=date(2026, 1, 15))
