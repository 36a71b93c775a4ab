"""manage.py seed_scale: a province-sized data set for the benchmarks (bench/pages.py, bench/load.py)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from branches.models import Organization
from portal.scale.builder import SCALE_PASSWORD, SMALL, STAFF_USERNAME, Sizes, build, reset


class Command(BaseCommand):
    help = (
        "生成规模测试数据（默认 15,000 个党组织、30 万党员、60 万承诺、10 万次活动、100 万份评议答卷），"
        "仅限临时数据库。"
    )

    def add_arguments(self, parser):
        default = Sizes()
        parser.add_argument("--orgs", type=int, default=default.orgs)
        parser.add_argument("--members", type=int, default=default.members)
        parser.add_argument("--pledges", type=int, default=default.pledges)
        parser.add_argument("--activities", type=int, default=default.activities)
        parser.add_argument("--responses", type=int, default=default.responses)
        parser.add_argument("--seed", type=int, default=default.seed)
        parser.add_argument("--small", action="store_true", help="小规模预设，用于快速检查。")
        parser.add_argument("--force", action="store_true", help="即使数据库不是临时库也执行。")
        parser.add_argument("--reset", action="store_true", help="先清空所有数据表再生成。")

    def handle(self, *args, **opts):
        name = str(connection.settings_dict.get("NAME") or "")
        scratch = settings.DEMO_DATABASE or name.startswith(("xianfeng_scale", "test_"))
        if not scratch and not opts["force"]:
            raise CommandError(
                f"数据库 {name} 不是临时库（名称不以 xianfeng_scale 开头，也未标记为演示库），拒绝写入。"
                "确需写入请加 --force。"
            )
        if opts["small"]:
            sizes = Sizes(**{**SMALL.__dict__, "seed": opts["seed"]})
        else:
            sizes = Sizes(
                orgs=opts["orgs"],
                members=opts["members"],
                pledges=opts["pledges"],
                activities=opts["activities"],
                responses=opts["responses"],
                seed=opts["seed"],
            )
        if opts["reset"]:
            reset()
        elif Organization.objects.exists():
            raise CommandError("数据库中已有党组织。要先清空再生成，请加 --reset。")
        started = time.perf_counter()
        result = build(sizes, log=self.stdout.write)
        for label, count in result.counts.items():
            self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(f"规模测试数据已生成，用时 {time.perf_counter() - started:.1f} 秒。")
            + f"\n登录：{STAFF_USERNAME}（全树组织部干事）、scale_admin（超级用户），密码 {SCALE_PASSWORD}"
        )
