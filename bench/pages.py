"""Server time and query count of every main page, in process, on the seed_scale data set (PostgreSQL).

    .venv/bin/python bench/pages.py --seed                     # once: creates xianfeng_scale, migrates, seed_scale
    .venv/bin/python bench/pages.py                            # measures on xianfeng_scale
    .venv/bin/python bench/pages.py --db xianfeng_scale_small  # the same pages on a small data set:
                                                               # the query counts must be the same
    .venv/bin/python bench/pages.py --json var/pages.json      # also writes the figures as JSON
    .venv/bin/python bench/pages.py --only "org tree" --only home   # just these pages

Each page is requested WARMUP times, then REPEAT times with django.test.Client logged in as committee
staff of the whole tree (the Django admin changelist of members as the superuser, the public pledge
board anonymously); p50/p95/max are wall time of the whole request in process, the query count is
that of one more request.
"""

import argparse
import base64
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEAT = 30
WARMUP = 3
TARGET_P95_MS = 100


# Bench-only keys for the encrypted personal fields (members/pii.py), so that production settings
# (DEBUG off) load; seed_scale must run with the same ones, which --seed sees to.
BENCH_PII_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"xianfeng-bench-pii").digest()).decode()
BENCH_PII_HASH_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"xianfeng-bench-pii-hash").digest()).decode()


def configure(db: str) -> None:
    os.environ.setdefault("XIANFENG_PII_KEYS", BENCH_PII_KEY)
    os.environ.setdefault("XIANFENG_PII_HASH_KEY", BENCH_PII_HASH_KEY)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "XIANFENG_DB_ENGINE": "postgresql",
            "XIANFENG_DB_NAME": db,
            "XIANFENG_DEBUG": "0",
            "XIANFENG_SSL_REDIRECT": "0",
            "XIANFENG_SECURE_COOKIES": "0",
        }
    )


def report_for(root, campaign, staff):
    """The progress report of the whole tree, drafted once (the page previews its latest version)."""
    from django.utils import timezone

    from reports.drafting import PROGRESS
    from reports.models import Report
    from reports.services import report_create

    report = Report.objects.filter(org=root, campaign=campaign).order_by("id").first()
    if report is None:
        started = time.perf_counter()
        report = report_create(
            org=root,
            campaign=campaign,
            period_start=campaign.starts_on,
            period_end=min(campaign.ends_on, timezone.localdate()),
            template=PROGRESS,
            by=staff,
        )
        print(f"(drafted the report of the whole tree in {time.perf_counter() - started:.1f}s)")
    return report


def pages():
    """(label, who, url) for every main page; who is 'staff', 'admin' or 'anonymous'."""
    from django.urls import reverse

    from accounts.models import User
    from branches.models import Organization
    from campaigns.models import Campaign
    from evaluations.models import Round
    from members.models import Member
    from pledges.models import BoardLink
    from portal.scale.builder import ROOT_CODE, STAFF_USERNAME

    root = Organization.objects.get(depth=1, code=ROOT_CODE)
    committee = Organization.objects.filter(depth=2).order_by("path").first()
    campaign = Campaign.objects.filter(org=root).order_by("-starts_on").first()
    link = BoardLink.objects.filter(campaign=campaign, revoked_at__isnull=True).first()
    round_ = Round.objects.filter(owner=root).order_by("-opens_at").first()
    staff = User.objects.get(username=STAFF_USERNAME)
    report = report_for(root, campaign, staff)
    branch = Organization.objects.filter(path__startswith=committee.path, kind="branch").order_by("path").first()
    members = reverse("members:member_list")
    sample = Member.objects.filter(org__path__startswith=committee.path).order_by("id")[500]
    return [
        ("home", "staff", reverse("home")),
        ("dashboard", "staff", reverse("reports:dashboard")),
        # The dashboard keeps its figures a few minutes (reports/figures/cache.py). "after a write": a
        # branch below wrote just before every request, which outdates them; a province (reports/
        # dashboard.py) then shows the last figures while the worker counts, a 党委 counts in the
        # request. "first count": nothing kept (the first visit, or "Count again"): counted in the request.
        ("dashboard, after a write below", "staff", reverse("reports:dashboard"), lambda: bump(branch)),
        ("dashboard, first count", "staff", reverse("reports:dashboard"), forget_all),
        (
            "dashboard of a 党委, after a write below",
            "staff",
            reverse("reports:dashboard") + f"?org={committee.pk}",
            lambda: bump(branch),
        ),
        (
            "dashboard of a 党委, first count",
            "staff",
            reverse("reports:dashboard") + f"?org={committee.pk}",
            forget_all,
        ),
        ("org tree", "staff", reverse("branches:org_tree")),
        ("member list, stage filter", "staff", reverse("members:member_list") + "?stage=probationary"),
        ("member list, page 1", "staff", reverse("members:member_list")),
        ("member list, deep page", "staff", members + "?page=999999"),  # clamps to the last reachable page
        ("member list, name search", "staff", members + "?" + urlencode({"q": sample.name})),
        ("member list, ID-tail search", "staff", members + "?" + urlencode({"q": sample.id_number[-4:]})),
        ("member list, org filter", "staff", members + f"?org={committee.pk}"),
        ("pledge board (branch)", "staff", reverse("pledges:board", args=[link.org_id])),
        ("pledge board (public link)", "anonymous", reverse("pledges:board_public", args=[link.token])),
        ("pledge list", "staff", reverse("pledges:pledge_list")),
        # A surname one person in a hundred bears, and a given name's first character twice as common.
        ("pledge list, search 王", "staff", reverse("pledges:pledge_list") + "?" + urlencode({"q": "王"})),
        ("pledge list, search 伟", "staff", reverse("pledges:pledge_list") + "?" + urlencode({"q": "伟"})),
        ("approval queue", "staff", reverse("pledges:queue")),
        ("activity list", "staff", reverse("activities:activity_list")),
        ("review ledger", "staff", reverse("reviews:review_list")),
        ("review coverage", "staff", reverse("reviews:coverage")),
        ("evaluation results", "staff", reverse("evaluations:results", args=[round_.pk])),
        ("report preview", "staff", reverse("reports:report_detail", args=[report.pk])),
        ("admin member changelist (baseline)", "admin", "/admin/members/member/"),
    ]


def forget_all() -> None:
    from django.core.cache import caches

    for alias in ("default", "figures"):
        caches[alias].clear()


def bump(org) -> None:
    from reports.figures.cache import bump as bump_figures

    bump_figures(org)


def measure(repeat: int, budget: float, only: list[str] | None = None) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from portal.scale.builder import ADMIN_USERNAME, STAFF_USERNAME

    clients = {"anonymous": Client(), "staff": Client(), "admin": Client()}
    clients["staff"].force_login(User.objects.get(username=STAFF_USERNAME))
    clients["admin"].force_login(User.objects.get(username=ADMIN_USERNAME))
    rows = []
    for label, who, url, *before in pages():
        prepare = before[0] if before else None
        if only and not any(word in label for word in only):
            continue
        client = clients[who]
        timings = []
        page_started = time.perf_counter()
        for n in range(WARMUP + repeat):
            if n > WARMUP and time.perf_counter() - page_started > budget:
                break  # a very slow page: fewer samples, said in the "n" column
            if prepare:
                prepare()
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (label, url, response.status_code)
            if n >= WARMUP:
                timings.append(elapsed)
        if prepare:
            prepare()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        row = {
            "page": label,
            "url": url,
            "user": who,
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
            "max_ms": round(timings[-1], 1),
            "queries": len(queries),
            "n": len(timings),
            "bytes": len(response.content),
        }
        rows.append(row)
        met = "met" if row["p95_ms"] < TARGET_P95_MS else "MISSED"
        print(
            f"{label:<38}{row['p50_ms']:>8.1f}{row['p95_ms']:>8.1f}{row['max_ms']:>8.1f}{row['queries']:>8}"
            f"{row['n']:>4}  {met}",
            flush=True,
        )
    return rows


def seed(db: str, extra: list[str]) -> None:
    """Create the scratch database if needed, migrate it and run seed_scale with the bench settings."""
    import psycopg2

    if not db.startswith("xianfeng_scale"):
        raise SystemExit("bench databases are named xianfeng_scale*")
    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{db}"')
    conn.close()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, cwd=ROOT, env=os.environ.copy())
    started = time.perf_counter()
    subprocess.run([*manage, "seed_scale", *extra], check=True, cwd=ROOT, env=os.environ.copy())
    print(f"seed_scale took {time.perf_counter() - started:.1f}s in all")


def render_pdf(repeat: int = 3) -> None:
    """Time the PDF of the whole tree's report (the one the preview shows)."""
    from reports import phrasing
    from reports.models import Report
    from reports.outputs import Document, render

    report = Report.objects.order_by("id").first()
    version = report.versions.order_by("-number").first()
    document = Document(
        version.content, final=True, signature_name=report.org.name, signed_on=phrasing.chinese_date(report.period_end)
    )
    times, pages, size = [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        pdf, pages = render(document, "pdf")
        times.append(time.perf_counter() - started)
        size = len(pdf)
    print(
        f"report PDF: median {statistics.median(times):.2f}s, worst {max(times):.2f}s over {repeat} renders; "
        f"{pages} pages, {size / 1024:.0f} KB"
    )


def sizes() -> dict:
    from portal.scale.builder import counts

    return counts()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("XIANFENG_SCALE_DB", "xianfeng_scale"))
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--budget", type=float, default=60, help="seconds per page at most (fewer samples)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--seed", action="store_true", help="build the data set first (seed_scale --reset)")
    parser.add_argument("--small", action="store_true", help="with --seed: the --small preset")
    parser.add_argument("--only", action="append", help="measure only the pages whose label contains this (repeatable)")
    parser.add_argument("--pdf", action="store_true", help="also time the PDF render of the report")
    args = parser.parse_args()
    configure(args.db)
    if args.seed:
        seed(args.db, ["--reset"] + (["--small"] if args.small else []))
    import django

    django.setup()
    data = sizes()
    print(f"database {args.db}: " + ", ".join(f"{k} {v:,}" for k, v in data.items()))
    print(f"\n{'page':<38}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'queries':>8}{'n':>4}  p95 < {TARGET_P95_MS} ms")
    rows = measure(args.repeat, args.budget, args.only)
    from django_tasks_db.models import DBTaskResult

    # The recounts the "after a write" rows queued for a worker that is not running here.
    DBTaskResult.objects.filter(task_path="reports.tasks.recount_dashboard").delete()
    if args.pdf:
        render_pdf()
    if args.json:
        Path(args.json).write_text(
            json.dumps({"db": args.db, "sizes": data, "pages": rows}, ensure_ascii=False, indent=1)
        )


if __name__ == "__main__":
    main()
