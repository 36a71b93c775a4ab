"""Review coverage in SQL (reviews/coverage.py) gives what the Python computation it replaced gave.

``python_coverage`` below is that computation (every org of the subtree read and summed in Python),
kept as the reference. A random tree with 党小组, dissolved orgs (also a dissolved child of the chosen
org, a dissolved branch with groups), members of every stage and reviews of every stage, campaign and
target is compared for several chosen orgs and campaigns: totals, groups, each page of the rows (all,
counted, not yet reviewed) and the rows iterated as the workbook does.
"""

import itertools
import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count, Max, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organization, OrgKind
from campaigns.models import Campaign
from members import headcount
from members.models import Member, Stage
from reviews.coverage import coverage
from reviews.models import Review
from reviews.views.ledgers import PAGE_SIZE
from tests.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db


def python_coverage(org, campaign, *, reviews):
    """The former computation: (totals, groups, rows) with rows as plain tuples in path order."""
    done = reviews.done().in_subtree(org)
    if campaign is not None:
        done = done.filter(campaign=campaign)
    step = Organization.steplen
    tree = headcount.with_party_members(Organization.objects.in_subtree(org)).order_by("path")
    orgs, row_paths, member_counts = [], set(), {}
    for pk, path, active, kind, party in tree.values_list("pk", "path", "is_active", "kind", "party_members"):
        if active and kind != OrgKind.GROUP:
            orgs.append((pk, path))
            row_paths.add(path)
            if party:
                member_counts[path] = member_counts.get(path, 0) + party
        elif party:
            member_counts[path[:-step]] = member_counts.get(path[:-step], 0) + party
    last_by_org = dict(
        done.filter(target_org__isnull=False)
        .values("target_org_id")
        .annotate(on=Max("held_on"))
        .values_list("target_org_id", "on")
    )
    reviewed_ids = (
        done.filter(target_member__isnull=False)
        .values("target_member_id")
        .union(done.filter(target_head__isnull=False).values("target_head_id"))
    )
    reviewed_members = Member.objects.party_members().in_subtree(org).filter(pk__in=reviewed_ids).order_by()
    reviewed_counts = {}
    for path, n in reviewed_members.values("org__path").annotate(n=Count("id")).values_list("org__path", "n"):
        key = path if path in row_paths else path[:-step]
        reviewed_counts[key] = reviewed_counts.get(key, 0) + n
    totals = {"orgs": 0, "orgs_reviewed": 0, "members": 0, "members_reviewed": 0}
    rows, groups = [], {}
    key_length = len(org.path) + step
    for pk, path in orgs:
        members, members_reviewed = member_counts.get(path, 0), reviewed_counts.get(path, 0)
        totals["members"] += members
        totals["members_reviewed"] += members_reviewed
        reviewed = pk in last_by_org
        counted = pk != org.pk
        rows.append(
            (pk, reviewed if counted else pk in last_by_org, last_by_org.get(pk), members, members_reviewed, counted)
        )
        if not counted:
            continue
        totals["orgs"] += 1
        totals["orgs_reviewed"] += reviewed
        group = groups.setdefault(path[:key_length], [pk, 0, 0, 0, 0])
        group[1] += 1
        group[2] += reviewed
        group[3] += members
        group[4] += members_reviewed
    return totals, [tuple(g) for g in groups.values()], rows


def as_tuple(row):
    return (row.org.pk, row.reviewed, row.last_review_on, row.members, row.members_reviewed, row.counted)


def random_tree(rng: random.Random, campaigns):
    root = make_org("省委", OrgKind.COMMITTEE)
    orgs = [root]
    committees = [root]
    for i in range(rng.randint(3, 5)):
        committees.append(make_org(f"委{i}", OrgKind.COMMITTEE, parent=rng.choice(committees)))
    orgs += committees[1:]
    branches = []
    for i in range(rng.randint(10, 16)):
        parent = rng.choice(committees)
        branches.append(make_org(f"支部{i}", OrgKind.BRANCH, parent=parent, is_active=rng.random() > 0.2))
    orgs += branches
    for i in range(rng.randint(5, 9)):
        orgs.append(make_org(f"小组{i}", OrgKind.GROUP, parent=rng.choice(branches), is_active=rng.random() > 0.2))
    # A dissolved child of the chosen org, and a dissolved committee with an active branch below.
    gone = make_org("撤销总支", OrgKind.COMMITTEE, parent=root, is_active=False)
    orgs += [gone, make_org("撤销总支下支部", OrgKind.BRANCH, parent=gone)]
    orgs = [Organization.objects.get(pk=o.pk) for o in orgs]  # fresh paths after the inserts
    members = []
    for org in orgs:
        for _ in range(rng.randint(0, 4)):
            members.append(MemberFactory(org=org, stage=rng.choice(list(Stage))))
    reviewer = members[0]
    reviews = []
    for _ in range(60):
        fields = {
            "campaign": rng.choice(campaigns),
            "reviewer": reviewer,
            "basis": "superior_head",
            "org": rng.choice(orgs),
            "method": "meeting",
            "held_on": date(2026, 1, 1) + timedelta(days=rng.randrange(200)),
            "stage": rng.choice(["planned", "held", "announced"]),
        }
        if rng.random() < 0.5:
            fields["target_org"] = rng.choice(orgs)
            if rng.random() < 0.5:
                fields["target_head"] = rng.choice(members)
        else:
            fields["target_member"] = rng.choice(members)
        reviews.append(Review(**fields))
    Review.objects.bulk_create(reviews)
    return orgs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_coverage_equals_the_python_computation(seed, monkeypatch):
    monkeypatch.setattr("reviews.coverage.LOAD_CHUNK", 4)  # the workbook's rows read in several chunks
    rng = random.Random(seed)
    today = date(2026, 6, 1)
    campaigns = []
    orgs = random_tree(rng, [None])
    for i in range(2):
        campaigns.append(Campaign.objects.create(org=orgs[0], name=f"活动{i}", starts_on=today, ends_on=today))
    Review.objects.filter(pk__in=Review.objects.order_by("pk").values("pk")[:40]).update(campaign=campaigns[0])
    chosen = [orgs[0], *rng.sample(orgs[1:], 6), next(o for o in orgs if o.kind == OrgKind.GROUP)]
    # What a user may see narrows the reviews with joins and ORs (Review.objects.visible_to): one such set.
    narrowed = Review.objects.filter(Q(org__path__startswith=chosen[1].path) | Q(target_member__stage=Stage.FULL))
    for org, campaign, visible in itertools.product(chosen, (None, *campaigns), (Review.objects.all(), narrowed)):
        totals, groups, rows = python_coverage(org, campaign, reviews=visible)
        table = coverage(org, campaign, reviews=visible)
        assert {k: getattr(table, k) for k in totals} == totals
        assert [(g.org.pk, g.orgs, g.orgs_reviewed, g.members, g.members_reviewed) for g in table.groups] == groups
        assert [as_tuple(r) for r in table.rows] == rows  # iterated, as the workbook reads them
        assert len(table.rows) == len(rows)
        if rows:
            assert as_tuple(table.rows[0]) == rows[0]
            assert as_tuple(table.rows[-1]) == rows[-1]
        for subset, expected in (
            (table.rows.where(counted=True), [r for r in rows if r[5]]),
            (table.rows.where(counted=True).where(reviewed=False), [r for r in rows if r[5] and not r[1]]),
            (table.rows.where(reviewed=True), [r for r in rows if r[1]]),
            (table.rows.where(counted=False), [r for r in rows if not r[5]]),
        ):
            assert len(subset) == len(expected)
            for start in range(0, len(expected) + 1, 7):  # small pages, so there are several
                assert [as_tuple(r) for r in subset[start : start + 7]] == expected[start : start + 7]


def test_the_page_reads_a_constant_number_of_queries(world, login, django_assert_num_queries):
    """The same count with 5 orgs below and with 60 more (more than a page, groups and reviews)."""
    client = login(world.users.staff_zz)
    url = reverse("reviews:coverage")
    client.get(url)  # warm the session and the caches that are not the page's
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    reviewer = MemberFactory(org=world.zz)
    for i in range(60):
        parent = world.jy if i % 2 else world.zz
        org = make_org(f"新支部{i}", parent=parent, is_active=i % 7 != 0)
        member = MemberFactory(org=org)
        if i % 3 == 0:
            make_org(f"新小组{i}", OrgKind.GROUP, parent=org)
        Review.objects.create(
            reviewer=reviewer,
            basis="superior_head",
            org=world.zz,
            method="meeting",
            held_on=date(2026, 3, 1),
            stage="held",
            **({"target_org": org} if i % 2 else {"target_member": member}),
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<tr>") > PAGE_SIZE  # a full page of rows and the chart's table
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url, {"page": 2, "missing": 1})
