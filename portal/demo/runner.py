"""The demo build as a list of steps; later features append theirs (campaigns, pledges, reviews …)."""

import time

from .accounts import write_accounts
from .activities import write_activities
from .appraisals import write_appraisals
from .campaigns import write_campaigns
from .context import SeedContext
from .evaluations import write_evaluations
from .history import write_history
from .members import write_members
from .orgs import write_orgs
from .pledges import write_pledges
from .reviews import write_reviews
from .units import finish_units, plan_units

# (label, step): each step takes the context and returns a short result to print.
STEPS = [
    ("规划五个单位", plan_units),
    ("党组织", write_orgs),
    ("党员、入党积极分子与党内职务", write_members),
    ("联系点与片区", finish_units),
    ("演示账号", write_accounts),
    ("历史记录", write_history),
    ("主题活动（阶段与载体）", write_campaigns),
    ("三会一课等组织生活（近一年）", write_activities),
    ("公开承诺（各环节、践诺进展与公示栏链接）", write_pledges),
    ("民主评议党员与选树先进典型", write_appraisals),
    ("领导点评与整改台账（挂牌销号）", write_reviews),
    ("群众评议（五个好，答卷与意见）", write_evaluations),
]


def run(ctx: SeedContext, steps=None) -> None:
    for label, step in steps or STEPS:
        started = time.perf_counter()
        result = step(ctx)
        ctx.log(f"  {label}: {result}（{time.perf_counter() - started:.1f} 秒）")
