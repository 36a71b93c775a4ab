"""manage.py seed_scale: --small on the test database gives the sizes asked for, valid unique ID numbers,
five levels of orgs, and logins that reach the whole tree."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings

from accounts.models import User
from activities.models import Activity, Attendance
from branches.access import scope_for
from branches.models import Organization
from evaluations.models import Answer, Response
from members.idcard import validate_id_number
from members.models import Member
from pledges.models import BoardLink, Pledge, PledgeItem
from portal.scale.builder import SMALL, STAFF_USERNAME, tree_shape

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = StringIO()
    with override_settings(DEMO_DATABASE=True):
        call_command("seed_scale", "--small", stdout=out)
    return out.getvalue()


def test_small_preset_counts_come_out_as_asked(seeded):
    assert Organization.objects.count() == SMALL.orgs
    assert set(Organization.objects.values_list("depth", flat=True)) == {1, 2, 3, 4, 5}
    assert Member.objects.count() == SMALL.members
    assert Pledge.objects.count() == SMALL.pledges
    assert PledgeItem.objects.count() == 2 * SMALL.pledges
    assert Activity.objects.count() == SMALL.activities
    assert Response.objects.count() == SMALL.responses
    assert Answer.objects.count() == 5 * SMALL.responses
    assert Attendance.objects.exists()
    assert "规模测试数据已生成" in seeded


def test_id_numbers_are_valid_and_unique(seeded):
    numbers = list(Member.objects.values_list("id_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        validate_id_number(number)


def test_pledges_stay_within_constraints_and_boards(seeded):
    # One pledge per member and campaign; every pledge is on a branch's board.
    assert not Pledge.objects.values("campaign", "owner_member").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert set(Pledge.objects.values_list("org__kind", flat=True)) == {"branch"}
    assert BoardLink.objects.count() == 1


def test_staff_login_sees_the_whole_tree(seeded):
    staff = User.objects.get(username=STAFF_USERNAME)
    assert tuple(scope_for(staff).manage_paths) == (Organization.objects.get(depth=1).path,)
    assert Member.objects.visible_to(staff).count() == SMALL.members


def test_sizes_are_options(db):
    with override_settings(DEMO_DATABASE=True):
        call_command(
            "seed_scale",
            "--orgs=40",
            "--members=100",
            "--pledges=150",
            "--activities=30",
            "--responses=20",
            stdout=StringIO(),
        )
    assert (Organization.objects.count(), Member.objects.count(), Pledge.objects.count()) == (40, 100, 150)
    assert (Activity.objects.count(), Response.objects.count()) == (30, 20)


def test_refuses_a_database_that_is_not_scratch(db, settings):
    settings.DEMO_DATABASE = False
    from django.db import connection

    if connection.settings_dict["NAME"].startswith("test_"):
        # PostgreSQL's test database is scratch by its name; pretend it is a real one.
        original = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = "xianfeng"
        try:
            with pytest.raises(CommandError):
                call_command("seed_scale", "--small", stdout=StringIO())
        finally:
            connection.settings_dict["NAME"] = original
    else:
        with pytest.raises(CommandError):
            call_command("seed_scale", "--small", stdout=StringIO())
    assert not Organization.objects.exists()


def test_refuses_a_database_with_orgs_unless_reset(seeded):
    with override_settings(DEMO_DATABASE=True), pytest.raises(CommandError):
        call_command("seed_scale", "--small", stdout=StringIO())


def test_tree_shape_has_five_levels_at_every_size():
    for orgs in (8, 60, 1000, 15_000):
        committees, per_committee, per_general, groups = tree_shape(orgs)
        assert 1 + committees + committees * per_committee * (1 + per_general) + groups == orgs
        assert groups >= 1


@pytest.mark.django_db(transaction=True)  # PostgreSQL refuses TRUNCATE with the seed's FK checks pending
def test_reset_keeps_the_default_activity_rules(seeded):
    # TRUNCATE ... CASCADE through the org table empties the rule table too; the data set's compliance
    # figures need the default 三会一课 rules the migration wrote.
    from activities.models import ComplianceRule

    with override_settings(DEMO_DATABASE=True):
        call_command("seed_scale", "--small", "--reset", stdout=StringIO())
    assert set(ComplianceRule.objects.filter(owner=None).values_list("kind", flat=True)) == {
        "assembly",
        "committee",
        "group",
        "lecture",
    }
