"""The pledge list's keyset pages and the approval queue's capped counts.

Pages are three rows long here (PAGE_SIZE patched) so that a few pledges make several pages, and
most pledges share one board org, so the sort key (org_id, id) has ties in its leading column.
"""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from members.models import Member
from pledges.models import Category, Pledge, PledgeItem, Status
from pledges.views import pledges as views
from portal import paging
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return Campaign.objects.create(
        org=world.jy, name="创先争优活动", starts_on=today - timedelta(days=90), ends_on=today + timedelta(days=180)
    )


@pytest.fixture
def make(campaign):
    """make(org, status, overdue=0): a member pledge on org's board with two items, written straight."""
    counter = iter(range(10_000))

    def _make(org, status=Status.PUBLISHED, *, overdue=0, category=Category.STUDY, due_days_ago=5):
        member = MemberFactory(org=org, name=f"党员{next(counter):03d}")
        pledge = Pledge.objects.create(
            campaign=campaign,
            owner_member=member,
            org=org,
            category=category,
            status=status,
            outcome="kept" if status == Status.CLOSED else "",
        )
        today = timezone.localdate()
        PledgeItem.objects.bulk_create(
            PledgeItem(
                pledge=pledge,
                content=f"承诺事项{n}",
                target="按期完成",
                due_on=today - timedelta(days=due_days_ago) if n < overdue else today + timedelta(days=30),
                position=n,
            )
            for n in range(2)
        )
        return pledge

    return _make


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)


def _ids(response):
    return [p.pk for p in response.context["page_obj"].object_list]


def _link(response, rel):
    """The href of the page's rel="next"/"prev" link, or None."""
    match = re.search(rf'rel="{rel}" href="([^"]*)"', response.content.decode())
    return unescape(match.group(1)) if match else None


def _walk(client, url, rel):
    """Follow rel links from url to the end; the ids of every page, in order, and the urls visited."""
    pages, urls = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(_ids(response))
        urls.append(url)
        href = _link(response, rel)
        url = reverse("pledges:pledge_list") + href if href else None
        assert len(pages) < 50, "the pages do not end"
    return pages, urls


def _expected(qs):
    return list(qs.order_by("org_id", "id").values_list("pk", flat=True))


def test_next_and_previous_visit_every_pledge_once_in_order_despite_ties(world, make, login, small_pages):
    for _ in range(8):
        make(world.branch_a)
    for _ in range(3):
        make(world.branch_b)
    make(world.group_a)
    client = login(world.users.staff_jy)
    forward, urls = _walk(client, reverse("pledges:pledge_list"), "next")
    expected = _expected(Pledge.objects.all())
    assert [pk for page in forward for pk in page] == expected
    assert all(len(page) == 3 for page in forward)
    # Back from the last page: the same pages in reverse, the first one again at the end.
    last = client.get(urls[-1])
    backward, _ = _walk(client, reverse("pledges:pledge_list") + _link(last, "prev"), "prev")
    assert backward == forward[-2::-1]


def test_pages_keep_the_filters(world, make, login, small_pages):
    submitted = [make(world.branch_a, Status.SUBMITTED) for _ in range(5)]
    for _ in range(4):
        make(world.branch_a, Status.PUBLISHED)
    client = login(world.users.staff_jy)
    url = reverse("pledges:pledge_list") + f"?status=submitted&org={world.branch_a.pk}"
    response = client.get(url)
    assert parse_qs(urlsplit(_link(response, "next")).query)["status"] == ["submitted"]
    assert parse_qs(urlsplit(_link(response, "next")).query)["org"] == [str(world.branch_a.pk)]
    forward, urls = _walk(client, url, "next")
    assert [pk for page in forward for pk in page] == [p.pk for p in submitted]
    back = _link(client.get(urls[-1]), "prev")
    assert parse_qs(urlsplit(back).query)["status"] == ["submitted"]


def test_a_secretary_never_sees_another_branch_on_any_page(world, make, login, small_pages):
    for _ in range(5):
        make(world.branch_b)
    mine = [make(world.branch_a) for _ in range(4)] + [make(world.group_a)]
    for _ in range(5):
        make(world.branch_b)
    client = login(world.users.secretary_a)
    forward, _ = _walk(client, reverse("pledges:pledge_list"), "next")
    assert sorted(pk for page in forward for pk in page) == sorted(p.pk for p in mine)
    # A cursor made up to point into branch B's rows still pages through A's only.
    theirs = Pledge.objects.filter(org=world.branch_b).order_by("id").first()
    for param in ("after", "before"):
        response = client.get(reverse("pledges:pledge_list") + f"?{param}={theirs.org_id}.{theirs.pk}")
        assert response.status_code == 200
        assert set(_ids(response)) <= {p.pk for p in mine}
    # Asking for branch B's list by org is "not found", as before.
    assert client.get(reverse("pledges:pledge_list") + f"?org={world.branch_b.pk}").status_code == 404


def test_a_malformed_cursor_is_the_first_page(world, make, login, small_pages):
    pledges = [make(world.branch_a) for _ in range(4)]
    client = login(world.users.staff_jy)
    for junk in ("x", "1", "1.2.3", "1.a", "", "1." + "9" * 30, "9" * 5000 + ".1"):
        response = client.get(reverse("pledges:pledge_list") + f"?after={junk}")
        assert _ids(response) == [p.pk for p in pledges[:3]]


def test_the_count_stops_at_the_cap(world, make, login, small_pages, monkeypatch):
    for _ in range(5):
        make(world.branch_a)
    client = login(world.users.staff_jy)
    page = client.get(reverse("pledges:pledge_list")).context["page_obj"]
    assert (page.count, page.is_capped) == (5, False)
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    response = client.get(reverse("pledges:pledge_list"))
    page = response.context["page_obj"]
    assert (page.count, page.is_capped) == (4, True)
    assert "符合条件的承诺超过 4 项" in response.content.decode()


def test_overdue_and_search_filters_page_too(world, make, login, small_pages):
    late = [make(world.branch_a, overdue=1) for _ in range(4)]
    make(world.branch_a, Status.APPROVED, overdue=1)  # not published: not overdue
    for _ in range(3):
        make(world.branch_a)
    client = login(world.users.staff_jy)
    forward, _ = _walk(client, reverse("pledges:pledge_list") + "?overdue=on", "next")
    assert [pk for page in forward for pk in page] == [p.pk for p in late]
    name = late[2].owner_member.name
    assert _ids(client.get(reverse("pledges:pledge_list") + f"?q={name}")) == [late[2].pk]


@pytest.mark.parametrize("cursor", [False, True])
def test_the_list_reads_the_same_number_of_queries_for_3_and_30_pledges(
    world, make, login, django_assert_num_queries, cursor
):
    client = login(world.users.staff_jy)
    counts = []
    for n in (3, 30):
        Pledge.objects.all().delete()
        pledges = [make(world.branch_a if k % 2 else world.branch_b, overdue=1) for k in range(n)]
        url = reverse("pledges:pledge_list")
        if cursor:
            url += f"?after={pledges[0].org_id}.{pledges[0].pk}"
        client.get(url)  # warm the per-user caches alike for both sizes
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[1]):
        client.get(url)


def test_the_queue_reads_the_same_number_of_queries_for_3_and_30_pledges(world, make, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users.secretary_a)
    counts = []
    for n in (3, 30):
        Pledge.objects.all().delete()
        for k in range(n):
            make(world.branch_a, (Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED)[k % 3], overdue=2)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("pledges:queue")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_queue_caps_its_counts_and_lists_the_longest_overdue_first(world, make, login, monkeypatch):
    for days in (3, 9, 6):
        make(world.branch_a, overdue=1, due_days_ago=days)
    make(world.branch_b, overdue=2, due_days_ago=30)  # not secretary A's
    for _ in range(3):
        make(world.branch_a, Status.SUBMITTED)
    client = login(world.users.secretary_a)
    context = client.get(reverse("pledges:queue")).context
    assert [i.days_overdue for i in context["overdue"]] == [9, 6, 3]
    assert (context["overdue_count"], context["overdue_capped"]) == (3, False)
    assert (context["waiting_count"], context["waiting_capped"]) == (3, False)
    monkeypatch.setattr(views, "QUEUE_COUNT_CAP", 2)
    response = client.get(reverse("pledges:queue"))
    context = response.context
    assert (context["overdue_count"], context["overdue_capped"]) == (2, True)
    assert (context["waiting_count"], context["waiting_capped"]) == (2, True)
    assert len(context["overdue"]) == 3  # the rows shown are not cut by the count's cap
    assert re.search(r'text-bg-danger">2\+<', response.content.decode())


def test_the_queue_shows_the_oldest_few_and_links_to_the_filtered_list_for_the_rest(world, make, login, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_LIMIT", 2)
    waiting = [make(world.branch_a, Status.SUBMITTED) for _ in range(3)]
    now = timezone.now()
    for n, pledge in enumerate(waiting):
        Pledge.objects.filter(pk=pledge.pk).update(submitted_at=now - timedelta(days=10 - n))
    response = login(world.users.secretary_a).get(reverse("pledges:queue"))
    assert [p.pk for p in response.context["waiting"]] == [waiting[0].pk, waiting[1].pk]
    assert response.context["waiting_count"] == 3
    assert f'href="{reverse("pledges:pledge_list")}?status=submitted"' in response.content.decode()


def test_search_finds_members_and_organizations_by_part_of_their_name(world, make, login, campaign):
    member_pledge = make(world.branch_a)
    org_pledge = Pledge.objects.create(
        campaign=campaign, owner_org=world.branch_a, org=world.branch_a, category=Category.CENTRE
    )
    make(world.branch_b)
    client = login(world.users.staff_jy)
    assert _ids(client.get(reverse("pledges:pledge_list") + "?q=中学党")) == [org_pledge.pk]
    name = member_pledge.owner_member.name
    assert _ids(client.get(reverse("pledges:pledge_list") + f"?q={name[1:]}")) == [member_pledge.pk]
    assert _ids(client.get(reverse("pledges:pledge_list") + "?q=无此人")) == []


def test_a_cursor_that_leads_nowhere_any_more_shows_the_first_page(world, make, login, small_pages):
    pledges = [make(world.branch_a) for _ in range(5)]
    client = login(world.users.staff_jy)
    url = reverse("pledges:pledge_list")
    # Only two rows before the fourth pledge now: less than a page, so the first page is shown.
    assert _ids(client.get(url + f"?before={pledges[3].org_id}.{pledges[3].pk}")) == [p.pk for p in pledges[:3]]
    # Nothing after the last pledge (say the rows there were deleted).
    response = client.get(url + f"?after={pledges[4].org_id}.{pledges[4].pk}")
    assert _ids(response) == [p.pk for p in pledges[:3]]
    assert not response.context["page_obj"].has_previous


@pytest.mark.parametrize("by_ids", [True, False], ids=["few people: by their ids", "many: walking the list"])
def test_a_short_search_matches_the_start_of_a_name_or_given_name_as_the_roster_does(
    world, make, login, campaign, monkeypatch, by_ids
):
    from pledges import querysets

    if not by_ids:
        monkeypatch.setattr(querysets, "IDS_UP_TO", 0)
    wang = make(world.branch_a)
    Member.objects.filter(pk=wang.owner_member_id).update(name="王建国")
    jianguo = make(world.branch_b)
    Member.objects.filter(pk=jianguo.owner_member_id).update(name="李建华")
    make(world.branch_a)
    client = login(world.users.staff_jy)
    url = reverse("pledges:pledge_list")
    assert _ids(client.get(url + "?q=王")) == [wang.pk]  # the surname
    assert sorted(_ids(client.get(url + "?q=建"))) == sorted([wang.pk, jianguo.pk])  # the given name's start
    assert _ids(client.get(url + "?q=国")) == []  # not any character anywhere, as on the roster
    assert _ids(client.get(url + "?q=王建国")) == [wang.pk]
