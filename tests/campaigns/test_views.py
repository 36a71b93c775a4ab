"""The campaign pages as their users meet them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import HistoryEntry
from campaigns.models import Campaign, Phase

from .conftest import make_campaign

# Session, user, scope (roles, member, the member's branch), unread notifications, the status counts,
# the page count, the page, its phases: the same for one campaign or fifty.
LIST_QUERIES = 9


def detail_url(campaign):
    return reverse("campaigns:campaign_detail", args=[campaign.pk])


def test_the_list_shows_each_campaign_with_its_org_and_current_phase(login, world, campaign_jy, campaign_zjl, today):
    page = login(world.users.staff_jy).get(reverse("campaigns:campaign_list")).content.decode()
    assert campaign_jy.name in page and "州教育局党委" in page
    assert "领导点评" in page  # today's phase
    assert f"{campaign_jy.starts_on:%Y-%m-%d} ～ {campaign_jy.ends_on:%Y-%m-%d}" in page
    assert "65%" in page  # day 281 of 431 has begun
    assert campaign_zjl.name not in page


def test_the_status_filter(login, world, campaign_jy, today):
    make_campaign(
        world.jy,
        world.users.staff_jy,
        name="明年的活动",
        starts_on=today + timedelta(90),
        ends_on=today + timedelta(200),
    )
    client = login(world.users.staff_jy)
    upcoming = client.get(reverse("campaigns:campaign_list"), {"status": "upcoming"}).content.decode()
    assert "明年的活动" in upcoming and campaign_jy.name not in upcoming and "90天后开始" in upcoming
    running = client.get(reverse("campaigns:campaign_list"), {"status": "running"}).content.decode()
    assert "明年的活动" not in running and campaign_jy.name in running


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_reads_the_same_number_of_queries_for_1_and_50_campaigns(
    rows, login, world, today, django_assert_max_num_queries
):
    for n in range(rows):
        make_campaign(
            world.jy,
            world.users.staff_jy,
            name=f"活动{n}",
            starts_on=today - timedelta(n),
            ends_on=today + timedelta(30),
        )
    client = login(world.users.secretary_a)
    client.get(reverse("campaigns:campaign_list"))  # the session and scope are read once
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("campaigns:campaign_list"))
    assert response.content.decode().count('class="list-group-item xf-campaign-row"') == min(rows, 20)


def test_the_list_query_count_does_not_grow(login, world, today, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users.secretary_a)
    counts = []
    for total in (1, 50):
        for n in range(total - Campaign.objects.count()):
            make_campaign(
                world.jy, world.users.staff_jy, name=f"活动{total}-{n}", starts_on=today, ends_on=today + timedelta(60)
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("campaigns:campaign_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_branch_secretary_reads_the_committees_campaign_but_cannot_change_it(login, world, campaign_jy):
    client = login(world.users.secretary_a)
    page = client.get(detail_url(campaign_jy)).content.decode()
    assert campaign_jy.name in page and "一校一品" in page and "当前阶段" in page
    assert reverse("campaigns:campaign_edit", args=[campaign_jy.pk]) not in page
    assert reverse("campaigns:phase_add", args=[campaign_jy.pk]) not in page
    phase = campaign_jy.phases.first()
    carrier = campaign_jy.carriers.first()
    for url in (
        reverse("campaigns:campaign_edit", args=[campaign_jy.pk]),
        reverse("campaigns:phase_add", args=[campaign_jy.pk]),
        reverse("campaigns:phase_edit", args=[campaign_jy.pk, phase.pk]),
        reverse("campaigns:phase_remove", args=[campaign_jy.pk, phase.pk]),
        reverse("campaigns:carrier_add", args=[campaign_jy.pk]),
        reverse("campaigns:carrier_remove", args=[campaign_jy.pk, carrier.pk]),
    ):
        assert client.post(url, {"name": "改名"}).status_code == 404, url
    assert campaign_jy.phases.count() == 6 and campaign_jy.carriers.count() == 2


def test_staff_of_another_tree_get_404(login, world, campaign_jy):
    client = login(world.users.staff_zjl)
    assert client.get(detail_url(campaign_jy)).status_code == 404
    assert client.get(reverse("campaigns:campaign_detail", args=[987654])).status_code == 404


def test_the_manager_sees_the_controls_and_the_history(login, world, campaign_jy):
    page = login(world.users.staff_jy).get(detail_url(campaign_jy)).content.decode()
    assert reverse("campaigns:campaign_edit", args=[campaign_jy.pk]) in page
    assert 'data-confirm="确定删除阶段“宣传动员”吗？"' in page
    assert "变更记录" in page and "教育局党办干事" in page


def test_the_create_page_prefills_the_six_phases_over_the_default_period(login, world, today):
    response = login(world.users.staff_jy).get(reverse("campaigns:campaign_create"))
    phases = response.context["phases"]
    assert [f.initial["name"] for f in phases] == [
        "宣传动员",
        "集中学习",
        "公开承诺",
        "领导点评",
        "群众评议",
        "评选表彰",
    ]
    assert phases[0].initial["starts_on"] == today
    assert phases[5].initial["ends_on"] == response.context["form"].initial["ends_on"]
    # Only the orgs the user runs campaigns for are offered.
    orgs = list(response.context["form"].fields["org"].queryset)
    assert orgs == [world.jy]


def test_changing_the_period_splits_the_phases_again(login, world):
    response = login(world.users.staff_jy).get(
        reverse("campaigns:campaign_create"),
        {"starts_on": "2026-01-01", "ends_on": "2026-06-30"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="phase-rows"' in html and "<html" not in html
    assert 'value="2026-01-31"' in html and 'value="2026-02-01"' in html  # 宣传动员 ends, 集中学习 begins


def _create_post(world, **changes):
    data = {
        "org": world.jy.pk,
        "name": "教育系统深入开展创先争优活动",
        "starts_on": "2026-01-01",
        "ends_on": "2026-06-30",
        "description": "学先进作表率",
        "phases-TOTAL_FORMS": "3",
        "phases-INITIAL_FORMS": "3",
        "phases-0-kind": "mobilize",
        "phases-0-name": "宣传动员",
        "phases-0-starts_on": "2026-01-01",
        "phases-0-ends_on": "2026-01-31",
        "phases-1-kind": "study",
        "phases-1-name": "集中学习",
        "phases-1-starts_on": "2026-02-01",
        "phases-1-ends_on": "2026-03-31",
        "phases-2-kind": "pledge",
        "phases-2-name": "公开承诺",
        "phases-2-starts_on": "2026-04-01",
        "phases-2-ends_on": "2026-06-30",
    }
    data.update(changes)
    return data


def test_creating_a_campaign_with_edited_phases(login, world):
    client = login(world.users.staff_jy)
    response = client.post(reverse("campaigns:campaign_create"), _create_post(world, **{"phases-2-DELETE": "on"}))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(campaign)
    assert [(p.name, p.ends_on.isoformat()) for p in campaign.phases.all()] == [
        ("宣传动员", "2026-01-31"),
        ("集中学习", "2026-03-31"),
    ]
    assert HistoryEntry.objects.filter(object_id=str(campaign.pk), action="create").count() == 1


def test_overlapping_phases_are_shown_back_with_the_reason(login, world):
    client = login(world.users.staff_jy)
    response = client.post(
        reverse("campaigns:campaign_create"), _create_post(world, **{"phases-1-starts_on": "2026-01-20"})
    )
    assert response.status_code == 200
    assert "日期重叠" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_secretary_cannot_start_a_campaign_for_the_committee(login, world):
    client = login(world.users.secretary_a)
    response = client.post(reverse("campaigns:campaign_create"), _create_post(world))
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert client.get(reverse("campaigns:campaign_create"), {"org": world.jy.pk}).status_code == 404
    assert login(world.users.member_a).get(reverse("campaigns:campaign_create")).status_code == 404


def test_editing_the_campaign(login, world, campaign_jy):
    client = login(world.users.staff_jy)
    url = reverse("campaigns:campaign_edit", args=[campaign_jy.pk])
    data = {
        "name": "新名称",
        "starts_on": campaign_jy.starts_on.isoformat(),
        "ends_on": (campaign_jy.ends_on - timedelta(days=100)).isoformat(),
    }
    response = client.post(url, data)
    assert "请先调整这些阶段的日期" in response.content.decode()
    data["ends_on"] = (campaign_jy.ends_on + timedelta(days=10)).isoformat()
    assert client.post(url, data).status_code == 302
    campaign_jy.refresh_from_db()
    assert campaign_jy.name == "新名称"


def test_phase_pages(login, world, campaign_jy):
    client = login(world.users.staff_jy)
    last = campaign_jy.phases.last()
    url = reverse("campaigns:phase_edit", args=[campaign_jy.pk, last.pk])
    bad = {
        "kind": "other",
        "name": "评选表彰",
        "starts_on": last.starts_on - timedelta(days=1),
        "ends_on": last.ends_on,
    }
    assert "日期重叠" in client.post(url, bad).content.decode()
    bad["starts_on"] = last.starts_on
    bad["ends_on"] = last.ends_on + timedelta(days=1)
    assert "不在活动期间" in client.post(url, bad).content.decode()
    assert client.post(reverse("campaigns:phase_remove", args=[campaign_jy.pk, last.pk])).status_code == 302
    add = {"kind": "commendation", "name": "总结表彰", "starts_on": last.starts_on, "ends_on": last.ends_on}
    assert client.post(reverse("campaigns:phase_add", args=[campaign_jy.pk]), add).status_code == 302
    assert Phase.objects.filter(campaign=campaign_jy).last().name == "总结表彰"


def test_carrier_pages(login, world, campaign_jy):
    client = login(world.users.staff_jy)
    add = reverse("campaigns:carrier_add", args=[campaign_jy.pk])
    response = client.post(add, {"name": "一校一品"})
    assert "本活动已有名为“一校一品”的载体。" in response.content.decode()
    assert (
        client.post(add, {"name": "一旗一岗一承诺", "description": "一面党旗、一个示范岗、一份承诺"}).status_code == 302
    )
    carrier = campaign_jy.carriers.get(name="一旗一岗一承诺")
    edit = reverse("campaigns:carrier_edit", args=[campaign_jy.pk, carrier.pk])
    assert client.post(edit, {"name": "一旗一岗一承诺", "description": "党旗在桌上，宗旨在心中"}).status_code == 302
    assert "党旗在桌上，宗旨在心中" in client.get(detail_url(campaign_jy)).content.decode()
    assert client.get(reverse("campaigns:carrier_remove", args=[campaign_jy.pk, carrier.pk])).status_code == 405
    client.post(reverse("campaigns:carrier_remove", args=[campaign_jy.pk, carrier.pk]))
    assert not campaign_jy.carriers.filter(pk=carrier.pk).exists()


def test_home_shows_the_running_campaigns_with_their_phase(login, world, campaign_jy, campaign_zjl, today):
    make_campaign(
        world.jy,
        world.users.staff_jy,
        name="已结束的活动",
        starts_on=today - timedelta(90),
        ends_on=today - timedelta(1),
    )
    page = login(world.users.member_a).get(reverse("home")).content.decode()
    assert "正在开展的主题活动" in page and campaign_jy.name in page
    assert "当前阶段：领导点评" in page and f"距活动结束还有{campaign_jy.days_left()}天" in page
    assert "已结束的活动" not in page and campaign_zjl.name not in page
    assert reverse("campaigns:campaign_list") in page  # the nav item


def test_home_query_count_does_not_grow_with_campaigns(login, world, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users.staff_jy)
    counts = []
    for total in (1, 8):
        for n in range(total - Campaign.objects.count()):
            make_campaign(
                world.jy, world.users.staff_jy, name=f"活动{total}-{n}", starts_on=today, ends_on=today + timedelta(60)
            )
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_current_phase_fragment_for_other_pages(world, campaign_jy):
    from django.template.loader import render_to_string

    html = render_to_string("campaigns/_current_phase.html", {"campaign": campaign_jy})
    phase = campaign_jy.current_phase()
    assert campaign_jy.name in html and f"当前阶段：{phase.name}" in html
    assert f"本阶段还剩{phase.days_left()}天" in html
