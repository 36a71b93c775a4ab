"""Roster import throughput: our import end to end vs a plain default ModelResource.

    .venv/bin/python bench/make_roster.py
    .venv/bin/python bench/import_roster.py [FILE] [--pg]

Runs on a scratch SQLite database it creates (/tmp/xianfeng-bench.sqlite3), or with --pg on a
scratch PostgreSQL database (xianfeng_bench at 127.0.0.1:5432). Measures, in rows per second:

* ours, import: the confirmed import of the file (read + clean + validate + write + history),
  the same service the page and `import_roster` call;
* ours, whole flow: upload check + preview (dry run) + the import above;
* default: `modelresource_factory(Member)` with default settings, fed the same rows already
  cleaned, as a tablib Dataset whose columns are the model's field names (its reading of the
  file is not counted, which favours it).

Targets: ours at least 4x the default, and at least 2,000 rows/s end to end.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(pg: bool) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["XIANFENG_TASK_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
    os.environ["XIANFENG_MEDIA_ROOT"] = "/tmp/xianfeng-bench-media"
    os.environ["XIANFENG_DEBUG"] = "0"
    os.environ["XIANFENG_SECURE_COOKIES"] = "0"
    os.environ["XIANFENG_SSL_REDIRECT"] = "0"
    if pg:
        import psycopg2

        os.environ["XIANFENG_DB_ENGINE"] = "postgresql"
        os.environ["XIANFENG_DB_NAME"] = "xianfeng_bench"
        connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS xianfeng_bench")
            cursor.execute("CREATE DATABASE xianfeng_bench")
        connection.close()
    else:
        path = Path("/tmp/xianfeng-bench.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["XIANFENG_SQLITE_PATH"] = str(path)
        os.environ["XIANFENG_DB_ENGINE"] = "sqlite"


def build_tree():
    from bench.make_roster import BRANCHES, branch_name
    from branches.models import Organization, OrgKind

    root = Organization.objects.add_root({"name": "基准公司党委", "code": "BENCH", "kind": OrgKind.COMMITTEE})
    for n in range(1, BRANCHES + 1):
        root.refresh_from_db()
        Organization.objects.add_child(root, {"name": branch_name(n), "code": f"BENCH-{n:02d}", "kind": OrgKind.BRANCH})
    root.refresh_from_db()
    return root


def clear_roster():
    from audit.models import HistoryEntry
    from members.models import Member

    HistoryEntry.objects.all().delete()
    Member.objects.all().delete()


def ours(path: Path, root, *, whole_flow: bool) -> tuple[float, int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.models import ImportBatch
    from imports.services import batch_import, batch_preview, batch_upload

    data = path.read_bytes()
    started = time.perf_counter()
    batch = batch_upload(kind="roster", upload=SimpleUploadedFile(path.name, data), target_org=root, by=None)
    batch_preview(batch=batch)
    batch.refresh_from_db()
    assert batch.error_count == 0, [r for r in batch.report if r["status"] == "error"][:3]
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING)
    batch.refresh_from_db()
    import_started = time.perf_counter()
    batch_import(batch=batch)
    finished = time.perf_counter()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE, batch.error_message
    rows = batch.counts["new"]
    return (finished - started if whole_flow else finished - import_started), rows


def default_dataset():
    """The imported members as a Dataset in the default resource's own columns."""
    import tablib

    from members.models import Member

    columns = [
        "id",
        "org",
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "id_number",
        "education",
        "stage",
        "joined_on",
        "confirmed_on",
        "work_unit",
        "party_post",
        "phone",
        "is_mobile",
        "is_retired",
        "is_frail",
        "is_unemployed",
    ]
    dataset = tablib.Dataset(headers=columns)
    for values in Member.objects.order_by("pk").values_list(*columns):
        row = list(values)
        row[0] = ""
        dataset.append(row)
    return dataset


def default(dataset) -> float:
    from import_export.resources import modelresource_factory

    from members.models import Member

    resource = modelresource_factory(Member)()
    started = time.perf_counter()
    result = resource.import_data(dataset)
    elapsed = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors(), (
        result.invalid_rows[:1] or result.row_errors()[:1]
    )
    return elapsed


def main():
    parser = argparse.ArgumentParser(description="Roster import throughput")
    parser.add_argument("file", nargs="?", type=Path, default=Path("/tmp/roster-20000.xlsx"))
    parser.add_argument("--pg", action="store_true", help="use a scratch PostgreSQL database")
    args = parser.parse_args()
    configure(args.pg)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from audit.models import HistoryEntry
    from members.models import Member

    root = build_tree()
    engine = "PostgreSQL" if args.pg else "SQLite"
    print(f"{args.file.name} on {engine}")

    seconds, rows = ours(args.file, root, whole_flow=False)
    history = HistoryEntry.objects.count()
    assert Member.objects.count() == rows and history == rows, (Member.objects.count(), history)
    ours_rate = rows / seconds
    print(
        f"  ours, import (read+clean+validate+write+history): {rows} rows in {seconds:.2f} s = {ours_rate:,.0f} rows/s"
    )

    dataset = default_dataset()
    clear_roster()
    seconds_flow, _ = ours(args.file, root, whole_flow=True)
    print(
        f"  ours, whole flow (upload check+preview+import):   {rows} rows in {seconds_flow:.2f} s "
        f"= {rows / seconds_flow:,.0f} rows/s"
    )

    clear_roster()
    default_seconds = default(dataset)
    default_rate = len(dataset) / default_seconds
    print(
        f"  default ModelResource (pre-cleaned Dataset):      {len(dataset)} rows in {default_seconds:.2f} s "
        f"= {default_rate:,.0f} rows/s"
    )
    print(
        f"  ratio ours/default: {ours_rate / default_rate:.1f}x (target >= 4x); "
        f"whole flow/default: {rows / seconds_flow / default_rate:.1f}x"
    )


if __name__ == "__main__":
    main()
