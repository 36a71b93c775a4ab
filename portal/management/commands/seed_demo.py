"""manage.py seed_demo: the five source units with their people and a login for every role."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from branches.models import Organization
from branches.stats import subtree_summary
from portal.demo.accounts import DEMO_PASSWORD, DEMO_USERNAMES
from portal.demo.context import DEFAULT_SEED, SeedContext
from portal.demo.reset import reset_demo
from portal.demo.runner import run


class Command(BaseCommand):
    help = "生成演示数据：五个单位的党组织、党员和各角色的演示账号（仅限本地演示数据库）。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="即使数据库未标记为演示库（DEMO_DATABASE）也执行。")
        parser.add_argument("--reset", action="store_true", help="先删除以前生成的演示数据再重新生成。")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机数种子（默认 %(default)s）。")

    def handle(self, *args, force=False, reset=False, seed=DEFAULT_SEED, **options):
        if not settings.DEMO_DATABASE and not force:
            raise CommandError(
                "当前数据库不是本地演示库（DEMO_DATABASE 未开启），拒绝写入演示数据。确需写入请加 --force。"
            )
        started = time.perf_counter()
        with transaction.atomic():
            if reset:
                removed = reset_demo()
                self.stdout.write(f"已删除以前的演示数据（{removed} 个单位）。")
            elif Organization.objects.exists():
                raise CommandError("数据库中已有党组织，未生成演示数据。要先删除以前的演示数据再生成，请加 --reset。")
            ctx = SeedContext(seed=seed, log=self.stdout.write)
            run(ctx)
        for unit in ctx.units.values():
            self.stdout.write(f"{unit.title}：{subtree_summary(unit.root.org).sentence}")
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已生成，用时 {time.perf_counter() - started:.1f} 秒。")
            + f"\n演示账号（密码均为 {DEMO_PASSWORD}）：{', '.join(DEMO_USERNAMES)}"
        )
