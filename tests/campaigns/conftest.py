"""Campaigns in the named world: the education committee runs one over its branches."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import services


@pytest.fixture
def today():
    return timezone.localdate()


def make_campaign(org, by, *, name="深入开展创先争优活动", starts_on, ends_on, carriers=(), **extra):
    return services.campaign_create(
        org=org,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        carriers=[services.CarrierPlan(*c) for c in carriers],
        by=by,
        **extra,
    )


@pytest.fixture
def campaign_jy(world, today):
    """州教育局党委's campaign, running today: 280 days behind, 150 ahead, the six phases split evenly."""
    return make_campaign(
        world.jy,
        world.users.staff_jy,
        starts_on=today - timedelta(days=280),
        ends_on=today + timedelta(days=150),
        carriers=[("一校一品", "每校一个党建品牌"), ("两培两带", "")],
    )


@pytest.fixture
def campaign_zjl(world, today):
    """A campaign of the other tree."""
    return make_campaign(
        world.zjl,
        world.users.staff_zjl,
        name="“党旗下的蒲公英”创先争优活动",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
