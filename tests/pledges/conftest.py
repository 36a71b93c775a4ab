"""A campaign run by 州教育局党委 (covering branches A and B) and builders for pledges in any state."""

from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns.models import Campaign, Carrier
from pledges import services, tally
from pledges.models import Category, Pledge, PledgeItem, PledgeTransition, Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(name="evidence.jpg", size=(64, 48), color=(30, 120, 200)):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    c = Campaign.objects.create(
        org=world.jy, name="创先争优活动", starts_on=today - timedelta(days=90), ends_on=today + timedelta(days=180)
    )
    Carrier.objects.create(campaign=c, name="一旗一岗一承诺")
    return c


def item(content="每月为社区老人义务理发一次", target="全年不少于12次", days=60):
    return {"content": content, "target": target, "due_on": timezone.localdate() + timedelta(days=days)}


@pytest.fixture
def pl(world, campaign):
    """Builders: pl.draft(member) written by the member's own login, pl.at(status, member) moved there
    by the right people, pl.quick(...) written straight to the database for list and query tests."""
    w = world
    u = w.users

    def draft(member=None, *, by=None, items=None, needs="走访了社区12户老党员，了解到理发难", **data):
        member = member or w.members_a[0]
        return services.pledge_create(
            campaign=campaign,
            owner_member=member,
            data={"category": Category.DUTY, "needs_notes": needs, **data},
            items=[item()] if items is None else items,
            by=by or u.member_a,
        )

    def at(status, member=None, *, author=None, approver=None):
        member = member or w.members_a[0]
        author = author or u.member_a
        approver = approver or u.secretary_a
        pledge = draft(member, by=author)
        steps = {
            Status.DRAFT: [],
            Status.SUBMITTED: ["submit"],
            Status.RETURNED: ["submit", "return"],
            Status.APPROVED: ["submit", "approve"],
            Status.PUBLISHED: ["submit", "approve", "publish"],
            Status.CLOSED: ["submit", "approve", "publish", "close"],
        }[status]
        for action in steps:
            by = author if action == "submit" else approver
            pledge = services.MOVE_SERVICES[action](pledge, by, reason="请把目标写具体", outcome="kept")
        return pledge

    def quick(member, status=Status.PUBLISHED, *, items=2, overdue=0, phone="", org=None):
        """Straight rows, no services: for counting queries over many pledges."""
        pledge = Pledge.objects.create(
            campaign=campaign,
            owner_member=member,
            org=org or member.org,
            category=Category.STUDY,
            status=status,
            show_phone=bool(phone),
            service_phone=phone,
            outcome="kept" if status == Status.CLOSED else "",
        )
        today = timezone.localdate()
        PledgeItem.objects.bulk_create(
            PledgeItem(
                pledge=pledge,
                content=f"承诺事项{n}",
                target="按期完成",
                due_on=today - timedelta(days=5) if n < overdue else today + timedelta(days=30),
                position=n,
            )
            for n in range(items)
        )
        tally.refresh([(pledge.org_id, pledge.campaign_id)])  # as every bulk writer does
        PledgeTransition.objects.create(pledge=pledge, action="create", from_status="", to_status=status)
        return pledge

    return SimpleNamespace(draft=draft, at=at, quick=quick, campaign=campaign)
