"""Faults: a database lost in the middle of a request, a worker killed in the middle of an import.

* The request that loses its connection gets the Chinese 500 page (templates/500.html), never a
  traceback, and the next request works: at the end of a request in error Django checks the
  connection (CONN_HEALTH_CHECKS on PostgreSQL) and opens a new one when it is dead.
* A confirmed import runs in one transaction: a crash after some rows were written leaves none of
  them, the batch can be queued again (`manage.py resume_imports`) and then completes.
"""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db import close_old_connections as django_close_old_connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from imports import engine, services
from imports.models import ImportBatch
from members.models import Member
from tests.factories import UserFactory, make_id_number
from tests.imports.conftest import upload, xlsx_bytes

CHINESE_500 = "系统暂时出错"


def close_old_connections():
    """What the WSGI handler runs when a request starts and ends (the test client skips it)."""
    django_close_old_connections()


def fail_first_view_query(make_error):
    """An execute wrapper that breaks the first query the view makes (after session and user)."""
    state = {"failed": False}

    def wrapper(execute, sql, params, many, context):
        if not state["failed"] and "django_session" not in sql and "accounts_user" not in sql:
            state["failed"] = True
            make_error()
        return execute(sql, params, many, context)

    return wrapper, state


def lose_connection():
    # What Django's error wrapper does with a driver error: mark the connection, raise.
    connection.errors_occurred = True
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the request ends as in production
def test_lost_connection_gives_the_chinese_500_page_and_the_next_request_works():
    user = UserFactory(username="faulty", is_superuser=True, is_staff=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    wrapper, state = fail_first_view_query(lose_connection)
    with connection.execute_wrapper(wrapper):
        response = client.get(reverse("branches:org_tree"))
    assert state["failed"]
    assert response.status_code == 500
    text = response.content.decode()
    assert CHINESE_500 in text
    assert "Traceback" not in text and "OperationalError" not in text and "SELECT" not in text

    close_old_connections()
    again = client.get(reverse("branches:org_tree"))
    assert again.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_backend_killed_mid_request_reconnects_on_the_next_request():
    """A real lost connection on PostgreSQL: the server ends our backend in the middle of the view.
    SQLite has no server to lose, so there the driver's error is raised in its place."""
    user = UserFactory(username="faulty_pg", is_superuser=True, is_staff=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    on_server = connection.vendor == "postgresql"
    if on_server:  # the setting that makes Django replace a dead server connection
        assert connection.settings_dict["CONN_HEALTH_CHECKS"]

    def terminate_own_backend():
        with connection.connection.cursor() as raw:  # the driver's cursor: no execute wrapper
            raw.execute("SELECT pg_backend_pid()")
            pid = raw.fetchone()[0]
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()

    wrapper, state = fail_first_view_query(terminate_own_backend if on_server else lose_connection)
    with connection.execute_wrapper(wrapper):
        response = client.get(reverse("branches:org_tree"))
    assert state["failed"] and connection.errors_occurred
    assert response.status_code == 500 and CHINESE_500 in response.content.decode()

    close_old_connections()  # end of the request in error: the dead connection is dropped
    if on_server:  # an in-memory SQLite test database is never closed, by Django's design
        assert connection.connection is None
    again = client.get(reverse("branches:org_tree"))
    assert again.status_code == 200


class WorkerKilled(BaseException):
    """Stands for the worker dying: like SIGKILL, nothing in the import catches it."""


@pytest.fixture
def roster_batch(world, settings, tmp_path):
    """A checked roster of 6 new members under 州教育局党委, confirmed and about to be imported."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    ids = [make_id_number(date(1985, 3, 1)) for _ in range(6)]
    rows = [["姓名", "身份证号"], *[[f"崩溃{i}", n] for i, n in enumerate(ids)]]
    by = world.users.staff_jy
    batch = services.batch_upload(kind="roster", upload=upload(xlsx_bytes(rows)), target_org=world.jy, by=by)
    services.batch_start_preview(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.counts["new"] == 6
    return batch


def test_worker_killed_mid_import_leaves_nothing_and_the_batch_resumes(roster_batch, monkeypatch):
    batch = roster_batch
    written_before_crash = []
    real_insert = engine.insert_returning_pks

    def insert_then_die(objs, *args, **kwargs):
        real_insert(objs, *args, **kwargs)
        written_before_crash.append(Member.objects.filter(name__startswith="崩溃").count())
        raise WorkerKilled

    monkeypatch.setattr(engine, "insert_returning_pks", insert_then_die)
    with pytest.raises(WorkerKilled):
        services.batch_confirm(batch=batch, skip_errors=False, by=batch.uploaded_by)

    assert written_before_crash == [6]  # the rows were in the database when the worker died...
    assert not Member.objects.filter(name__startswith="崩溃").exists()  # ...and none of them stayed
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING  # stuck: nothing would pick it up again

    monkeypatch.setattr(engine, "insert_returning_pks", real_insert)
    # Not yet abandoned: it may still be running somewhere.
    call_command("resume_imports", "--older-than", "30")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING

    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    call_command("resume_imports", "--older-than", "30")  # the task runs inline in tests
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.counts["new"] == 6
    assert Member.objects.filter(name__startswith="崩溃", org=batch.target_org).count() == 6


def test_resume_leaves_a_batch_whose_task_is_still_running(roster_batch):
    from django_tasks_db.models import DBTaskResult

    from imports.management.commands.resume_imports import abandoned_batches
    from imports.tasks import import_batch

    batch = roster_batch
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.IMPORTING, updated_at=timezone.now() - timedelta(hours=1)
    )
    running = DBTaskResult.objects.create(
        task_path=import_batch.module_path,
        args_kwargs={"args": [batch.pk], "kwargs": {}},
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=5),
        run_after=timezone.now(),
        backend_name="default",
        queue_name="default",
    )
    assert abandoned_batches(older_than=timedelta(minutes=30)) == []

    # The worker died an hour ago: its task row says RUNNING forever.
    DBTaskResult.objects.filter(pk=running.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert [b.pk for b in abandoned_batches(older_than=timedelta(minutes=30))] == [batch.pk]
    call_command("resume_imports")
    running.refresh_from_db()
    assert running.status == "FAILED"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
