"""Who sees which campaign: up and down their own tree, never across."""

from datetime import timedelta

from campaigns.access import can_manage_campaign
from campaigns.models import Campaign

from .conftest import make_campaign


def names(qs):
    return sorted(qs.values_list("name", flat=True))


def test_a_branch_sees_the_campaigns_of_the_committees_above_it(world, campaign_jy, campaign_zjl, today):
    of_b = make_campaign(
        world.branch_b, world.users.secretary_b, name="第二中学主题党日", starts_on=today, ends_on=today
    )
    visible = Campaign.objects.visible_to(world.users.secretary_a)
    assert names(visible) == [campaign_jy.name]
    assert not can_manage_campaign(world.users.secretary_a, campaign_jy)
    assert not Campaign.objects.manageable_by(world.users.secretary_a).exists()
    # Its sibling's own campaign and the other tree's stay out of sight.
    assert of_b not in visible and campaign_zjl not in visible


def test_members_see_what_covers_their_branch(world, campaign_jy, campaign_zjl):
    assert list(Campaign.objects.visible_to(world.users.member_a)) == [campaign_jy]
    assert not Campaign.objects.visible_to(world.users.outsider).exists()


def test_staff_of_another_tree_see_nothing_of_this_one(world, campaign_jy, campaign_zjl):
    assert list(Campaign.objects.visible_to(world.users.staff_zjl)) == [campaign_zjl]
    # The working committee above the education committee sees and manages it.
    assert campaign_jy in Campaign.objects.manageable_by(world.users.staff_zz)
    assert list(Campaign.objects.covering(world.group_a)) == [campaign_jy]


def test_list_order_running_then_upcoming_then_past(world, today):
    staff = world.users.staff_jy

    def make(name, start, end):
        return make_campaign(
            world.jy, staff, name=name, starts_on=today + timedelta(start), ends_on=today + timedelta(end)
        )

    make("去年的活动", -400, -200)
    make("刚结束的活动", -100, -1)
    make("下月开始的活动", 30, 200)
    make("明天开始的活动", 1, 100)
    make("进行中的活动", -10, 10)
    qs = Campaign.objects.visible_to(staff).in_list_order(today)
    assert list(qs.values_list("name", flat=True)) == [
        "进行中的活动",
        "明天开始的活动",
        "下月开始的活动",
        "刚结束的活动",
        "去年的活动",
    ]
    assert Campaign.objects.visible_to(staff).status_counts(today) == {"running": 1, "upcoming": 2, "past": 2}
    assert names(Campaign.objects.in_status("past", today)) == ["刚结束的活动", "去年的活动"]
