"""import_roster / import_orgs: the page's service path, a per-row report, exit code 1 on errors."""

import pytest
from django.core.management import CommandError, call_command

from audit.models import HistoryEntry
from branches.models import Organization
from imports.models import ImportBatch
from members.models import Member
from tests.imports.conftest import csv_bytes, xlsx_bytes


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_roster_prints_every_row_and_writes(world, ids, tmp_path):
    a, b = ids(2)
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_bytes([["姓名", "身份证号", "所在党组织"], ["张三", a, ""], ["李四", b, "ZZ-JY-01"]], encoding="gbk")
    )
    output = run("import_roster", str(path), "--org", "ZZ-JY")
    assert "Row 2  New  张三" in output and "Row 3  New  李四" in output
    assert "Imported: 2 new, 0 updated, 0 unchanged, 0 in error." in output
    assert Member.objects.get(id_number=b).org == world.branch_a
    entry = HistoryEntry.objects.filter(source="import").first()
    assert entry.actor is None


def test_import_roster_dry_run_writes_nothing_and_leaves_no_batch(world, ids, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([["姓名", "身份证号"], ["张三", ids(1)[0]]]))
    output = run("import_roster", str(path), "--org", "ZZ-JY", "--dry-run")
    assert "Row 2  New  张三" in output and "Dry run" in output
    assert not Member.objects.filter(name="张三").exists() and not ImportBatch.objects.exists()


def test_import_roster_exits_1_on_any_row_error_and_writes_nothing(world, ids, tmp_path):
    a, b = ids(2)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([["姓名", "身份证号"], ["张三", a], ["李四", b[:-1] + ("0" if b[-1] != "0" else "1")]]))
    with pytest.raises(CommandError) as raised:
        run("import_roster", str(path), "--org", "ZZ-JY")
    assert raised.value.returncode == 1 and "1 rows have errors" in str(raised.value)
    assert not Member.objects.filter(id_number=a).exists()


def test_import_roster_needs_a_known_org(world, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([["姓名", "身份证号"], ["张三", "1"]]))
    with pytest.raises(CommandError, match="NOPE"):
        run("import_roster", str(path), "--org", "NOPE")


def test_import_orgs_without_org_builds_a_new_tree(db, tmp_path):
    path = tmp_path / "orgs.xlsx"
    rows = [
        ["组织名称", "组织编码", "上级组织", "组织类型"],
        ["新区党工委", "XQ", "", "党工委"],
        ["新区一支部", "XQ-01", "XQ", "党支部"],
    ]
    path.write_bytes(xlsx_bytes(rows))
    output = run("import_orgs", str(path))
    assert "Imported: 2 new" in output
    assert Organization.objects.get(code="XQ-01").depth == 2
    assert "Row 2  Unchanged  新区党工委 XQ" in run("import_orgs", str(path), "--dry-run")
