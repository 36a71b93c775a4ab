"""Report figures for a subtree of 100,000 members, on PostgreSQL (target: under 1 s).

    .venv/bin/python bench/report_figures.py            # builds the data once, then measures
    .venv/bin/python bench/report_figures.py --rebuild  # drops and rebuilds the data

It creates the database ``xianfeng_bench_reports`` on 127.0.0.1:5432 (user postgres), migrates it and
writes: one working committee with 20 direct branches and 20 committees, each holding 10 general
branches of 15 branches (3,020 branches), 100,000 members (COPY), a year of activities (about two per
branch per month), 20,000 pledges with 40,000 items, 6,000 rectification items, and a campaign. It then
times ``reports.figures.compute`` for the root (everything a report or the dashboard computes): the
median and the worst of REPEAT runs, and the number of SQL queries.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "XIANFENG_DB_ENGINE": "postgresql",
        "XIANFENG_DB_NAME": os.environ.get("XIANFENG_BENCH_DB", "xianfeng_bench_reports"),
        "XIANFENG_DEBUG": "0",
    }
)

MEMBERS = 100_000
DIRECT_BRANCHES = 20
COMMITTEES, GENERAL_BRANCHES, BRANCHES = 20, 10, 15
PLEDGES = 20_000
ITEMS_PER_PLEDGE = 2
RECTIFICATION = 6_000
YEAR = 2026
REPEAT = 7


def create_database() -> None:
    import psycopg2

    name = os.environ["XIANFENG_DB_NAME"]
    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _copy(table: str, columns: str, rows) -> None:
    from django.db import connection

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def build(rebuild: bool) -> None:
    from django.db import connection

    from activities.models import THREE_MEETINGS_ONE_LESSON
    from branches.models import Organization, OrgCategory, OrgKind
    from campaigns.models import Campaign
    from members.idcard import check_char
    from members.models import Member
    from members.pii import member_row

    if not rebuild and Member.objects.count() >= MEMBERS:
        print(f"data present: {Member.objects.count():,} members, {Organization.objects.count():,} orgs")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reviews_rectificationitem, pledges_pledgeitem, pledges_pledge, activities_activity, "
            "campaigns_campaign, members_member, branches_organization RESTART IDENTITY CASCADE"
        )
    rng = random.Random(20101111)
    path = Organization._get_path
    orgs = []

    def add(parent, depth, position, name, kind, code, numchild, category=OrgCategory.ORGAN):
        orgs.append(
            Organization(
                path=path(parent, depth, position),
                depth=depth,
                numchild=numchild,
                name=name,
                code=code,
                kind=kind,
                category=category,
                founded_on=date(2000, 1, 1),
            )
        )
        return orgs[-1].path

    root = add(None, 1, 1, "州直机关工委", OrgKind.WORKING_COMMITTEE, "R", DIRECT_BRANCHES + COMMITTEES)
    for d in range(1, DIRECT_BRANCHES + 1):
        add(root, 2, d, f"直属第{d}党支部", OrgKind.BRANCH, f"R-D{d}", 0)
    for c in range(1, COMMITTEES + 1):
        cp = add(root, 2, DIRECT_BRANCHES + c, f"第{c}党委", OrgKind.COMMITTEE, f"R-{c}", GENERAL_BRANCHES)
        for g in range(1, GENERAL_BRANCHES + 1):
            gp = add(cp, 3, g, f"第{c}党委第{g}总支", OrgKind.GENERAL_BRANCH, f"R-{c}-{g}", BRANCHES)
            for b in range(1, BRANCHES + 1):
                add(gp, 4, b, f"第{c}-{g}-{b}党支部", OrgKind.BRANCH, f"R-{c}-{g}-{b}", 0)
    Organization.objects.bulk_create(orgs, batch_size=5000)
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH).values_list("id", flat=True))
    print(f"orgs: {len(orgs):,}")

    stages = ["full"] * 88 + ["probationary"] * 6 + ["candidate"] * 2 + ["activist"] * 2 + ["applicant"] * 2
    member_rows = []
    for i in range(MEMBERS):
        birth = date(1950, 1, 1) + timedelta(days=i % 18_000)
        body = f"110101{birth:%Y%m%d}{(i // 18_000) * 2 + 1:03d}"
        pii = member_row(body + check_char(body), f"139{i:08d}")
        member_rows.append(
            (
                rng.choice(branches),
                f"党员{i}",
                "male",
                "汉族",
                birth,
                pii["id_number"],
                "university",
                rng.choice(stages),
                "",
                "",
                pii["phone"],
                "f",
                "f",
                "f",
                "f",
                "",
                "",
                "2024-01-01 00:00:00+00",
                "2024-01-01 00:00:00+00",
                pii["id_hash"],
                pii["id_tail"],
                pii["phone_hash"],
            )
        )
    _copy(
        "members_member",
        "org_id, name, gender, ethnicity, birth_date, id_number, education, stage, work_unit, party_post, phone, "
        "is_mobile, is_retired, is_frail, is_unemployed, photo, photo_thumbnail, created_at, updated_at, "
        "id_hash, id_tail, phone_hash",
        member_rows,
    )
    print(f"members: {MEMBERS:,}")

    kinds = [*THREE_MEETINGS_ONE_LESSON, "theme_day", "study"]
    activity_rows = []
    for branch in branches:
        for month in range(1, 13):
            for _ in range(rng.choice((0, 1, 2, 2, 3))):
                held = date(YEAR, month, rng.randint(1, 28))
                activity_rows.append(
                    (
                        branch,
                        branch,
                        rng.choice(kinds),
                        "",
                        held,
                        "",
                        "",
                        "",
                        "",
                        "2024-01-01 00:00:00+00",
                        "2024-01-01 00:00:00+00",
                    )
                )
    _copy(
        "activities_activity",
        "org_id, branch_id, kind, title, held_on, place, host_name, recorder_name, minutes, created_at, updated_at",
        activity_rows,
    )
    print(f"activities: {len(activity_rows):,}")

    root_org = Organization.objects.get(path=root)
    campaign = Campaign.objects.create(
        org=root_org, name="创先争优活动", starts_on=date(YEAR, 1, 1), ends_on=date(YEAR, 12, 31)
    )
    members = list(Member.objects.values_list("id", "org_id")[:PLEDGES])
    statuses = ["published"] * 6 + ["closed"] * 3 + ["approved"]
    pledge_rows = []
    for member_id, org_id in members:
        status = rng.choice(statuses)
        outcome = rng.choice(("kept", "kept", "partly")) if status == "closed" else ""
        pledge_rows.append(
            (
                campaign.pk,
                member_id,
                org_id,
                "duty",
                "",
                status,
                "f",
                "f",
                "f",
                "",
                outcome,
                "",
                "2026-02-01 00:00:00+00",
                "2026-02-01 00:00:00+00",
            )
        )
    _copy(
        "pledges_pledge",
        "campaign_id, owner_member_id, org_id, category, needs_notes, status, leadership_post_holder, is_oral, "
        "show_phone, service_phone, outcome, judge_comment, created_at, updated_at",
        pledge_rows,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM pledges_pledge ORDER BY id")
        pledge_ids = [r[0] for r in cursor.fetchall()]
    item_rows = []
    for pledge_id in pledge_ids:
        for position in range(ITEMS_PER_PLEDGE):
            due = date(YEAR, rng.randint(1, 12), 15)
            done = due if rng.random() < 0.6 else None
            item_rows.append((pledge_id, "承诺事项", "目标", due, 100 if done else 40, done, position))
    _copy("pledges_pledgeitem", "pledge_id, content, target, due_on, percent, done_on, position", item_rows)

    rect_rows = []
    for _ in range(RECTIFICATION):
        listed = date(YEAR, rng.randint(1, 11), rng.randint(1, 28))
        struck = listed + timedelta(days=20) if rng.random() < 0.7 else None
        rect_rows.append(
            (
                rng.choice(branches),
                "问题",
                "",
                listed + timedelta(days=30),
                "direct",
                "struck_off" if struck else "in_progress",
                listed,
                struck,
                "",
                "2026-02-01 00:00:00+00",
                "2026-02-01 00:00:00+00",
            )
        )
    _copy(
        "reviews_rectificationitem",
        "org_id, problem, measures, deadline, source, status, listed_on, struck_off_on, return_reason, "
        "created_at, updated_at",
        rect_rows,
    )
    from members.headcount import rebuild_all  # COPY bypasses the member counts

    rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"pledges: {len(pledge_rows):,}, items: {len(item_rows):,}, rectification items: {RECTIFICATION:,}")
    print(f"built in {time.perf_counter() - started:.1f}s")


def measure() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from branches.models import Organization
    from campaigns.models import Campaign
    from reports import drafting, figures

    root = Organization.objects.get(depth=1, code="R")
    campaign = Campaign.objects.get(org=root)
    start, end, today = date(YEAR, 1, 1), date(YEAR, 11, 30), date(YEAR, 11, 30)
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            data = figures.compute(root, campaign, start, end, today=today)
            times.append(time.perf_counter() - t)
    t = time.perf_counter()
    content = drafting.draft(data, drafting.PROGRESS, as_of=end)
    drafting_s = time.perf_counter() - t
    print(
        f"figures for {data.orgs.members:,} members, {data.orgs.branches:,} branches: "
        f"median {statistics.median(times):.3f}s, worst {max(times):.3f}s over {REPEAT} runs, "
        f"{len(queries.captured_queries)} queries; drafting {drafting_s:.3f}s"
    )
    print("  " + content["sections"][1]["text"].splitlines()[0])
    print(f"  lagging branches: {len(data.lagging):,}; activities: {data.activities.total:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    create_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(args.rebuild)
    measure()


if __name__ == "__main__":
    main()
