"""Member list server time at 300,000 members in ~15,000 orgs, on PostgreSQL.

    .venv/bin/python bench/member_list.py            # builds the data once, then measures
    .venv/bin/python bench/member_list.py --rebuild  # drops and rebuilds the data
    .venv/bin/python bench/member_list.py --explain  # also prints the plans of the list's queries

It creates the database ``xianfeng_bench`` on 127.0.0.1:5432 (user postgres), migrates it, writes
the org tree with bulk_create and the members with COPY, then times the member list view in
process with django.test.Client, logged in as committee staff of the whole tree and as a branch
secretary: p50/p95 over REPEAT requests per scenario, and the number of SQL queries.
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
        "XIANFENG_DB_NAME": os.environ.get("XIANFENG_BENCH_DB", "xianfeng_bench"),
        "XIANFENG_DEBUG": "0",
        "XIANFENG_SSL_REDIRECT": "0",
        "XIANFENG_SECURE_COOKIES": "0",
    }
)

MEMBERS = 300_000
COMMITTEES = 30  # under the root working committee
GENERAL_BRANCHES = 12  # per committee
BRANCHES = 40  # per general branch: 30 * 12 * 40 = 14,400 branches
ORGS = 15_000  # the rest are 党小组 under the first branches
REPEAT = 30
WARMUP = 3

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕辉鹏飞宇浩然晨阳光荣德福"
REGIONS = ["110101", "320282", "430102", "510104", "622901", "654001", "330106", "440305"]


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


def build(rebuild: bool) -> None:
    from django.db import connection
    from django.db.models import Count

    from accounts.models import User
    from branches.models import Organization, OrgCategory, OrgKind, Role, RoleAssignment
    from members.idcard import check_char
    from members.models import Member
    from members.pii import member_row

    if not rebuild and Member.objects.count() >= MEMBERS:
        print(f"data present: {Member.objects.count():,} members, {Organization.objects.count():,} orgs")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE members_stagestep, members_member, branches_roleassignment, branches_organization, "
            "accounts_user, audit_historyentry RESTART IDENTITY CASCADE"
        )
    rng = random.Random(20101111)
    path = Organization._get_path
    categories = [c.value for c in OrgCategory]
    orgs: list[Organization] = []

    def add(parent_path, depth, position, name, kind, code, numchild, category=""):
        orgs.append(
            Organization(
                path=path(parent_path, depth, position),
                depth=depth,
                numchild=numchild,
                name=name,
                code=code,
                kind=kind,
                category=category,
            )
        )
        return orgs[-1].path

    group_budget = ORGS - 1 - COMMITTEES - COMMITTEES * GENERAL_BRANCHES - COMMITTEES * GENERAL_BRANCHES * BRANCHES
    root = add(None, 1, 1, "州直机关工委", OrgKind.WORKING_COMMITTEE, "B", COMMITTEES, OrgCategory.ORGAN)
    for c in range(1, COMMITTEES + 1):
        category = categories[c % len(categories)]
        cp = add(root, 2, c, f"第{c}党委", OrgKind.COMMITTEE, f"B-{c}", GENERAL_BRANCHES, category)
        for g in range(1, GENERAL_BRANCHES + 1):
            gp = add(cp, 3, g, f"第{c}党委第{g}总支", OrgKind.GENERAL_BRANCH, f"B-{c}-{g}", BRANCHES, category)
            for b in range(1, BRANCHES + 1):
                groups = 1 if group_budget > 0 else 0
                group_budget -= groups
                bp = add(gp, 4, b, f"第{c}-{g}-{b}党支部", OrgKind.BRANCH, f"B-{c}-{g}-{b}", groups, category)
                if groups:
                    add(bp, 5, 1, f"第{c}-{g}-{b}支部第一党小组", OrgKind.GROUP, f"B-{c}-{g}-{b}-1", 0, category)
    Organization.objects.bulk_create(orgs, batch_size=5000)
    branch_ids = list(Organization.objects.filter(kind=OrgKind.BRANCH).values_list("id", flat=True))
    group_ids = list(Organization.objects.filter(kind=OrgKind.GROUP).values_list("id", flat=True))
    print(f"orgs: {len(orgs):,} in {time.perf_counter() - started:.1f}s")

    stages = ["full"] * 85 + ["probationary"] * 7 + ["candidate"] * 3 + ["activist"] * 3 + ["applicant"] * 2
    educations = ["university", "college", "postgraduate", "secondary", "junior"]
    buffer = io.StringIO()
    first_birth = date(1945, 1, 1)
    days = 20_000
    for i in range(MEMBERS):
        birth = first_birth + timedelta(days=i % days)
        male = rng.random() < 0.6
        order = (i // days) * 2 + (1 if male else 0)
        body = f"{REGIONS[i % len(REGIONS)]}{birth:%Y%m%d}{order:03d}"
        number = body + check_char(body)
        stage = rng.choice(stages)
        joined = birth + timedelta(days=365 * 25) if stage in ("full", "probationary") else None
        confirmed = joined + timedelta(days=365) if stage == "full" else None
        org = rng.choice(group_ids) if i % 50 == 0 else rng.choice(branch_ids)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        pii = member_row(number, f"139{i:08d}")
        row = [
            str(org),
            name,
            "male" if male else "female",
            "汉族",
            birth.isoformat(),
            pii["id_number"],
            rng.choice(educations),
            stage,
            joined.isoformat() if joined else r"\N",
            confirmed.isoformat() if confirmed else r"\N",
            "某单位 职员",
            "",
            pii["phone"],
            "t" if rng.random() < 0.05 else "f",
            "t" if rng.random() < 0.15 else "f",
            "t" if rng.random() < 0.04 else "f",
            "t" if rng.random() < 0.03 else "f",
            "",
            "",
            r"\N",
            "2024-01-01 00:00:00+00",
            "2024-01-01 00:00:00+00",
            pii["id_hash"],
            pii["id_tail"],
            pii["phone_hash"],
        ]
        buffer.write("\t".join(row) + "\n")
    buffer.seek(0)
    columns = (
        "org_id, name, gender, ethnicity, birth_date, id_number, education, stage, joined_on, confirmed_on, "
        "work_unit, party_post, phone, is_mobile, is_retired, is_frail, is_unemployed, photo, photo_thumbnail, "
        "user_id, created_at, updated_at, id_hash, id_tail, phone_hash"
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY members_member ({columns}) FROM STDIN", buffer)
    from members.headcount import rebuild_all  # COPY bypasses the member counts

    rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    staff = User.objects.create_user("bench_staff", password="bench-pass-1234", full_name="组织部干事")
    secretary = User.objects.create_user("bench_secretary", password="bench-pass-1234", full_name="支部书记")
    RoleAssignment.objects.create(user=staff, org=Organization.objects.get(path=root), role=Role.STAFF)
    busiest = (
        Member.objects.filter(org__kind=OrgKind.BRANCH).values("org").annotate(n=Count("id")).order_by("-n").first()
    )
    branch = Organization.objects.get(pk=busiest["org"])
    RoleAssignment.objects.create(user=secretary, org=branch, role=Role.SECRETARY)
    print(f"members: {Member.objects.count():,}; built in {time.perf_counter() - started:.1f}s")


def scenarios(user):
    from branches.access import scope_for
    from branches.models import Organization
    from members.models import Member

    scope = scope_for(user)
    mine = Member.objects.manageable_by(user)
    sample = mine.order_by("id")[mine.count() // 2]
    committee = Organization.objects.filter(path__startswith=scope.manage_paths[0]).order_by("depth", "path")
    org = committee[1] if committee.count() > 1 else committee[0]
    return [
        ("page 1", {}),
        ("deep page", {"page": "999999"}),  # clamps to the last reachable page
        ("name search", {"q": sample.name}),
        ("ID-tail search", {"q": sample.id_number[-4:]}),
        ("stage filter", {"stage": "probationary"}),
        ("org filter", {"org": str(org.pk)}),
        ("name + org filter", {"q": sample.name[:1], "org": str(org.pk)}),
    ]


def measure(explain: bool) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from members.filters import filter_members
    from members.roster import roster_page

    print(f"\n{'user':<16}{'scenario':<20}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'queries':>9}  shown")
    for username in ("bench_staff", "bench_secretary"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for label, params in scenarios(user):
            timings = []
            for n in range(WARMUP + REPEAT):
                started = time.perf_counter()
                response = client.get("/members/", params)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (label, response.status_code)
                if n >= WARMUP:
                    timings.append(elapsed)
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/members/", params)
            # The same code path as the view, to say what the page showed.
            page = roster_page(filter_members(user, params)[1], params.get("page"))
            capped = "+" if page.paginator.is_capped else ""
            shown = f"{page.paginator.count:,}{capped} rows, page {page.number}"
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"{username:<16}{label:<20}{statistics.median(timings):>8.1f}{p95:>8.1f}{timings[-1]:>8.1f}"
                f"{len(queries):>9}  {shown}"
            )
            if explain:
                for query in queries.captured_queries[-2:]:
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                        print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    create_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(args.rebuild)
    measure(args.explain)


if __name__ == "__main__":
    main()
