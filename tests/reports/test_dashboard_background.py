"""A big subtree's dashboard (reports/dashboard.py): once its figures are outdated by a write, visits get
the last ones at once, marked as being updated, while the task worker counts the new ones; the page's
question "are they there yet" is answered without counting; a small subtree is counted in the request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from activities.models import Activity, ActivityKind
from reports.figures import cache as figure_cache

pytestmark = pytest.mark.django_db

POLL = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "dashboard-updating"}


def _activity(org):
    Activity.objects.create(
        org=org,
        branch=org,
        kind=ActivityKind.ASSEMBLY,
        held_on=timezone.localdate() - timedelta(days=2),
        title="党员大会",
    )
    figure_cache.bump(org)  # as the activity services do


def _visit(client, org, **headers):
    return client.get(reverse("reports:dashboard"), {"org": org.pk}, **headers)


def _run_queued():
    """Run the queued recounts in this test's transaction (db_worker would close the test's connection)."""
    for row in DBTaskResult.objects.filter(task_path="reports.tasks.recount_dashboard", status="READY"):
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.delete()


def _queued():
    return DBTaskResult.objects.filter(task_path="reports.tasks.recount_dashboard", status="READY").count()


# The figures cache as on one machine (files) and across app servers (Redis, docs/scaling.md); the
# Redis server of these machines at 127.0.0.1:6379, a database of the tests' own.
FIGURES_CACHES = {
    "files": None,
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/13",
        "KEY_PREFIX": "figures",
    },
}


@pytest.fixture(autouse=True, params=list(FIGURES_CACHES))
def _worker_and_cache(request, settings):
    """Tasks wait in the database for the worker, as in production (the test settings run them inline)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if FIGURES_CACHES[request.param]:
        settings.CACHES = {**settings.CACHES, "figures": FIGURES_CACHES[request.param]}
    figure_cache.cache.clear()
    yield
    figure_cache.cache.clear()


@pytest.fixture
def big(settings):
    """Every subtree of more than two orgs counts as big (a province has 15,000)."""
    settings.DASHBOARD_BACKGROUND_FROM = 2


def test_outdated_figures_of_a_big_subtree_are_shown_while_the_worker_counts(world, login, big):
    client = login(world.users.staff_jy)
    first = _visit(client, world.jy)
    assert first.context["stat"]["activities"] == 0  # nothing kept yet: counted now
    assert not first.context.get("updating") and _queued() == 0

    _activity(world.branch_a)
    waiting = _visit(client, world.jy)
    page = waiting.content.decode()
    assert waiting.context["stat"]["activities"] == 0 and waiting.context["updating"]
    assert "正在统计最新数据" in page and 'hx-trigger="every 3s"' in page
    assert waiting.context["as_of"] == first.context["as_of"]  # the page says how old they are
    _visit(client, world.jy)
    assert _queued() == 1  # one recount, however many visits

    poll = _visit(client, world.jy, **POLL)
    assert poll.status_code == 204 and not poll.content  # not yet: ask again

    _run_queued()  # what the worker does
    poll = _visit(client, world.jy, **POLL)
    assert poll.status_code == 200 and "最新数据已统计完成，点击查看" in poll.content.decode()  # a link, no reload
    fresh = _visit(client, world.jy)
    assert fresh.context["stat"]["activities"] == 1 and not fresh.context.get("updating")


def test_the_poll_stops_when_nobody_counts(world, login, big):
    client = login(world.users.staff_jy)
    _visit(client, world.jy)
    _activity(world.branch_a)
    assert _visit(client, world.jy).context["updating"]
    figure_cache.cache.clear()  # the queued mark gone (the worker was down for longer than its timeout)
    poll = _visit(client, world.jy, **POLL)
    assert poll.status_code == 286 and "最新数据未能统计" in poll.content.decode()  # htmx stops asking


def test_without_recent_last_figures_a_big_subtree_is_counted_in_the_request(world, login, big):
    client = login(world.users.staff_jy)
    today = timezone.localdate()
    _visit(client, world.jy)
    start, end = _visit(client, world.jy).context["start"], _visit(client, world.jy).context["end"]
    _activity(world.branch_a)
    figure_cache.cache.delete(figure_cache.latest_key(world.jy, None, start, end, today))  # older than LATEST_TIMEOUT
    shown = _visit(client, world.jy)
    assert shown.context["stat"]["activities"] == 1 and not shown.context.get("updating")
    assert _queued() == 0


def test_a_small_subtree_is_counted_in_the_request_after_a_write(world, login):
    client = login(world.users.staff_jy)
    _visit(client, world.jy)
    _activity(world.branch_a)
    shown = _visit(client, world.jy)
    assert shown.context["stat"]["activities"] == 1 and not shown.context.get("updating")
    assert _queued() == 0


def test_the_button_counts_a_big_subtree_at_once(world, login, big):
    client = login(world.users.staff_jy)
    shown = _visit(client, world.jy)
    _activity(world.branch_a)
    response = client.post(
        reverse("reports:dashboard_refresh", args=[world.jy.pk]),
        {"start": shown.context["start"].isoformat(), "end": shown.context["end"].isoformat()},
    )
    assert response.status_code == 302
    after = client.get(response["Location"])
    assert after.context["stat"]["activities"] == 1 and not after.context.get("updating")
    assert _queued() == 0


def test_the_timer_counts_the_big_dashboards_ahead_so_the_first_visit_finds_them(world, login, big):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("recount_dashboards", stdout=out)
    assert "已统计 2 个党组织的统计页（州直机关工委、州教育局党委）" in out.getvalue()  # the small ones are left

    client = login(world.users.staff_jy)
    first = _visit(client, world.jy)  # nobody opened it before: the figures are there
    assert first.context["stat"]["activities"] == 0 and not first.context.get("updating")
    _activity(world.branch_a)
    waiting = _visit(client, world.jy)
    assert waiting.context["updating"] and _queued() == 1
