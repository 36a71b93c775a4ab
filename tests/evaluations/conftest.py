"""A round run by 州教育局党委 over its two schools' branches, open now; codes issued straight to the table."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations import codes
from evaluations.models import Code, Rating
from evaluations.services import round_create


@pytest.fixture(autouse=True)
def slips_root(settings, tmp_path):
    settings.EVALUATION_SLIPS_ROOT = tmp_path / "slips"
    return settings.EVALUATION_SLIPS_ROOT


def make_round(world, *, owner=None, targets=None, by=None, opens=None, closes=None, allow_open_link=True, **extra):
    now = timezone.now()
    return round_create(
        owner=owner or world.jy,
        title=extra.pop("title", "教育局党委2026年“五个好”群众评议"),
        campaign=extra.pop("campaign", None),
        targets=targets or [world.branch_a, world.branch_b],
        opens_at=opens or now - timedelta(days=1),
        closes_at=closes or now + timedelta(days=13),
        allow_open_link=allow_open_link,
        by=by or world.users.staff_jy,
        **extra,
    )


def issue_codes(round_, n=1, *, org=None) -> list[str]:
    """Codes as a printed sheet would hold them; the table gets only their hashes."""
    plain = [codes.new_code() for _ in range(n)]
    Code.objects.bulk_create(Code(round=round_, target_org=org, code_hash=codes.code_hash(c)) for c in plain)
    return plain


def all_ratings(round_, rating=Rating.SATISFIED) -> dict:
    return {q.pk: rating for q in round_.questions.filter(kind="rating")}


@pytest.fixture
def round_(world):
    return make_round(world)
