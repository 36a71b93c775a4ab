"""Where a campaign stands on a given day: its status, current phase, elapsed time and days left."""

from datetime import date, timedelta

import pytest

from campaigns.models import CampaignStatus

from .conftest import make_campaign

START, END = date(2026, 1, 1), date(2026, 6, 30)  # 181 days: phases of 31, 30, 30, 30, 30, 30 days


@pytest.fixture
def campaign(world):
    return make_campaign(world.jy, world.users.staff_jy, starts_on=START, ends_on=END)


def test_the_current_phase_holds_from_its_first_to_its_last_day(campaign):
    study = campaign.phases.get(name="集中学习")
    assert (study.starts_on, study.ends_on) == (date(2026, 2, 1), date(2026, 3, 2))
    assert campaign.current_phase(on=date(2026, 1, 31)).name == "宣传动员"
    assert campaign.current_phase(on=study.starts_on) == study
    assert campaign.current_phase(on=study.ends_on) == study
    assert campaign.current_phase(on=study.ends_on + timedelta(days=1)).name == "公开承诺"


def test_the_campaigns_first_and_last_days_are_inside(campaign):
    assert campaign.current_phase(on=START).name == "宣传动员"
    assert campaign.current_phase(on=END).name == "评选表彰"
    assert campaign.current_phase(on=START - timedelta(days=1)) is None
    assert campaign.current_phase(on=END + timedelta(days=1)) is None


def test_a_gap_between_phases_has_no_current_phase(campaign):
    phase = campaign.phases.get(name="公开承诺")
    phase.ends_on -= timedelta(days=5)
    phase.save()
    assert campaign.current_phase(on=phase.ends_on + timedelta(days=1)) is None
    assert campaign.status(on=phase.ends_on + timedelta(days=1)) == CampaignStatus.RUNNING


def test_status_elapsed_share_and_days_left(campaign):
    assert campaign.status(on=START - timedelta(days=1)) == CampaignStatus.UPCOMING
    assert campaign.days_to_start(on=START - timedelta(days=3)) == 3
    assert campaign.status(on=START) == CampaignStatus.RUNNING
    assert campaign.status(on=END) == CampaignStatus.RUNNING
    assert campaign.status(on=END + timedelta(days=1)) == CampaignStatus.PAST
    assert campaign.elapsed_share(on=START - timedelta(days=1)) == 0
    assert campaign.elapsed_share(on=END) == 1
    assert campaign.elapsed_share(on=date(2026, 3, 31)) == pytest.approx(90 / 181)
    assert campaign.days_left(on=END) == 0
    assert campaign.days_left(on=START) == 180
    phase = campaign.current_phase(on=date(2026, 3, 31))
    assert phase.state(on=date(2026, 3, 31)) == "current" and phase.days_left(on=date(2026, 3, 31)) == 1
