"""The report's figures counted in the database (reports/figures/pledges.py, orgs.py) against the plain
count: on random small data sets, the SQL aggregation gives what pledges/stats.py gives and what a
row-by-row count in Python gives, for every org of the tree."""

import random
from datetime import date, timedelta

import pytest

from branches.models import Organization, OrgKind
from campaigns.models import Campaign
from members.models import PARTY_MEMBER_STAGES, Member, Stage
from pledges.models import (
    APPROVED_STATUSES,
    MEMBER_CATEGORIES,
    ORG_CATEGORIES,
    PUBLIC_STATUSES,
    SUBMITTED_STATUSES,
    Outcome,
    Pledge,
    PledgeItem,
    Status,
)
from pledges.stats import pledge_stats
from reports.figures.orgs import org_figures
from reports.figures.pledges import pledge_figures
from tests.factories import MemberFactory, make_org

TODAY = date(2026, 6, 30)
COUNTED = ("member_pledges", "org_pledges", "submitted", "approved", "closed", "kept", "partly", "not_kept")
ITEM_COUNTED = ("items", "items_done", "overdue")


def _random_world(world, rng: random.Random):
    """More branches (one inactive, some with 党小组), members at every stage, and pledges in every
    status with items done, open and past due, in the campaign and in another one."""
    year = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}
    campaign = Campaign.objects.create(org=world.zz, name="活动", **year)
    last_year = {"starts_on": date(2025, 1, 1), "ends_on": date(2025, 12, 31)}
    other = Campaign.objects.create(org=world.zz, name="往年活动", **last_year)
    parents = [world.jy, world.wj]
    for n in range(4):
        branch = make_org(f"随机党支部{n}", parent=rng.choice(parents), is_active=n != 3)
        if rng.random() < 0.5:
            make_org(f"随机党小组{n}", OrgKind.GROUP, parent=branch)
    orgs = list(Organization.objects.filter(path__startswith=world.zz.path))
    for _ in range(rng.randint(5, 25)):
        MemberFactory(org=rng.choice(orgs), stage=rng.choice(list(Stage)))
    members = list(Member.objects.filter(org__path__startswith=world.zz.path).select_related("org"))
    owners = [("member", m) for m in members] + [("org", o) for o in orgs if o.kind != OrgKind.GROUP]
    for kind, owner in rng.sample(owners, k=min(len(owners), rng.randint(10, 40))):
        status = rng.choice(list(Status))
        pledge = Pledge.objects.create(
            campaign=rng.choice([campaign, campaign, campaign, other]),
            owner_member=owner if kind == "member" else None,
            owner_org=owner if kind == "org" else None,
            org=owner.org if kind == "member" else rng.choice(orgs),
            category=rng.choice(MEMBER_CATEGORIES if kind == "member" else ORG_CATEGORIES),
            status=status,
            outcome=rng.choice(list(Outcome)) if status == Status.CLOSED else "",
        )
        for position in range(rng.randint(0, 4)):
            due = TODAY + timedelta(days=rng.randint(-60, 60))
            PledgeItem.objects.create(
                pledge=pledge,
                content=f"事项{position}",
                target="完成",
                due_on=due,
                done_on=due if rng.random() < 0.4 else None,
                position=position,
            )
    return campaign


def _plain_count(org, campaign, today):
    """The pledge figures counted row by row, straight from the definitions in pledges/models.py."""
    pledges = [
        p
        for p in Pledge.objects.select_related("org").prefetch_related("items")
        if p.org.path.startswith(org.path) and p.campaign_id == campaign.pk
    ]
    total = dict.fromkeys(COUNTED + ITEM_COUNTED, 0)
    categories = {c: dict.fromkeys(COUNTED + ITEM_COUNTED, 0) for c in (*MEMBER_CATEGORIES, *ORG_CATEGORIES)}
    overdue_by_org: dict[int, int] = {}
    member_pledged: set[int] = set()
    for p in pledges:
        public = p.status in PUBLIC_STATUSES
        counts = {
            "member_pledges": bool(p.owner_member_id and public),
            "org_pledges": bool(p.owner_org_id and public),
            "submitted": p.status in SUBMITTED_STATUSES,
            "approved": p.status in APPROVED_STATUSES,
            "closed": p.status == Status.CLOSED,
            "kept": p.outcome == Outcome.KEPT,
            "partly": p.outcome == Outcome.PARTLY,
            "not_kept": p.outcome == Outcome.NOT_KEPT,
        }
        if counts["member_pledges"]:
            member_pledged.add(p.org_id)
        for item in p.items.all() if public else ():
            overdue = item.is_overdue(today)
            counts["items"] = counts.get("items", 0) + 1
            counts["items_done"] = counts.get("items_done", 0) + item.is_done
            counts["overdue"] = counts.get("overdue", 0) + overdue
            if overdue:
                overdue_by_org[p.org_id] = overdue_by_org.get(p.org_id, 0) + 1
        for name, n in counts.items():
            total[name] += n
            categories[p.category][name] += n
    # The rows pledge_stats keeps: active branches and any org holding a pledge; members of a 党小组
    # count with the branch above it.
    rows = set(Organization.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH, is_active=True))
    rows |= {p.org for p in pledges}
    members_at: dict[str, int] = {}
    for m in Member.objects.select_related("org"):
        if m.stage in PARTY_MEMBER_STAGES and m.org.path.startswith(org.path):
            path = m.org.path[: -Organization.steplen] if m.org.kind == OrgKind.GROUP else m.org.path
            members_at[path] = members_at.get(path, 0) + 1
    members = sum(members_at.get(o.path, 0) for o in rows)
    silent = {o.pk for o in rows if members_at.get(o.path) and o.pk not in member_pledged}
    return total, categories, overdue_by_org, silent, members


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_pledge_figures_in_sql_equal_the_plain_count_and_pledge_stats(world, seed):
    campaign = _random_world(world, random.Random(seed))
    for org in Organization.objects.filter(path__startswith=world.zz.path).exclude(kind=OrgKind.GROUP):
        fig = pledge_figures(org, campaign, today=TODAY)
        total, categories, overdue_by_org, silent, members = _plain_count(org, campaign, TODAY)
        where = f"seed {seed}, {org.name}"
        assert {n: getattr(fig.total, n) for n in total} == total, where
        assert fig.total.members == members, where
        assert fig.overdue_items == total["overdue"], where
        assert fig.overdue_by_branch == overdue_by_org, where
        assert fig.silent_ids == silent and fig.silent_branches == len(silent), where
        shown = {r.key: {n: getattr(r, n) for n in total} for r in fig.categories}
        made = {c: v for c, v in categories.items() if v["submitted"] or v["member_pledges"] or v["org_pledges"]}
        assert shown == made, where

        # pledges/stats.py, which the figures were taken from before, agrees row for row.
        stats = pledge_stats(org, campaign, today=TODAY)
        assert vars(fig.total) == vars(stats.total), where
        assert [vars(r) for r in fig.categories] == [
            vars(r) for r in stats.categories if r.submitted or r.member_pledges or r.org_pledges
        ], where
        assert fig.overdue_items == stats.overdue_count, where
        assert fig.overdue_by_branch == {r.key: r.overdue for r in stats.branches if r.overdue}, where
        assert fig.silent_ids == {r.key for r in stats.branches if r.members and not r.member_pledges}, where


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(3))
def test_member_counts_from_the_kept_headcounts_equal_the_member_rows(world, seed):
    _random_world(world, random.Random(seed))
    for org in Organization.objects.filter(path__startswith=world.zz.path):
        fig = org_figures(org)
        inside = [m for m in Member.objects.select_related("org") if m.org.path.startswith(org.path)]
        by_stage: dict[str, int] = {}
        for m in inside:
            by_stage[m.stage] = by_stage.get(m.stage, 0) + 1
        assert fig.by_stage == by_stage, org.name
        party = [m for m in inside if m.stage in PARTY_MEMBER_STAGES]
        assert fig.direct.members + fig.below.members == len(party), org.name
        committees = {
            o.path
            for o in Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
            if o.kind in (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE)
        }
        below = sum(1 for m in party if m.org.path[: len(org.path) + Organization.steplen] in committees)
        assert fig.below.members == below, org.name
