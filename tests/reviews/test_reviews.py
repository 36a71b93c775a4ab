"""A review through its stages: planned, held with its content, announced; a shortcoming to an item."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import HistoryEntry
from campaigns.models import Campaign
from reviews import services
from reviews.models import Basis, Method, RectificationItem, Source, Stage, Status


def test_planning_records_the_reviewer_the_basis_and_the_head_of_the_org(world, heads, rv):
    review = rv.planned(world.branch_b)
    assert review.stage == Stage.PLANNED
    assert review.reviewer == heads.head_jy
    assert review.basis == Basis.SUPERIOR_HEAD
    assert review.target_head == heads.head_b  # the org is reviewed together with its head
    assert review.org == world.branch_b
    assert review.target_name == "第二中学党支部（孙丽）"
    assert HistoryEntry.objects.filter(object_id=str(review.pk), action=HistoryEntry.Action.CREATE).exists()


def test_planning_off_the_line_of_subordination_is_refused_with_the_reason(world, heads, rv):
    with pytest.raises(PermissionDenied, match="上级党组织书记或联点领导"):
        rv.planned(world.hospital)
    with pytest.raises(PermissionDenied):
        rv.planned(world.branch_a, by=world.users.staff_jy)  # a manager, but not a head


def test_a_campaign_that_does_not_cover_the_target_is_refused(world, heads, rv):
    other = Campaign.objects.create(org=world.wj, name="卫健系统活动", starts_on=rv.today, ends_on=rv.today)
    with pytest.raises(ValidationError) as error:
        rv.planned(world.branch_a, campaign_=other)
    assert "campaign" in error.value.error_dict


def test_recording_moves_to_held_and_keeps_one_row_per_shortcoming(world, heads, rv):
    review = rv.held(world.branch_a, shortcomings=("活动记录不全", "", "  公示栏更新不及时 "))
    assert review.stage == Stage.HELD
    assert list(review.shortcomings.values_list("text", flat=True)) == ["活动记录不全", "公示栏更新不及时"]
    entry = HistoryEntry.objects.filter(object_id=str(review.pk), action=HistoryEntry.Action.UPDATE).get()
    assert entry.changes["stage"]["new"] == "已点评"
    assert "公示栏更新不及时" in entry.changes["shortcomings"]["new"]


def test_the_record_needs_achievements_direction_and_a_record_and_no_future_date(world, heads, rv):
    review = rv.planned(world.branch_a)
    with pytest.raises(ValidationError) as error:
        services.review_record(
            review=review,
            held_on=rv.today + timedelta(days=1),
            duty_report="",
            record="",
            recorder="",
            achievements=" ",
            shortcomings=[],
            direction="",
            by=heads.head_jy_user,
        )
    assert set(error.value.error_dict) == {"held_on", "achievements", "direction", "record"}
    review.refresh_from_db()
    assert review.stage == Stage.PLANNED


def test_only_the_reviewer_writes_the_review(world, heads, rv):
    review = rv.planned(world.branch_b)
    for user in (heads.head_zz_user, world.users.staff_jy, world.users.secretary_b):
        with pytest.raises(PermissionDenied):
            services.review_record(
                review=review,
                held_on=rv.today,
                duty_report="",
                record="记录",
                recorder="",
                achievements="成绩",
                shortcomings=[],
                direction="方向",
                by=user,
            )


def test_announcing_closes_the_review_for_editing(world, heads, rv):
    review = rv.announced(world.branch_a)
    assert review.stage == Stage.ANNOUNCED and review.announced_on == rv.today
    with pytest.raises(PermissionDenied):
        services.review_update_plan(review=review, data={"method": Method.ON_SITE}, by=heads.head_jy_user)
    with pytest.raises(PermissionDenied):
        services.review_announce(review=review, announcement="再次通报", by=heads.head_jy_user)


def test_announcing_a_planned_review_is_not_a_move(world, heads, rv):
    review = rv.planned(world.branch_a)
    with pytest.raises(PermissionDenied):
        services.review_announce(review=review, announcement="通报", by=heads.head_jy_user)


def test_a_shortcoming_becomes_an_item_on_the_org_and_its_head_in_one_step(world, heads, rv):
    review = rv.held(world.branch_a)
    shortcoming = review.shortcomings.first()
    deadline = rv.today + timedelta(days=20)
    item = services.review_rectify(shortcoming=shortcoming, deadline=deadline, by=heads.head_jy_user)
    assert (item.org, item.owner_member, item.problem) == (world.branch_a, heads.head_a, shortcoming.text)
    assert (item.source, item.review, item.campaign, item.status) == (
        Source.REVIEW,
        review,
        review.campaign,
        "listed",
    )
    assert item.deadline == deadline
    with pytest.raises(ValidationError, match="已列入整改台账"):
        services.review_rectify(shortcoming=shortcoming, deadline=deadline, by=heads.head_jy_user)
    # The secretary of the branch (its head) hears about it.
    assert world.users.secretary_a.notifications.filter(url=item.get_absolute_url()).exists()


def test_a_member_review_lists_the_item_on_the_member(world, heads, rv):
    review = rv.held(world.members_a[0], by=world.users.secretary_a)
    item = services.review_rectify(
        shortcoming=review.shortcomings.first(), deadline=rv.today, by=world.users.secretary_a
    )
    assert (item.org, item.owner_member) == (world.branch_a, world.members_a[0])


def test_shortcomings_on_the_ledger_cannot_be_removed_from_the_record(world, heads, rv):
    review = rv.held(world.branch_a)
    first = review.shortcomings.first()
    services.review_rectify(shortcoming=first, deadline=rv.today, by=heads.head_jy_user)
    with pytest.raises(ValidationError, match="不能删除"):
        services.review_record(
            review=review,
            held_on=rv.today,
            duty_report="",
            record="记录",
            recorder="",
            achievements="成绩",
            shortcomings=["另一条不足"],
            direction="方向",
            by=heads.head_jy_user,
        )
    assert RectificationItem.objects.get(shortcoming=first).status == Status.LISTED


def test_a_planned_review_cannot_turn_shortcomings_into_items(world, heads, rv):
    review = rv.held(world.branch_a)
    with pytest.raises(PermissionDenied):
        services.review_rectify(shortcoming=review.shortcomings.first(), deadline=rv.today, by=heads.head_zz_user)
