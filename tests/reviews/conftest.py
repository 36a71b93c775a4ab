"""Heads (书记 posts) on the world's orgs, a campaign run by 州教育局党委, and builders for reviews and items.

州直机关工委 (ZZ)            head: 马主任 (login head_zz)
  州教育局党委 (ZZ-JY)        head: 黄书记 (login head_jy); 钱前任 held the post before (ended)
    第一中学党支部 (A)        head: 刘建国 (login secretary_a, who also manages A)
    第二中学党支部 (B)        head: 孙丽 (login secretary_b); contact point of 陈局长 (leader_c)
  州卫健委党总支
    人民医院党支部            head: 吴医生 (no login)
"""

from datetime import date, timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from branches.models import LeadershipPost, Post
from campaigns.models import Campaign
from reviews import services
from reviews.models import Method, RectificationItem, Review, Source, Stage, Status
from reviews.permissions import head_of
from tests.factories import MemberFactory, UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(name="evidence.jpg", size=(64, 48), color=(30, 120, 200)):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="整改报告.pdf", body=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def make_heads(world):
    """The posts above, on the world; returns who holds them (a plain function: browser tests call it)."""
    w = world
    u = w.users

    def post(org, member, **extra):
        return LeadershipPost.objects.create(org=org, member=member, post=Post.SECRETARY, **extra)

    head_zz_user = UserFactory(username="head_zz", full_name="马主任")
    head_zz = MemberFactory(org=w.zz, name="马主任", user=head_zz_user)
    post(w.zz, head_zz)
    head_jy_user = UserFactory(username="head_jy", full_name="黄书记")
    head_jy = MemberFactory(org=w.jy, name="黄书记", user=head_jy_user)
    post(w.jy, head_jy, started_on=date(2009, 1, 1))
    former_user = UserFactory(username="former_head", full_name="钱前任")
    former = MemberFactory(org=w.jy, name="钱前任", user=former_user)
    post(w.jy, former, started_on=date(2005, 1, 1), ended_on=date(2008, 12, 31))
    head_a = w.members_a[1]  # 刘建国
    head_a.user = u.secretary_a
    head_a.save()
    post(w.branch_a, head_a)
    head_b = w.members_b[0]  # 孙丽
    head_b.user = u.secretary_b
    head_b.save()
    post(w.branch_b, head_b)
    post(w.hospital, w.hospital_members[0])
    group_member = MemberFactory(org=w.group_a, name="冯小组")
    for user in (u.secretary_a, u.secretary_b, u.leader_c, u.member_a):
        for attr in ("_xianfeng_scope", "_xianfeng_leadership"):
            if hasattr(user, attr):
                delattr(user, attr)
    return SimpleNamespace(
        head_zz=head_zz,
        head_zz_user=head_zz_user,
        head_jy=head_jy,
        head_jy_user=head_jy_user,
        former=former,
        former_user=former_user,
        head_a=head_a,
        head_b=head_b,
        group_member=group_member,
    )


@pytest.fixture
def heads(world):
    return make_heads(world)


def make_campaign(world):
    today = timezone.localdate()
    return Campaign.objects.create(
        org=world.jy, name="创先争优活动", starts_on=today - timedelta(days=200), ends_on=today + timedelta(days=100)
    )


@pytest.fixture
def campaign(world):
    return make_campaign(world)


@pytest.fixture
def rv(world, heads, campaign):
    """Builders: rv.planned(target, by) / rv.held(...) / rv.announced(...) through the services;
    rv.item(...) lists a problem; rv.at(status, ...) moves an item there the way people would."""
    w = world
    today = timezone.localdate()

    def planned(target=None, *, by=None, method=Method.MEETING, campaign_=campaign, held_on=None):
        return services.review_plan(
            target=target or w.branch_a,
            method=method,
            held_on=held_on or today,
            campaign=campaign_,
            by=by or heads.head_jy_user,
        )

    def held(target=None, *, by=None, shortcomings=("党员活动记录不全", "承诺公示栏更新不及时"), **kwargs):
        review = planned(target, by=by, **kwargs)
        return services.review_record(
            review=review,
            held_on=review.held_on if review.held_on <= today else today,
            duty_report="支部书记报告了半年来的履责情况。",
            record="会议由黄书记主持，逐项点评。",
            recorder="教育局党办干事",
            achievements="“三学三比三争”开展扎实。",
            shortcomings=list(shortcomings),
            direction="下阶段抓好承诺兑现。",
            by=by or heads.head_jy_user,
        )

    def announced(target=None, *, by=None, **kwargs):
        review = held(target, by=by, **kwargs)
        return services.review_announce(
            review=review, announcement="在全局党建工作会上通报。", by=by or heads.head_jy_user
        )

    def item(org=None, *, by=None, owner=None, deadline=None, listed_on=None, source=Source.INSPECTION, problem=""):
        return services.rectification_list(
            org=org or w.branch_a,
            problem=problem or "党员活动室制度未上墙",
            owner_member=owner if owner is not None else heads.head_a,
            deadline=deadline or today + timedelta(days=30),
            source=source,
            listed_on=listed_on,
            by=by or w.users.staff_jy,
        )

    def at(status, it=None, *, owner_user=None, verifier=None):
        it = it or item()
        owner_user = owner_user or w.users.secretary_a
        verifier = verifier or w.users.staff_jy
        if status == Status.LISTED:
            return it
        services.rectification_report(item=it, text="制度牌已制作。", by=owner_user)
        if status == Status.IN_PROGRESS:
            return RectificationItem.objects.get(pk=it.pk)
        services.rectification_request(item=RectificationItem.objects.get(pk=it.pk), by=owner_user)
        if status == Status.REQUESTED:
            return RectificationItem.objects.get(pk=it.pk)
        services.rectification_confirm(item=RectificationItem.objects.get(pk=it.pk), by=verifier)
        return RectificationItem.objects.get(pk=it.pk)

    def quick_review(org, *, stage=Stage.HELD, reviewer=None, target_member=None, held_on=None, campaign_=campaign):
        """Straight to the database, for list, coverage and query tests."""
        return Review.objects.create(
            campaign=campaign_,
            reviewer=reviewer or heads.head_jy,
            basis="superior_head",
            target_org=None if target_member else org,
            target_head=None if target_member else head_of(org),
            target_member=target_member,
            org=target_member.org if target_member else org,
            method=Method.MEETING,
            held_on=held_on or today,
            stage=stage,
        )

    return SimpleNamespace(
        planned=planned, held=held, announced=announced, item=item, at=at, quick_review=quick_review, today=today
    )
