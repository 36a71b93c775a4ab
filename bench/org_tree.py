"""The org tree at 15,000 nodes: the root page, expanding nodes, and searching, timed in process.

    .venv/bin/python bench/org_tree.py [--pg] [--members-per-branch N]

Builds a scratch database (/tmp/xianfeng-bench-orgtree.sqlite3, or with --pg the PostgreSQL
database xianfeng_bench_orgtree at 127.0.0.1:5432) holding one tree in five levels:
1 working committee -> 20 committees -> 200 general branches -> 2,400 branches -> 12,379 party
groups (15,000 orgs), a secretary for every committee and branch, and N party members per branch.
Then requests the pages through Django's test client, as a superuser and as the staff of one
committee, and prints the median time and the number of queries of each.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEVELS = (1, 20, 200, 2_400, 12_379)  # nodes per level; 15,000 in all
REPEAT = 7


def configure(pg: bool) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["XIANFENG_DEBUG"] = "0"
    os.environ["XIANFENG_SECURE_COOKIES"] = "0"
    os.environ["XIANFENG_SSL_REDIRECT"] = "0"
    if pg:
        import psycopg2

        os.environ["XIANFENG_DB_ENGINE"] = "postgresql"
        os.environ["XIANFENG_DB_NAME"] = "xianfeng_bench_orgtree"
        connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS xianfeng_bench_orgtree")
            cursor.execute("CREATE DATABASE xianfeng_bench_orgtree")
        connection.close()
    else:
        path = Path("/tmp/xianfeng-bench-orgtree.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["XIANFENG_SQLITE_PATH"] = str(path)
        os.environ["XIANFENG_DB_ENGINE"] = "sqlite"


def build(members_per_branch: int):
    """Bulk-writes the tree with treebeard's own path scheme (add_child would take minutes)."""
    from branches.models import LeadershipPost, Organization, OrgCategory, OrgKind, Post
    from members.models import Member

    kinds = (OrgKind.WORKING_COMMITTEE, OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.GROUP)
    words = ("工委", "党委", "党总支", "党支部", "党小组")
    categories = list(OrgCategory.values)
    levels: list[list[Organization]] = []
    serial = 0
    for depth, (count, kind, word) in enumerate(zip(LEVELS, kinds, words, strict=True), start=1):
        parents = levels[-1] if levels else [None]
        rows = []
        for i in range(count):
            parent = parents[i % len(parents)]
            serial += 1
            rows.append(
                Organization(
                    name=f"第{i + 1}{word}" if depth > 1 else "基准市直机关工委",
                    code=f"B{serial:05d}",
                    kind=kind,
                    category=categories[i % len(categories)],
                    depth=depth,
                    path="",
                    numchild=0,
                )
            )
            rows[-1]._parent = parent
        # Children in order under each parent: the step is the child's position among its siblings.
        position: dict[int, int] = {}
        for org in rows:
            parent = org._parent
            key = id(parent)
            position[key] = position.get(key, 0) + 1
            org.path = Organization._get_path(parent.path if parent else None, depth, position[key])
            if parent is not None:
                parent.numchild += 1
        levels.append(rows)
    for depth_rows in levels:
        Organization.objects.bulk_create(depth_rows, batch_size=2_000)
    for depth_rows in levels[:-1]:
        Organization.objects.bulk_update(depth_rows, ["numchild"], batch_size=2_000)

    branches = levels[3]
    members = []
    for b, branch in enumerate(branches):
        for m in range(members_per_branch):
            members.append(
                Member(org=branch, name=f"党员{b}-{m}", id_number=f"B{b:08d}{m:09d}"[:18], stage="full", phone="")
            )
    Member.objects.bulk_create(members, batch_size=5_000)
    from members.headcount import rebuild_all  # bulk_create sends no signals; the tree reads the counts

    rebuild_all()
    first_member = {}
    for member_id, org_id in Member.objects.order_by("id").values_list("id", "org_id"):
        first_member.setdefault(org_id, member_id)
    # Committees take a secretary from the first branch under them; branches from their own roll.
    posts = [
        LeadershipPost(org_id=branch.pk, member_id=first_member[branch.pk], post=Post.SECRETARY)
        for branch in branches
        if branch.pk in first_member
    ]
    for org in levels[1] + levels[2]:
        below = next((b for b in branches if b.path.startswith(org.path) and b.pk in first_member), None)
        if below is not None:
            posts.append(LeadershipPost(org_id=org.pk, member_id=first_member[below.pk], post=Post.SECRETARY))
    LeadershipPost.objects.bulk_create(posts, batch_size=5_000)
    return levels, len(members)


def measure(client, path: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, headers={"HX-Request": "true"} if "children" in path else {})
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), len(queries), response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="use a scratch PostgreSQL database")
    parser.add_argument("--members-per-branch", type=int, default=40)
    args = parser.parse_args()
    configure(args.pg)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from branches.models import Organization, Role, RoleAssignment

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    levels, n_members = build(args.members_per_branch)
    print(
        f"built {Organization.objects.count():,} orgs in {len(levels)} levels and {n_members:,} members "
        f"in {time.perf_counter() - started:.1f} s ({'PostgreSQL' if args.pg else 'SQLite'})"
    )

    # The bulk-written paths must be a tree treebeard itself accepts.
    problems = Organization.objects.find_problems()
    assert not any(problems), problems
    assert Organization.objects.children_of(levels[0][0]).count() == LEVELS[1]

    admin = User.objects.create(username="bench_admin", is_superuser=True, is_staff=True)
    staff = User.objects.create(username="bench_staff")
    committee = levels[1][0]
    RoleAssignment.objects.create(user=staff, org=committee, role=Role.STAFF)
    root = levels[0][0]
    general_branch = levels[2][0]
    branch = levels[3][0]

    cases = [
        ("superuser", admin, "root page", reverse("branches:org_tree")),
        (
            "superuser",
            admin,
            f"expand root ({root.numchild} children)",
            reverse("branches:org_children", args=[root.pk]),
        ),
        (
            "superuser",
            admin,
            f"expand committee ({committee.numchild} children)",
            reverse("branches:org_children", args=[committee.pk]),
        ),
        (
            "superuser",
            admin,
            f"expand general branch ({general_branch.numchild} children)",
            reverse("branches:org_children", args=[general_branch.pk]),
        ),
        ("superuser", admin, "search name '第12党支部'", reverse("branches:org_tree") + "?q=第12党支部"),
        ("superuser", admin, "search name '党小组' (12,379 hits, page 1)", reverse("branches:org_tree") + "?q=党小组"),
        ("superuser", admin, f"search code '{branch.code}'", reverse("branches:org_tree") + f"?q={branch.code}"),
        ("staff", staff, "root page (one committee)", reverse("branches:org_tree")),
        ("staff", staff, "expand committee", reverse("branches:org_children", args=[committee.pk])),
        ("staff", staff, "search name '党支部' in scope", reverse("branches:org_tree") + "?q=党支部"),
        ("superuser", admin, "org page of the root", reverse("branches:org_detail", args=[root.pk])),
    ]
    print(f"{'user':<10} {'request':<48} {'median ms':>10} {'queries':>8}")
    for who, user, label, path in cases:
        client = Client()
        client.force_login(user)
        ms, n_queries, _ = measure(client, path)
        print(f"{who:<10} {label:<48} {ms:>10.1f} {n_queries:>8}")


if __name__ == "__main__":
    main()
