"""The roster list's fast paths: counts from the per-org headcounts, labels worked out once per page."""

import pytest
from django.http import Http404
from django.urls import reverse

from members import roster
from members.filters import MemberFilterForm, filter_members, headcount_filter
from members.models import Member, Stage
from tests.factories import MemberFactory

LIST = reverse("members:member_list")


def capped_row_count(qs, cap):
    seen = qs.order_by().values("pk")[: cap + 1].count()
    return min(seen, cap), seen > cap


@pytest.fixture
def crowded(world):
    """Members in every stage across several orgs of both trees."""
    stages = list(Stage)
    for i, org in enumerate([world.branch_a, world.group_a, world.branch_b, world.hospital, world.beier, world.jy]):
        for j in range(7 + i):
            MemberFactory(org=org, stage=stages[(i + j) % len(stages)], is_mobile=bool(j % 2))
    return world


FILTERS = [
    {},
    {"kind": "party"},
    {"kind": "pipeline"},
    {"stage": "probationary"},
    {"kind": "full", "stage": "probationary"},  # contradictory: nobody
    {"category": "institution"},
    {"org": "branch_b"},
    {"org": "jy", "kind": "party"},
    {"org": "hospital", "stage": "applicant", "category": "institution"},
]


@pytest.mark.parametrize("cap", [3, 1000])
def test_the_headcount_count_equals_counting_the_rows(crowded, cap):
    checked = 0
    for who in ("admin", "staff_zz", "staff_jy", "secretary_a", "staff_zjl"):
        user = getattr(crowded.users, who)
        for params in FILTERS:
            data = {k: (getattr(crowded, v).pk if k == "org" else v) for k, v in params.items()}
            try:
                form, qs = filter_members(user, data)
            except Http404:
                continue  # an org outside the user's scope: the page's 404 (tests/members/test_list.py)
            spec = headcount_filter(form)
            assert spec is not None
            assert roster.headcount_count(*spec, cap=cap) == capped_row_count(qs, cap), (who, params)
            checked += 1
    assert checked > 30


@pytest.mark.parametrize("params", [{"q": "张"}, {"flag": "mobile"}, {"q": "1234", "kind": "party"}])
def test_searches_and_flags_count_the_rows(world, params):
    form = MemberFilterForm(params, user=world.users.staff_zz)
    assert headcount_filter(form) is None


def test_a_full_first_page_says_the_exact_total_from_the_headcounts(crowded, login, monkeypatch):
    monkeypatch.setattr(roster, "ROSTER_PAGE_SIZE", 5)
    response = login(crowded.users.staff_zz).get(LIST, {"kind": "party"})
    expected = Member.objects.manageable_by(crowded.users.staff_zz).party_members().count()
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.is_capped) == (expected, False)
    assert f"{expected} 名" in response.content.decode() or str(expected) in response.content.decode()


def test_beyond_the_cap_the_headcount_count_says_more_than(crowded, login, monkeypatch):
    monkeypatch.setattr(roster, "ROSTER_PAGE_SIZE", 5)
    monkeypatch.setattr(roster, "ROSTER_COUNT_CAP", 10)
    response = login(crowded.users.staff_zz).get(LIST)
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.is_capped) == (10, True)
    assert "超过" in response.content.decode()


def test_the_count_follows_a_transfer_and_a_delete(crowded, login, monkeypatch):
    """The counts come from OrgHeadcount: a member moved out of the scope or deleted leaves the total."""
    monkeypatch.setattr(roster, "ROSTER_PAGE_SIZE", 2)
    client = login(crowded.users.secretary_a)

    def total():
        return client.get(LIST).context["page_obj"].paginator.count

    before = total()
    moved = Member.objects.filter(org=crowded.branch_a).first()
    moved.org = crowded.branch_b
    moved.save()
    assert total() == before - 1
    Member.objects.filter(org=crowded.group_a).first().delete()
    assert total() == before - 2


def test_rows_carry_their_labels_and_links(world, login):
    response = login(world.users.secretary_a).get(LIST)
    page = response.content.decode()
    for member in response.context["members"]:
        assert member.detail_url == member.get_absolute_url()
        assert member.stage_label == member.get_stage_display()
        assert f'href="{member.get_absolute_url()}"' in page
    assert "正式党员" in page


@pytest.mark.parametrize(("rows", "queries"), [(1, 6), (120, 7)])
@pytest.mark.parametrize("params", [{}, {"kind": "full"}, {"q": "张三"}])
def test_query_count_does_not_grow_with_rows(world, login, django_assert_num_queries, rows, queries, params):
    MemberFactory.create_batch(rows, org=world.branch_b, stage=Stage.FULL, name="张三")
    client = login(world.users.staff_jy)
    # session, user, roles, own member record, page rows, unread notifications; and the count when
    # the first page is full
    with django_assert_num_queries(queries):
        response = client.get(LIST, params)
    expected = filter_members(world.users.staff_jy, params)[1].count()
    assert len(response.context["members"]) == min(expected, roster.ROSTER_PAGE_SIZE)
