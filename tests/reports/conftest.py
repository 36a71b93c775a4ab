"""Report fixtures: a campaign over the small world, pledges with items, activities, rectification items."""

import io
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone

from activities.models import Activity, ActivityKind
from campaigns.models import Campaign, Carrier, Phase
from pledges.models import Category, Pledge, PledgeItem, Status
from reviews.models import RectificationItem
from reviews.models import Status as ItemStatus

TODAY = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campaign(world):
    campaign = Campaign.objects.create(
        org=world.zz, name="州直机关创先争优活动", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    Phase.objects.create(campaign=campaign, name="公开承诺", starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    Phase.objects.create(campaign=campaign, name="群众评议", starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 31))
    Carrier.objects.create(campaign=campaign, name="三制一卡")
    return campaign


def add_pledge(org, member, campaign, *, items, done, overdue=0):
    """A published pledge of ``member`` with ``items`` items, ``done`` of them done, ``overdue`` past due."""
    pledge = Pledge.objects.create(
        campaign=campaign,
        owner_member=member,
        org=org,
        category=Category.DUTY,
        status=Status.PUBLISHED,
        submitted_at=timezone.now(),
        approved_at=timezone.now(),
        published_at=timezone.now(),
    )
    for index in range(items):
        due = TODAY - timedelta(days=10) if index < overdue else TODAY + timedelta(days=30)
        PledgeItem.objects.create(
            pledge=pledge,
            content=f"承诺事项{index + 1}",
            target="按期完成",
            due_on=due,
            done_on=TODAY - timedelta(days=1) if index >= items - done and index >= overdue else None,
            position=index,
        )
    return pledge


def add_activity(org, held_on, kind=ActivityKind.ASSEMBLY):
    return Activity.objects.create(org=org, branch=org, kind=kind, held_on=held_on, title="支部党员大会")


def add_item(org, listed_on, *, struck_off_on=None, deadline=None):
    return RectificationItem.objects.create(
        org=org,
        problem="台账不全",
        deadline=deadline or listed_on + timedelta(days=30),
        listed_on=listed_on,
        status=ItemStatus.STRUCK_OFF if struck_off_on else ItemStatus.LISTED,
        struck_off_on=struck_off_on,
    )


def flat(text: str) -> str:
    """Text with the line breaks of a laid-out page taken out, to find sentences across lines."""
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


def docx_of(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def xlsx_of(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def poppler_available() -> bool:
    return bool(shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("pdftoppm"))
