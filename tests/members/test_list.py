"""The roster list: scope, search, filters, pagination and its query count."""

import pytest
from django.urls import reverse

from members import roster
from members.models import Member, Stage
from tests.factories import MemberFactory

LIST = reverse("members:member_list")


def names(response):
    return [m.name for m in response.context["members"]]


def test_secretary_sees_only_their_branch(world, login):
    response = login(world.users.secretary_a).get(LIST)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(["张党员", "刘建国", "赵敏"])
    assert "孙丽" not in response.content.decode()


def test_staff_sees_the_whole_subtree_and_nothing_beside_it(world, login):
    response = login(world.users.staff_zz).get(LIST)
    assert set(names(response)) == {"张党员", "刘建国", "赵敏", "孙丽", "周强", "陈局长", "吴医生"}


def test_a_member_is_sent_to_their_own_record(world, login):
    response = login(world.users.member_a).get(LIST)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:me")


def test_someone_without_roles_gets_404(world, login):
    assert login(world.users.outsider).get(LIST).status_code == 404


def test_search_by_name(world, login):
    response = login(world.users.staff_zz).get(LIST, {"q": "孙"})
    assert names(response) == ["孙丽"]


def test_search_by_id_tail_including_lower_case_x(world, login):
    target = world.members_b[1]
    tail = target.id_number[-4:]
    response = login(world.users.staff_zz).get(LIST, {"q": tail.lower()})
    assert "周强" in names(response)
    assert all(m.id_number.endswith(tail) for m in response.context["members"])


def test_search_by_phone(world, login):
    target = world.members_a[2]
    target.phone = "13800138000"
    target.save()
    client = login(world.users.staff_zz)
    assert names(client.get(LIST, {"q": "13800138000"})) == ["赵敏"]
    # Phones are encrypted: only the whole number finds someone, not its first digits.
    assert names(client.get(LIST, {"q": "1380013"})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "probationary"}, {"刘建国"}),
        ({"kind": "full"}, {"张党员", "赵敏"}),
        ({"kind": "pipeline"}, set()),
        ({"stage": "probationary"}, {"刘建国"}),
        ({"flag": "mobile"}, {"赵敏"}),
        ({"flag": "retired"}, {"张党员"}),
        ({"flag": "frail"}, set()),
    ],
)
def test_filters(world, login, params, expected):
    Member.objects.filter(pk=world.members_a[1].pk).update(stage=Stage.PROBATIONARY)
    Member.objects.filter(pk=world.members_a[2].pk).update(is_mobile=True)
    Member.objects.filter(pk=world.members_a[0].pk).update(is_retired=True)
    response = login(world.users.secretary_a).get(LIST, params)
    assert set(names(response)) == expected


def test_filter_by_category(world, login):
    response = login(world.users.admin).get(LIST, {"category": "community"})
    assert names(response) == ["郑阿姨"]


def test_org_filter_shows_the_org_and_a_way_to_clear_it(world, login):
    response = login(world.users.staff_zz).get(LIST, {"org": world.wj.pk})
    assert names(response) == ["吴医生"]
    page = response.content.decode()
    assert "州卫健委党总支" in page
    assert 'href="?"' in page or "清除" in page


def test_org_filter_outside_scope_is_404(world, login):
    assert login(world.users.secretary_a).get(LIST, {"org": world.branch_b.pk}).status_code == 404


def test_the_id_column_is_masked(world, login):
    member = world.members_a[0]
    page = login(world.users.secretary_a).get(LIST).content.decode()
    assert member.id_number not in page
    assert member.masked_id_number in page


def test_htmx_search_returns_only_the_rows(world, login):
    response = login(world.users.secretary_a).get(
        LIST, {"q": "赵"}, headers={"HX-Request": "true", "HX-Target": "roster-rows"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="roster-rows">')
    assert '<nav class="navbar' not in page
    assert "赵敏" in page and "刘建国" not in page


def test_empty_search_says_so(world, login):
    page = login(world.users.secretary_a).get(LIST, {"q": "不存在的人"}).content.decode()
    assert "没有符合条件的党员" in page


def test_pages_hold_fifty_and_keep_the_filters(world, login):
    MemberFactory.create_batch(60, org=world.branch_a, stage=Stage.FULL)
    client = login(world.users.secretary_a)
    first = client.get(LIST, {"kind": "full"})
    assert len(first.context["members"]) == 50
    assert "kind=full&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"kind": "full", "page": 2})
    assert len(second.context["members"]) == 3 + 60 - 50


def test_a_count_beyond_the_cap_says_more_than(world, login, monkeypatch):
    monkeypatch.setattr(roster, "ROSTER_COUNT_CAP", 2)
    monkeypatch.setattr(roster, "ROSTER_PAGE_SIZE", 2)
    response = login(world.users.secretary_a).get(LIST)
    assert response.context["page_obj"].paginator.is_capped
    assert "超过" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries, rows):
    Member.objects.filter(org=world.branch_a).delete()
    MemberFactory.create_batch(rows, org=world.branch_a)
    client = login(world.users.secretary_a)
    with django_assert_max_num_queries(7):
        response = client.get(LIST, {"org": world.branch_a.pk, "kind": "full"})
    assert len(response.context["members"]) == rows


def test_a_short_result_is_read_once_and_not_counted(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users.secretary_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"q": "赵"})
    assert names(response) == ["赵敏"]
    member_reads = [q["sql"] for q in queries.captured_queries if 'FROM "members_member"' in q["sql"]]
    assert not any("COUNT(" in sql for sql in member_reads)
    assert sum('"members_member"."id_number"' in sql for sql in member_reads) == 1


def test_the_export_button_carries_the_search_and_filters(world, login):
    page = login(world.users.secretary_a).get(LIST, {"q": "赵", "kind": "full", "page": "1"}).content.decode()
    assert reverse("imports:export_members") + "?kind=full&amp;q=%E8%B5%B5" in page
