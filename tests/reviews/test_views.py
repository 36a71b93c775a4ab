"""The pages: ledger filters and export, coverage, review and item pages, constant query counts."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reviews.coverage import coverage
from reviews.models import RectificationItem, Review, Stage, Status
from tests.factories import MemberFactory, make_org

from .conftest import picture


def rows_of(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_coverage_counts_reviewed_orgs_and_members_in_the_campaign(world, heads, rv, campaign):
    rv.quick_review(world.branch_a)  # held: branch A and its head 刘建国
    rv.quick_review(world.branch_b, stage=Stage.PLANNED)  # not yet held: does not count
    rv.quick_review(None, target_member=world.members_a[0], reviewer=heads.head_a)
    rv.quick_review(world.hospital, campaign_=None)  # outside the campaign
    table = coverage(world.jy, campaign, reviews=Review.objects.all())
    # Orgs below the committee: branch A, branch B (the 党小组 is not counted as an org).
    assert (table.orgs, table.orgs_reviewed) == (2, 1)
    # Party members in the subtree: jy 3 (陈局长, 黄书记, 钱前任), A 3 + 冯小组, B 2.
    assert (table.members, table.members_reviewed) == (9, 2)
    row_a = next(r for r in table.rows if r.org == world.branch_a)
    assert (row_a.reviewed, row_a.members, row_a.members_reviewed) == (True, 4, 2)
    assert table.org_rate == pytest.approx(0.5)
    everything = coverage(world.zz, None, reviews=Review.objects.all())
    assert everything.orgs_reviewed == 2  # branch A and the hospital, in any campaign


def test_coverage_page_shows_counts_and_who_is_missing(world, heads, rv, login):
    rv.quick_review(world.branch_a)
    client = login(world.users.staff_jy)
    response = client.get(reverse("reviews:coverage"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "下级 2 个党组织中已点评 1 个（50.0%）" in text
    missing = client.get(reverse("reviews:coverage"), {"missing": "1"}).content.decode()
    table = missing[missing.index('data-testid="coverage-orgs"') :]
    assert "第二中学党支部" in table and "第一中学党支部" not in table


def test_coverage_with_nothing_below_shows_a_dash(world, heads, login):
    response = login(world.users.staff_zz).get(reverse("reviews:coverage"), {"org": world.hospital.pk})
    assert "下级 0 个党组织中已点评 0 个（—）" in response.content.decode()


def test_the_ledger_filters_and_exports_with_coverage(world, heads, rv, login, campaign):
    rv.announced(world.branch_a)
    rv.planned(world.branch_b)
    client = login(world.users.staff_jy)
    response = client.get(reverse("reviews:review_list"), {"stage": Stage.ANNOUNCED})
    page = response.content.decode()
    assert "第一中学党支部（刘建国）" in page and "第二中学党支部（孙丽）" not in page
    export = client.get(reverse("reviews:review_export"), {"org": world.jy.pk, "campaign": campaign.pk})
    sheets = rows_of(export)
    ledger = sheets["点评台帐"]
    assert ledger[0][:3] == ("日期", "党组织", "点评对象")
    assert {row[2] for row in ledger[1:]} == {"第一中学党支部（刘建国）", "第二中学党支部（孙丽）"}
    reviewed = {row[0]: row[1] for row in sheets["点评覆盖"][1:]}
    assert reviewed["第一中学党支部"] == "是" and reviewed["第二中学党支部"] == "否"


def test_the_export_neutralizes_formulas(world, heads, rv, login):
    review = rv.held(world.branch_a, shortcomings=('=HYPERLINK("http://x")',))
    sheets = rows_of(login(heads.head_jy_user).get(reverse("reviews:review_export")))
    assert sheets["点评台帐"][1][9].startswith("'=")
    assert review.pk


def test_review_list_query_count_does_not_grow(world, heads, rv, login, django_assert_max_num_queries):
    client = login(world.users.staff_jy)
    rv.quick_review(world.branch_a)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("reviews:review_list"))
    for i in range(49):
        rv.quick_review(world.branch_b if i % 2 else world.branch_a, held_on=rv.today - timedelta(days=i))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("reviews:review_list"))
    assert response.content.decode().count("<tr>") == 51  # header and 50 rows


def test_item_list_query_count_does_not_grow(world, heads, rv, login, django_assert_max_num_queries):
    client = login(world.users.staff_jy)
    rv.item()
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("reviews:item_list"))
    for i in range(49):
        rv.item(problem=f"问题{i}", listed_on=rv.today - timedelta(days=5), deadline=rv.today - timedelta(days=i % 3))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("reviews:item_list"))
    assert response.content.decode().count('<td class="xf-rv-problem">') == 50


def test_coverage_query_count_does_not_grow(world, heads, rv, login, django_assert_max_num_queries):
    client = login(world.users.staff_jy)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("reviews:coverage"), {"org": world.jy.pk})
    for i in range(20):
        org = make_org(f"新建支部{i}", parent=world.jy)
        MemberFactory(org=org)
        rv.quick_review(org)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("reviews:coverage"), {"org": world.jy.pk})


def test_overdue_items_stand_out_in_the_ledger(world, heads, rv, login):
    rv.item(problem="逾期的问题", listed_on=rv.today - timedelta(days=40), deadline=rv.today - timedelta(days=3))
    rv.item(problem="按时的问题")
    response = login(world.users.staff_jy).get(reverse("reviews:item_list"))
    page = response.content.decode()
    assert page.index("逾期的问题") < page.index("按时的问题")  # overdue first
    assert 'data-testid="overdue-count">1<' in page
    overdue_only = login(world.users.staff_jy).get(reverse("reviews:item_list"), {"overdue": "on"}).content.decode()
    assert "逾期的问题" in overdue_only and "按时的问题" not in overdue_only


def test_the_item_export_has_the_ledger_and_the_rate(world, heads, rv, login):
    rv.at(Status.STRUCK_OFF, rv.item(problem="=1+1", listed_on=rv.today - timedelta(days=3)))
    rv.item(problem="未整改", listed_on=rv.today - timedelta(days=3))
    export = login(world.users.staff_jy).get(reverse("reviews:item_export"), {"org": world.jy.pk})
    sheets = rows_of(export)
    assert {row[2] for row in sheets["整改台账"][1:]} == {"'=1+1", "未整改"}
    total = sheets["整改率"][-1]
    assert total[:3] == ("州教育局党委", 2, 1) and total[5] == pytest.approx(0.5)


def test_the_reviewee_the_reviewer_and_managers_see_a_review_others_do_not(world, heads, rv, login):
    review = rv.held(world.members_a[0], by=world.users.secretary_a)
    url = review.get_absolute_url()
    for user in (world.users.member_a, world.users.secretary_a, world.users.staff_jy, world.users.staff_zz):
        assert login(user).get(url).status_code == 200, user
    for user in (world.users.secretary_b, world.users.leader_c, world.users.staff_zjl, heads.head_jy_user):
        assert login(user).get(url).status_code == 404, user


def test_the_review_page_shows_the_pledges_beside_it(world, heads, rv, login, campaign):
    from pledges.models import Category, Pledge, PledgeItem
    from pledges.models import Status as PledgeStatus

    pledge = Pledge.objects.create(
        campaign=campaign,
        owner_org=world.branch_a,
        org=world.branch_a,
        category=Category.CENTRE,
        status=PledgeStatus.PUBLISHED,
    )
    PledgeItem.objects.create(pledge=pledge, content="每月开展一次志愿服务", target="12次", due_on=rv.today, percent=50)
    draft = Pledge.objects.create(
        campaign=campaign, owner_member=heads.head_a, org=world.branch_a, category=Category.DUTY
    )
    review = rv.held(world.branch_a)
    page = login(heads.head_jy_user).get(review.get_absolute_url()).content.decode()
    pledges = page[page.index('data-testid="pledges"') :]
    assert "每月开展一次志愿服务（50%）" in pledges
    assert draft.pk and "刘建国" not in pledges[: pledges.index("</ul>")]  # a draft stays with its author


def test_plan_record_announce_and_rectify_through_the_pages(world, heads, login):
    client = login(heads.head_jy_user)
    response = client.post(
        reverse("reviews:review_create"),
        {"target_org": world.branch_b.pk, "method": "on_site", "held_on": "2020-05-01", "place": "第二中学"},
    )
    review = Review.objects.get()
    assert response["Location"] == review.get_absolute_url()
    response = client.post(
        reverse("reviews:review_record", args=[review.pk]),
        {
            "held_on": "2020-05-01",
            "achievements": "承诺公示到位",
            "shortcomings": "台账不规范\n党员学习笔记不全",
            "direction": "抓规范",
            "record": "记录全文",
        },
    )
    assert response.status_code == 302
    shortcoming = review.shortcomings.get(text="台账不规范")
    client.post(reverse("reviews:rectify", args=[review.pk, shortcoming.pk]), {"deadline": "2030-01-01"})
    item = RectificationItem.objects.get()
    assert (item.problem, item.owner_member, item.org) == ("台账不规范", heads.head_b, world.branch_b)
    client.post(reverse("reviews:review_announce", args=[review.pk]), {"announcement": "全局通报"})
    review.refresh_from_db()
    assert review.stage == Stage.ANNOUNCED
    page = client.get(review.get_absolute_url()).content.decode()
    assert "已列入整改台账" in page and "列入整改</button>" in page  # the other shortcoming still can be


def test_planning_a_target_off_the_line_is_refused_on_the_form(world, heads, login):
    client = login(heads.head_jy_user)
    response = client.post(
        reverse("reviews:review_create"),
        {"target_org": world.hospital.pk, "method": "meeting", "held_on": "2020-05-01"},
    )
    assert response.status_code == 200 and not Review.objects.exists()
    assert login(world.users.staff_jy).get(reverse("reviews:review_create")).status_code == 404


def test_progress_with_a_photo_and_the_photo_behind_the_access_rule(world, heads, rv, login):
    item = rv.item()
    client = login(world.users.secretary_a)
    client.post(reverse("reviews:item_report", args=[item.pk]), {"text": "已上墙", "files": [picture("墙.jpg")]})
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    photo = item.evidence.get().attachments.get()
    url = reverse("reviews:attachment", args=[photo.pk])
    response = client.get(url, {"size": "thumb"})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert login(world.users.secretary_b).get(url).status_code == 404


def test_the_moves_through_the_item_page(world, heads, rv, login):
    item = rv.at(Status.IN_PROGRESS)
    login(world.users.secretary_a).post(reverse("reviews:item_move", args=[item.pk, "request"]))
    item.refresh_from_db()
    assert item.status == Status.REQUESTED
    # The owner cannot confirm: not a move for them, so not found.
    assert (
        login(world.users.secretary_a).post(reverse("reviews:item_move", args=[item.pk, "confirm"])).status_code == 404
    )
    client = login(world.users.staff_jy)
    client.post(reverse("reviews:item_move", args=[item.pk, "return"]), {"reason": ""})
    item.refresh_from_db()
    assert item.status == Status.REQUESTED  # a return without a reason is refused
    client.post(reverse("reviews:item_move", args=[item.pk, "confirm"]))
    item.refresh_from_db()
    assert item.status == Status.STRUCK_OFF


def test_rate_page_defines_the_rate_and_shows_a_dash_when_nothing_is_listed(world, heads, rv, login):
    client = login(world.users.staff_jy)
    page = client.get(reverse("reviews:rate")).content.decode()
    assert "整改率 = " in page and 'data-testid="rate-total">—<' in page
    rv.at(Status.STRUCK_OFF, rv.item())
    rv.item()
    page = client.get(reverse("reviews:rate")).content.decode()
    assert 'data-testid="rate-total">50.0%<' in page


def test_the_nav_item_for_leaders_and_owners_only(world, heads, rv, login):
    assert "点评整改" in login(heads.head_jy_user).get(reverse("home")).content.decode()  # a head with no role
    assert "点评整改" not in login(world.users.outsider).get(reverse("home")).content.decode()
    plain = MemberFactory(org=world.branch_a, name="普通党员", user=world.users.outsider)
    assert "点评整改" not in login(world.users.outsider).get(reverse("home")).content.decode()
    rv.item(owner=plain)
    assert "点评整改" in login(world.users.outsider).get(reverse("home")).content.decode()
