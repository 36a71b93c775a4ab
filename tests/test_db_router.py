"""The read-replica router (config/db_router.py): report and dashboard reads go to "replica" when
one is configured, writes and reads inside a write transaction stay on "default".

The test run has one database server, so the replica here is a second alias (a second connection)
onto the same test database, declared as its TEST MIRROR: on SQLite the shared in-memory database,
on PostgreSQL the test database. Queries are counted per alias, so where they went is what is asserted.
"""

import copy
import os
import runpy
from datetime import date
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organization, OrgKind
from config.db_router import REPLICA_DB_ALIAS, ReplicaRouter, read_alias, reading_from_replica, replica_configured
from reports import figures
from tests.factories import UserFactory, make_org

ROOT = Path(__file__).resolve().parents[1]


def add_replica_alias() -> bool:
    """Declare the replica alias unless the environment already did (XIANFENG_DB_REPLICA_HOST)."""
    if REPLICA_DB_ALIAS in connections.settings:
        return False
    replica = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)  # the test database's name
    replica["TEST"] = {**replica.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA_DB_ALIAS] = replica
    return True


def remove_replica_alias():
    if hasattr(connections._connections, REPLICA_DB_ALIAS):
        connections[REPLICA_DB_ALIAS].close()
        delattr(connections._connections, REPLICA_DB_ALIAS)
    connections.settings.pop(REPLICA_DB_ALIAS, None)


class WithoutReplica(TransactionTestCase):
    def test_falls_back_to_default(self):
        if replica_configured():
            self.skipTest("the environment declares a replica (XIANFENG_DB_REPLICA_HOST)")
        with reading_from_replica() as alias:
            assert alias == DEFAULT_DB_ALIAS
            assert ReplicaRouter().db_for_read(Organization) == DEFAULT_DB_ALIAS
            with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as default:
                Organization.objects.count()
        assert len(default) == 1


class WithReplica(TransactionTestCase):
    databases = {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}

    @classmethod
    def setUpClass(cls):
        cls.added_alias = add_replica_alias()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        if cls.added_alias:
            remove_replica_alias()

    def setUp(self):
        self.root = make_org("州直机关工委", OrgKind.WORKING_COMMITTEE, code="RR")
        self.branch = make_org("第一党支部", parent=self.root, code="RR-01")

    def capture(self):
        return CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]), CaptureQueriesContext(
            connections[REPLICA_DB_ALIAS]
        )

    def test_reads_outside_the_context_stay_on_default(self):
        assert replica_configured() and read_alias() == DEFAULT_DB_ALIAS
        default, replica = self.capture()
        with default, replica:
            assert Organization.objects.count() == 2
        assert len(default) == 1 and len(replica) == 0

    def test_reads_in_the_context_go_to_the_replica_and_writes_to_default(self):
        default, replica = self.capture()
        with default, replica, reading_from_replica() as alias:
            assert alias == REPLICA_DB_ALIAS
            org = Organization.objects.get(code="RR-01")  # committed on default, seen on the replica
            assert org._state.db == REPLICA_DB_ALIAS
            org.name = "第一党支部（改）"
            org.save(update_fields=["name"])
        assert len(replica) == 1 and "SELECT" in replica[0]["sql"]
        assert [q["sql"].split()[0] for q in default] == ["UPDATE"]
        assert ReplicaRouter().db_for_write(Organization) == DEFAULT_DB_ALIAS
        assert ReplicaRouter().allow_migrate(REPLICA_DB_ALIAS, "branches") is False

    def test_reads_inside_a_write_transaction_stay_on_default(self):
        default, replica = self.capture()
        with default, replica, transaction.atomic():
            make_org("第二党支部", parent=self.root, code="RR-02")
            with reading_from_replica() as alias:
                assert alias == DEFAULT_DB_ALIAS
                assert Organization.objects.filter(code="RR-02").exists()  # its own uncommitted row
        assert len(replica) == 0 and len(default) > 0

    def test_report_figures_are_read_from_the_replica(self):
        default, replica = self.capture()
        with default, replica:
            fig = figures.compute(self.root, None, date(2010, 1, 1), date(2010, 11, 30), today=date(2010, 11, 30))
        assert fig.orgs is not None
        assert len(replica) > 0
        assert len(default) == 0, [q["sql"] for q in default]

    def test_dashboard_reads_its_figures_from_the_replica(self):
        admin = UserFactory(username="replica_admin", is_superuser=True, is_staff=True)
        self.client.force_login(admin)
        default, replica = self.capture()
        with default, replica:
            response = self.client.get(reverse("reports:dashboard"), {"org": self.root.pk})
        assert response.status_code == 200
        assert len(replica) > 0
        replica_tables = " ".join(q["sql"] for q in replica)
        assert "django_session" not in replica_tables  # the session and the user stay on default


def settings_with(env: dict) -> dict:
    saved = {k: v for k, v in os.environ.items() if k.startswith("XIANFENG_DB_")}
    for k in saved:
        del os.environ[k]
    os.environ.update(env)
    try:
        return runpy.run_path(str(ROOT / "config" / "settings.py"))
    finally:
        for k in env:
            os.environ.pop(k, None)
        os.environ.update(saved)


def test_settings_declare_the_replica_only_when_its_host_is_set():
    base = {"XIANFENG_DB_ENGINE": "postgresql", "XIANFENG_DB_NAME": "xianfeng"}
    assert "replica" not in settings_with(base)["DATABASES"]
    databases = settings_with({**base, "XIANFENG_DB_REPLICA_HOST": "10.0.0.12"})["DATABASES"]
    assert databases["replica"]["HOST"] == "10.0.0.12"
    assert databases["replica"]["NAME"] == "xianfeng"
    assert databases["replica"]["TEST"] == {"MIRROR": "default"}
    assert databases["default"]["HOST"] == "127.0.0.1"
