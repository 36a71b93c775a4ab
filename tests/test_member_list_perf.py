"""The roster list's fast paths: counts from the per-org headcounts, labels worked out once per page."""

import io
import re

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
    for row in response.context["members"]:
        assert row.detail_url == reverse("members:member_detail", args=[row.pk])
        assert row.stage_label == Stage(row.stage).label
        assert f'href="{row.detail_url}"' in page
    assert "正式党员" in page


# The rows fragment cache (members/views.py, _rows_html).


@pytest.fixture
def rows_rendered(monkeypatch):
    """How many times the rows fragment was rendered rather than taken from the cache."""
    from members import views

    calls = []
    real = views.render_to_string

    def counting(name, *args, **kwargs):
        if name.endswith("#rows"):
            calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", counting)
    return calls


def test_the_same_rows_are_rendered_once(world, login, rows_rendered):
    client = login(world.users.secretary_a)
    first = client.get(LIST).content
    second = client.get(LIST).content
    assert rows_rendered == ["members/member_list.html#rows"]
    assert "刘建国" in second.decode()
    # The page around the fragment is rendered every time: its CSRF token is the request's own.
    assert first.count(b"X-CSRFToken") == second.count(b"X-CSRFToken") == 1


def test_the_filter_form_keeps_the_query_and_marks_an_invalid_value(world, login):
    client = login(world.users.secretary_a)
    for _ in range(2):  # rendered, then from the cache
        page = client.get(LIST, {"q": "赵", "kind": "party"}).content.decode()
        assert 'value="赵"' in page and '<option value="party" selected>' in page
    page = client.get(LIST, {"kind": "nonsense"}).content.decode()
    assert "is-invalid" in page
    assert 'value="赵"' not in client.get(LIST).content.decode()


def test_two_scopes_never_share_rows(world, login):
    a = login(world.users.secretary_a).get(LIST).content.decode()
    b = login(world.users.secretary_b).get(LIST).content.decode()
    a_again = login(world.users.secretary_a).get(LIST).content.decode()
    assert "刘建国" in a and "孙丽" not in a
    assert "孙丽" in b and "刘建国" not in b
    assert a_again.count("刘建国") == a.count("刘建国") and "孙丽" not in a_again


def test_an_edit_a_transfer_and_an_org_rename_show_on_the_next_load(world, login):
    from branches.services.orgs import org_update
    from members.services import member_update

    client = login(world.users.staff_jy)
    assert "赵敏" in client.get(LIST).content.decode()
    member = world.members_a[2]
    member_update(member=member, data={"name": "赵敏敏", "phone": "13912345678"}, by=world.users.staff_jy)
    page = client.get(LIST).content.decode()
    assert "赵敏敏" in page and "139****5678" in page
    member.refresh_from_db()
    member_update(member=member, data={"org": world.branch_b}, by=world.users.staff_jy)
    page = client.get(LIST, {"org": world.branch_b.pk}).content.decode()
    assert "赵敏敏" in page
    assert "赵敏敏" not in client.get(LIST, {"org": world.branch_a.pk}).content.decode()
    org_update(org=world.branch_b, by=world.users.staff_jy, name="第二中学党支部（新）")
    assert "第二中学党支部（新）" in client.get(LIST).content.decode()


def test_writes_that_send_no_signals_show_too(world, login):
    """Bulk updates and a deleted login reach the page: the cache key is the rows' content, not a version."""
    client = login(world.users.secretary_a)
    assert "bi-person-check" in client.get(LIST).content.decode()  # 张党员 has a login
    Member.objects.filter(org=world.branch_a).update(is_mobile=True)
    world.users.member_a.delete()  # SET_NULL on the member, no Member signal
    page = client.get(LIST).content.decode()
    assert page.count('<span class="badge xf-flag">流动</span>') == 3
    assert "bi-person-check" not in page


def test_an_import_shows_on_the_next_load(world, login, tmp_path):
    from django.core.management import call_command

    from tests.factories import make_id_number
    from tests.imports.conftest import csv_bytes

    client = login(world.users.secretary_a)
    assert "钱新人" not in client.get(LIST).content.decode()
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([["姓名", "身份证号", "所在党组织"], ["钱新人", make_id_number(), "ZZ-JY-01"]]))
    call_command("import_roster", str(path), "--org", "ZZ-JY-01", stdout=io.StringIO())
    assert "钱新人" in client.get(LIST).content.decode()


def test_an_htmx_search_gets_the_fragment_alone_from_the_cache_too(world, login, rows_rendered):
    client = login(world.users.secretary_a)
    htmx = {"HX-Request": "true", "HX-Target": "roster-rows"}
    full = client.get(LIST, {"q": "赵"}).content.decode()
    fragment = client.get(LIST, {"q": "赵"}, headers=htmx).content.decode()
    assert len(rows_rendered) == 1
    assert fragment.strip().startswith('<div id="roster-rows">') and fragment.strip() in full


@pytest.mark.parametrize(("rows", "queries"), [(1, 5), (120, 6)])
@pytest.mark.parametrize("params", [{}, {"kind": "full"}, {"q": "张三"}])
def test_query_count_does_not_grow_with_rows(world, login, django_assert_num_queries, rows, queries, params):
    MemberFactory.create_batch(rows, org=world.branch_b, stage=Stage.FULL, name="张三")
    client = login(world.users.staff_jy)
    # session, user, scope (roles and own member record), page rows, unread notifications; and the count when
    # the first page is full
    with django_assert_num_queries(queries):
        response = client.get(LIST, params)
    expected = filter_members(world.users.staff_jy, params)[1].count()
    assert len(response.context["members"]) == min(expected, roster.ROSTER_PAGE_SIZE)


def test_the_menu_built_once_per_kind_of_user_still_fits_each_user(world, login):
    from django.urls import reverse as url

    def menu(user):
        response = login(user).get(url("home"))
        return {key for key, *_ in response.context["nav_items"]}

    staff, member, admin = world.users.staff_zz, world.users.member_a, world.users.admin
    for _ in range(2):  # the second round comes from the memo
        assert {"members", "imports", "dashboard"} <= menu(staff) and "me" not in menu(staff)
        assert "me" in menu(member) and "members" not in menu(member) and "admin" not in menu(member)
        assert "admin" in menu(admin)


def test_the_fragment_cache_can_be_switched_off(world, login, rows_rendered, settings):
    settings.MEMBER_LIST_FRAGMENT_SECONDS = 0
    client = login(world.users.secretary_a)
    pages = [client.get(LIST).content for _ in range(2)]
    assert len(rows_rendered) == 2
    assert pages[0].count(b"<tr>") == pages[1].count(b"<tr>") == 4


@pytest.mark.parametrize("params", [{}, {"q": "赵"}, {"kind": "party", "page": "1"}, {"kind": "nonsense"}])
def test_a_cached_page_is_the_page_rendered_afresh(world, login, settings, params):
    def normalized(content):
        # The CSRF token and the CSP nonce are the request's own on every page.
        return re.sub(rb'(X-CSRFToken": "|csrfmiddlewaretoken" value="|nonce=")[^"]+', rb"\1-", content)

    client = login(world.users.staff_jy)
    client.get(LIST, params)  # fills the cache
    cached = normalized(client.get(LIST, params).content)
    settings.MEMBER_LIST_FRAGMENT_SECONDS = 0
    fresh = normalized(client.get(LIST, params).content)
    assert cached == fresh
