"""The kept pledge figures (pledges/tally.py) equal a fresh count of the pledges and items after every
write path and as the days pass, and the report figures read from them equal counting the rows."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from pledges import services, tally
from pledges.models import Category, Outcome, Pledge, PledgeItem, PledgeTally, PledgeTallyDate, Status
from pledges.stats import pledge_stats
from reports.figures.pledges import pledge_figures

from .conftest import item

pytestmark = pytest.mark.django_db

FIGURES = ("member_pledges", "org_pledges", "submitted", "approved", "closed", "kept", "items", "items_done")


def assert_exact():
    assert tally.stored() == tally.truth()


def assert_figures_count_the_rows(org, campaign, today):
    """What the dashboard and reports show equals what pledge_stats counts from the rows on that day."""
    kept, counted = pledge_figures(org, campaign, today=today), pledge_stats(org, campaign, today=today)
    for name in (*FIGURES, "overdue", "members"):
        assert getattr(kept.total, name) == getattr(counted.total, name), name
    assert kept.overdue_by_branch == {row.key: row.overdue for row in counted.branches if row.overdue}


def test_every_step_of_the_services_is_counted(world, pl):
    u = world.users
    pledge = pl.draft(items=[])  # collecting needs: no items yet
    assert pledge.status == Status.NEEDS
    assert_exact()
    assert PledgeTally.objects.get(org=world.branch_a, campaign=pl.campaign).submitted == 0
    pledge = services.pledge_update(
        pledge=pledge, data={"category": Category.DUTY}, items=[item(), item("另一件事", days=-3)], by=u.member_a
    )
    assert pledge.status == Status.DRAFT
    assert_exact()
    for action, by in (("submit", u.member_a), ("return", u.secretary_a), ("submit", u.member_a)):
        pledge = services.MOVE_SERVICES[action](pledge, by, reason="请把目标写具体")
        assert_exact()
    pledge = services.pledge_approve(pledge=pledge, by=u.secretary_a)
    pledge = services.pledge_publish(pledge=pledge, by=u.secretary_a)
    assert_exact()

    def row():  # a recount writes the rows anew
        return PledgeTally.objects.get(org=world.branch_a, campaign=pl.campaign, category=Category.DUTY)

    tallied = row()
    assert (tallied.member_pledges, tallied.submitted, tallied.approved, tallied.items, tallied.overdue) == (
        1,
        1,
        1,
        2,
        1,
    )

    late = pledge.items.get(content="另一件事")
    services.progress_record(
        pledge=pledge, on=timezone.localdate(), text="已完成", by=u.member_a, item=late, percent=100
    )
    assert_exact()
    assert (row().items_done, row().overdue) == (1, 0)

    pledge = services.pledge_close(pledge=pledge, outcome=Outcome.KEPT, comment="兑现", by=u.secretary_a)
    assert_exact()
    assert (row().closed, row().kept, row().overdue) == (1, 1, 0)  # only a pledge being fulfilled is overdue


def test_editing_the_items_and_the_category_moves_the_counts(world, pl):
    pledge = pl.at(Status.RETURNED)
    services.pledge_update(
        pledge=pledge,
        data={"category": Category.STUDY},
        items=[item("一"), item("二"), item("三")],
        by=world.users.member_a,
    )
    assert_exact()
    assert set(PledgeTally.objects.filter(campaign=pl.campaign).values_list("category", flat=True)) == {"study"}


def test_saves_and_deletes_on_the_models(world, pl):
    pledge = pl.at(Status.PUBLISHED)
    other = Campaign.objects.create(
        org=world.jy, name="另一活动", starts_on=pl.campaign.starts_on, ends_on=pl.campaign.ends_on
    )
    pledge.org, pledge.campaign = world.branch_b, other  # to another board and campaign: both recounted
    pledge.save()
    assert_exact()
    assert not PledgeTally.objects.filter(org=world.branch_a).exists()
    first = pledge.items.first()
    first.done_on = timezone.localdate()
    first.save()
    PledgeItem.objects.create(pledge=pledge, content="新增", target="一次", due_on=timezone.localdate())
    assert_exact()
    first.delete()
    assert_exact()
    pledge.delete()
    assert_exact()
    assert not PledgeTally.objects.exists()


def test_a_save_of_other_fields_counts_nothing(world, pl, django_assert_num_queries):
    pledge = pl.at(Status.PUBLISHED)
    pledge.needs_notes = "补充走访情况"
    with django_assert_num_queries(1):
        pledge.save(update_fields=["needs_notes"])
    one = pledge.items.first()
    one.percent = 40
    with django_assert_num_queries(1):
        one.save(update_fields=["percent"])
    assert_exact()


def test_a_write_rolled_back_leaves_the_counts_as_they_were(world, pl):
    pledge = pl.at(Status.PUBLISHED)
    before = tally.stored()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.pledge_close(pledge=pledge, outcome=Outcome.PARTLY, comment="部分兑现", by=world.users.secretary_a)
        raise RuntimeError
    assert tally.stored() == before
    assert_exact()


def test_the_pledge_form_in_the_browser_path(world, pl, login):
    client = login(world.users.member_a)
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    data = {
        "campaign": pl.campaign.pk,
        "category": Category.INTEGRITY,
        "needs_notes": "走访",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "10",
        "items-0-content": "带头遵守纪律",
        "items-0-target": "全年无违纪",
        "items-0-due_on": due,
    }
    response = client.post(reverse("pledges:pledge_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_exact()
    assert PledgeTally.objects.get(org=world.branch_a, campaign=pl.campaign).category == Category.INTEGRITY


def test_a_deferred_block_recounts_once_at_its_end(world, pl, django_assert_max_num_queries):
    for member in world.members_a:
        pl.at(Status.PUBLISHED, member, author=world.users.secretary_a)
    with tally.deferred():
        Pledge.objects.filter(org=world.branch_a).delete()
        assert PledgeTally.objects.filter(org=world.branch_a).exists()  # not yet
    assert_exact()
    assert not PledgeTally.objects.filter(org=world.branch_a).exists()


def test_refresh_costs_the_same_queries_for_one_pledge_or_many(world, pl, django_assert_num_queries):
    def queries_of_a_refresh():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            tally.refresh([(world.branch_a.pk, pl.campaign.pk)])
        return len(captured)

    pl.quick(world.members_a[0], items=2)
    few = queries_of_a_refresh()
    for member in world.members_a[1:]:
        pl.quick(member, items=5, overdue=2)
    assert queries_of_a_refresh() == few
    assert_exact()


def test_overdue_follows_the_days_with_nothing_written(world, pl, monkeypatch):
    today = timezone.localdate()
    pledge = pl.at(Status.PUBLISHED)
    PledgeItem.objects.create(pledge=pledge, content="明天到期", target="一次", due_on=today + timedelta(days=1))
    PledgeItem.objects.create(pledge=pledge, content="三天后到期", target="一次", due_on=today + timedelta(days=3))
    assert pledge_figures(world.jy, pl.campaign, today=today).overdue_items == 0

    later = today + timedelta(days=2)
    monkeypatch.setattr(tally.timezone, "localdate", lambda *a, **k: later)  # two days pass
    figures = pledge_figures(world.jy, pl.campaign, today=later)
    assert figures.overdue_items == 1
    assert figures.overdue_by_branch == {world.branch_a.pk: 1}
    assert PledgeTallyDate.objects.get().overdue_before == later  # rolled forward once, for everyone
    assert_exact()
    assert_figures_count_the_rows(world.jy, pl.campaign, later)
    # A report of a day gone by counts as of its day, and one of a day to come as of that one.
    assert_figures_count_the_rows(world.jy, pl.campaign, today)
    assert_figures_count_the_rows(world.jy, pl.campaign, today + timedelta(days=10))
    assert PledgeTallyDate.objects.get().overdue_before == later


def test_a_roll_forward_counts_only_what_fell_due(world, pl):
    today = timezone.localdate()
    for member in world.members_a:
        pl.quick(member, items=3, overdue=1)
    pl.quick(world.members_b[0], status=Status.CLOSED, items=2, overdue=1)  # judged: never overdue
    assert tally.roll_forward(today) == today  # nothing to do on the same day
    assert tally.roll_forward(today + timedelta(days=40)) == today + timedelta(days=40)
    assert_exact()
    assert tally.roll_forward(today) == today + timedelta(days=40)  # never backwards


def test_rebuild_and_the_command(world, pl):
    pl.at(Status.CLOSED)
    pl.quick(world.members_b[0], items=3, overdue=2)
    PledgeTally.objects.filter(org=world.branch_b).update(overdue=7)  # written around the application
    with pytest.raises(CommandError, match="1 行承诺统计与承诺数据不符"):
        call_command("rebuild_pledge_tallies", "--check", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_pledge_tallies", stdout=out)
    assert "已重新统计承诺数据，共 2 行" in out.getvalue()
    assert_exact()
    out = StringIO()
    call_command("rebuild_pledge_tallies", "--check", stdout=out)
    assert "2 行承诺统计与承诺数据一致" in out.getvalue()


def test_after_a_flush_the_date_comes_back_and_counts_stay_right(world, pl):
    PledgeTallyDate.objects.all().delete()
    pl.at(Status.PUBLISHED)
    assert PledgeTallyDate.objects.get().overdue_before == timezone.localdate()
    assert_exact()
    PledgeTallyDate.objects.all().delete()
    assert_figures_count_the_rows(world.jy, pl.campaign, timezone.localdate())


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_recount(world, pl, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVALUATION_SLIPS_ROOT = tmp_path / "private"
    pl.at(Status.PUBLISHED)
    pl.quick(world.members_b[0], items=3, overdue=2)
    before = tally.stored()
    PledgeTally.objects.filter(org=world.branch_b).update(items=99)  # a stale row in the archive
    archive = tmp_path / "xianfeng.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(archive))
    assert tally.stored() == before
    assert_exact()


def test_seed_scale_leaves_exact_tallies(db):
    with override_settings(DEMO_DATABASE=True):
        call_command("seed_scale", "--small", stdout=StringIO())
    assert_exact()
    assert (
        sum(PledgeTally.objects.values_list("member_pledges", flat=True))
        == Pledge.objects.filter(status__in=(Status.PUBLISHED, Status.CLOSED), owner_member__isnull=False).count()
    )
