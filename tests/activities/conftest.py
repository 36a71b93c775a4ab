from datetime import date

import pytest

from activities import services
from activities.models import Activity, ActivityKind, Attendance, AttendanceStatus
from activities.roster import counts_toward


def _log(org, kind, held_on, *, present=(), leave=(), absent=(), title="", by=None):
    """An activity straight through the models: for compliance and list tests that need many."""
    activity = Activity.objects.create(org=org, branch=counts_toward(org), kind=kind, held_on=held_on, title=title)
    rows = [(m, AttendanceStatus.PRESENT) for m in present]
    rows += [(m, AttendanceStatus.LEAVE) for m in leave]
    rows += [(m, AttendanceStatus.ABSENT) for m in absent]
    Attendance.objects.bulk_create(Attendance(activity=activity, member=m, status=s) for m, s in rows)
    return activity


@pytest.fixture
def log_activity():
    return _log


@pytest.fixture
def logged(world):
    """One 支部党员大会 of branch A (two present, one on leave) and one of branch B, through the service."""
    a = services.activity_create(
        org=world.branch_a,
        data={
            "kind": ActivityKind.ASSEMBLY,
            "held_on": date(2025, 3, 12),
            "title": "学习新党章",
            "place": "第一中学会议室",
            "host": "刘建国",
            "recorder": "赵敏",
            "minutes": "传达上级精神。",
        },
        statuses={
            world.members_a[0].pk: AttendanceStatus.PRESENT,
            world.members_a[1].pk: AttendanceStatus.PRESENT,
            world.members_a[2].pk: AttendanceStatus.LEAVE,
        },
        by=world.users.secretary_a,
    )
    b = services.activity_create(
        org=world.branch_b,
        data={"kind": ActivityKind.ASSEMBLY, "held_on": date(2025, 3, 14), "title": "第二中学党员大会"},
        statuses={m.pk: AttendanceStatus.PRESENT for m in world.members_b},
        by=world.users.secretary_b,
    )
    return a, b
