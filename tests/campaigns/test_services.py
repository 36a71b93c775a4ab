from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import HistoryEntry
from audit.services import history_for
from campaigns import services
from campaigns.models import DEFAULT_PHASES, Campaign, Carrier, Phase, PhaseKind

from .conftest import make_campaign

JAN1, DEC31 = date(2026, 1, 1), date(2026, 12, 31)


def plan(name, start, end, kind=PhaseKind.OTHER):
    return services.PhasePlan(kind, name, start, end)


def test_split_period_covers_the_period_with_the_six_phases_in_order():
    phases = services.split_period(JAN1, date(2026, 6, 30))  # 181 days: 31 + 5 × 30
    assert [p.kind for p in phases] == DEFAULT_PHASES
    assert [p.name for p in phases] == ["宣传动员", "集中学习", "公开承诺", "领导点评", "群众评议", "评选表彰"]
    assert phases[0].starts_on == JAN1 and phases[-1].ends_on == date(2026, 6, 30)
    lengths = [(p.ends_on - p.starts_on).days + 1 for p in phases]
    assert lengths == [31, 30, 30, 30, 30, 30]
    for earlier, later in zip(phases, phases[1:], strict=False):
        assert later.starts_on == earlier.ends_on + timedelta(days=1)


def test_a_period_shorter_than_the_phases_gets_a_day_per_phase_while_it_lasts():
    phases = services.split_period(JAN1, date(2026, 1, 3))
    assert [(p.starts_on.day, p.ends_on.day) for p in phases] == [(1, 1), (2, 2), (3, 3)]


def test_create_without_phases_gets_the_six_default_ones(world):
    campaign = make_campaign(world.jy, world.users.staff_jy, starts_on=JAN1, ends_on=DEC31)
    phases = list(campaign.phases.all())
    assert [p.kind for p in phases] == DEFAULT_PHASES
    assert [p.position for p in phases] == list(range(6))
    assert phases[0].starts_on == JAN1 and phases[-1].ends_on == DEC31
    assert campaign.created_by == world.users.staff_jy


def test_campaign_dates_must_be_in_order(world):
    with pytest.raises(ValidationError) as error:
        make_campaign(world.jy, world.users.staff_jy, starts_on=DEC31, ends_on=JAN1)
    assert "结束日期不能早于开始日期" in str(error.value)
    assert not Campaign.objects.exists()


def test_phases_must_lie_inside_the_period(world):
    phases = [plan("宣传动员", date(2025, 12, 20), date(2026, 1, 31))]
    with pytest.raises(ValidationError) as error:
        make_campaign(world.jy, world.users.staff_jy, starts_on=JAN1, ends_on=DEC31, phases=phases)
    assert "“宣传动员”阶段（2025-12-20～2026-01-31）不在活动期间（2026-01-01～2026-12-31）之内" in str(error.value)
    assert not Campaign.objects.exists()


def test_phases_must_not_overlap(world):
    phases = [plan("集中学习", date(2026, 3, 1), date(2026, 4, 30)), plan("宣传动员", JAN1, date(2026, 3, 1))]
    with pytest.raises(ValidationError) as error:
        make_campaign(world.jy, world.users.staff_jy, starts_on=JAN1, ends_on=DEC31, phases=phases)
    assert "“宣传动员（2026-01-01～2026-03-01）”与“集中学习（2026-03-01～2026-04-30）”的日期重叠" in str(error.value)


def test_a_phase_must_not_end_before_it_starts(world, campaign_jy):
    with pytest.raises(ValidationError, match="结束日期早于开始日期"):
        services.phase_add(
            campaign=campaign_jy,
            kind=PhaseKind.OTHER,
            name="回头看",
            starts_on=campaign_jy.ends_on,
            ends_on=campaign_jy.ends_on - timedelta(days=3),
            by=world.users.staff_jy,
        )


def test_adding_a_phase_over_an_existing_one_is_refused(world, campaign_jy):
    first = campaign_jy.phases.first()
    with pytest.raises(ValidationError, match="日期重叠"):
        services.phase_add(
            campaign=campaign_jy,
            kind=PhaseKind.OTHER,
            name="回头看",
            starts_on=first.ends_on,
            ends_on=first.ends_on,
            by=world.users.staff_jy,
        )
    assert campaign_jy.phases.count() == 6


def test_editing_a_phase_checks_against_the_others_but_not_itself(world, campaign_jy):
    phases = list(campaign_jy.phases.all())
    staff = world.users.staff_jy
    fields = {"kind": phases[1].kind, "name": "集中学习（第一轮）"}
    # Shorter by a day: it still only touches its own old dates.
    services.phase_update(
        phase=phases[1],
        starts_on=phases[1].starts_on,
        ends_on=phases[1].ends_on - timedelta(days=1),
        by=staff,
        **fields,
    )
    phases[1].refresh_from_db()
    assert phases[1].name == "集中学习（第一轮）"
    with pytest.raises(ValidationError, match="日期重叠"):
        services.phase_update(
            phase=phases[1], starts_on=phases[1].starts_on, ends_on=phases[2].starts_on, by=staff, **fields
        )
    phases[1].refresh_from_db()
    assert phases[1].ends_on < phases[2].starts_on


def test_phases_are_renumbered_by_date(world):
    phases = [plan("第二阶段", date(2026, 7, 1), DEC31), plan("第一阶段", JAN1, date(2026, 6, 30))]
    campaign = make_campaign(world.jy, world.users.staff_jy, starts_on=JAN1, ends_on=DEC31, phases=phases)
    staff = world.users.staff_jy
    services.phase_update(
        phase=campaign.phases.get(name="第二阶段"),
        kind=PhaseKind.OTHER,
        name="第二阶段",
        starts_on=date(2026, 10, 1),
        ends_on=DEC31,
        by=staff,
    )
    services.phase_add(
        campaign=campaign,
        kind=PhaseKind.OTHER,
        name="中间阶段",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 9, 30),
        by=staff,
    )
    assert [p.name for p in Phase.objects.filter(campaign=campaign).order_by("position")] == [
        "第一阶段",
        "中间阶段",
        "第二阶段",
    ]


def test_shrinking_the_period_past_a_phase_is_refused(world, campaign_jy):
    last = campaign_jy.phases.last()
    with pytest.raises(ValidationError) as error:
        services.campaign_update(
            campaign=campaign_jy,
            name=campaign_jy.name,
            starts_on=campaign_jy.starts_on,
            ends_on=last.starts_on,
            by=world.users.staff_jy,
        )
    assert "评选表彰" in str(error.value) and "请先调整这些阶段的日期" in str(error.value)
    campaign_jy.refresh_from_db()
    assert campaign_jy.ends_on == last.ends_on


def test_carrier_names_are_unique_per_campaign(world, campaign_jy, campaign_zjl):
    with pytest.raises(ValidationError) as error:
        services.carrier_add(campaign=campaign_jy, name=" 一校一品 ", by=world.users.staff_jy)
    assert error.value.message_dict == {"name": ["本活动已有名为“一校一品”的载体。"]}
    # Another campaign may use the name.
    services.carrier_add(campaign=campaign_zjl, name="一校一品", by=world.users.staff_zjl)
    two = campaign_jy.carriers.get(name="两培两带")
    with pytest.raises(ValidationError):
        services.carrier_update(carrier=two, name="一校一品", by=world.users.staff_jy)
    services.carrier_update(carrier=two, name="两培两带", description="把党员培养成名师", by=world.users.staff_jy)
    assert Carrier.objects.get(pk=two.pk).description == "把党员培养成名师"


def test_carriers_on_create_are_unique_too(world):
    with pytest.raises(ValidationError):
        make_campaign(
            world.jy, world.users.staff_jy, starts_on=JAN1, ends_on=DEC31, carriers=[("三制一卡", ""), ("三制一卡", "")]
        )


def test_only_managers_of_the_org_write(world, campaign_jy):
    # The secretary of a branch below reads the committee's campaign but may not change it.
    with pytest.raises(PermissionDenied):
        services.carrier_add(campaign=campaign_jy, name="四争四创", by=world.users.secretary_a)
    with pytest.raises(PermissionDenied):
        make_campaign(world.jy, world.users.staff_zjl, starts_on=JAN1, ends_on=DEC31)


def _entries(campaign):
    return list(history_for(campaign).order_by("at", "id"))


def test_history_tells_the_story_on_the_campaign(world, campaign_jy):
    staff = world.users.staff_jy
    (created,) = _entries(campaign_jy)
    assert created.action == HistoryEntry.Action.CREATE and created.actor == staff
    assert "宣传动员（" in created.changes["phases"]["new"]
    assert created.changes["carriers"]["new"] == "一校一品、两培两带"

    services.campaign_update(
        campaign=campaign_jy,
        name="教育系统深入开展创先争优活动",
        starts_on=campaign_jy.starts_on,
        ends_on=campaign_jy.ends_on,
        by=staff,
    )
    last = campaign_jy.phases.last()
    services.phase_update(
        phase=last, kind=last.kind, name="评选表彰、总结", starts_on=last.starts_on, ends_on=last.ends_on, by=staff
    )
    services.phase_remove(phase=campaign_jy.phases.first(), by=staff)
    services.carrier_add(campaign=campaign_jy, name="一旗一岗一承诺", by=staff)
    services.carrier_remove(carrier=campaign_jy.carriers.get(name="两培两带"), by=staff)

    renamed, phase_edit, phase_gone, carrier_new, carrier_gone = _entries(campaign_jy)[1:]
    assert renamed.changes == {
        "name": {"label": "名称", "old": "深入开展创先争优活动", "new": "教育系统深入开展创先争优活动"}
    }
    assert phase_edit.changes["phases"]["old"].startswith("评选表彰（")
    assert phase_edit.changes["phases"]["new"].startswith("评选表彰、总结（")
    assert phase_gone.changes["phases"]["old"].startswith("宣传动员（") and not phase_gone.changes["phases"]["new"]
    assert carrier_new.changes["carriers"] == {"label": "活动载体", "old": "", "new": "一旗一岗一承诺"}
    assert carrier_gone.changes["carriers"]["old"] == "两培两带"
    # The phase and the carrier keep their own rows too.
    phase_type = ContentType.objects.get_for_model(Phase)
    assert HistoryEntry.objects.filter(content_type=phase_type, action=HistoryEntry.Action.DELETE).count() == 1


def test_saving_a_phase_unchanged_writes_no_history(world, campaign_jy):
    phase = campaign_jy.phases.first()
    before = len(_entries(campaign_jy))
    services.phase_update(
        phase=phase,
        kind=phase.kind,
        name=phase.name,
        starts_on=phase.starts_on,
        ends_on=phase.ends_on,
        by=world.users.staff_jy,
    )
    assert len(_entries(campaign_jy)) == before
