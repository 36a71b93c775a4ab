"""One mass evaluation (群众评议) per unit's campaign, open today, with answers enough for the charts.

Each round is run by the unit's top org over up to eight of its branches, opened twelve days ago and
closing in eighteen (around ``ctx.today``), with the 五个好 questionnaire and an open link. Answers
lean to 满意 as the reports describe, with a couple of branches doing worse so the results show
what low satisfaction looks like; a few carry comments.
"""

import random
import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone

from audit.models import HistoryEntry
from audit.services import build_entries, diff, snapshot
from branches.models import OrgKind
from campaigns.models import Campaign
from evaluations import tallies
from evaluations.models import (
    DEFAULT_COMMENT_PROMPT,
    FIVE_GOODS,
    Answer,
    Question,
    QuestionKind,
    Rating,
    Response,
    Round,
)

from .context import HISTORY_NOTE, SeedContext

MAX_TARGETS = 8
COMMENTS = [
    "支部党员带头参加社区志愿服务，群众看得见、信得过。",
    "希望公开承诺的事项按时兑现，进展多在公示栏更新。",
    "党员服务电话有时打不通，建议安排专人值守。",
    "组织生活会开得实在，提出的问题都有回应。",
    "老旧小区的路灯问题反映过几次，希望尽快解决。",
    "党员先锋岗服务热情，办事效率明显提高。",
    "建议多开展面向群众的政策宣讲，讲得通俗一些。",
]
# Shares of 满意 / 基本满意 / 不满意 / 不了解: most branches do well, a "weak" one less so.
GOOD = (0.68, 0.22, 0.04, 0.06)
WEAK = (0.40, 0.28, 0.24, 0.08)


def _aware(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def write_evaluations(ctx: SeedContext) -> str:
    # Its own random source, so adding this step does not change what the other steps draw.
    rng = random.Random(f"{ctx.seed}-evaluations")
    today = getattr(ctx, "today", None) or timezone.localdate()
    rounds, responses, answers = [], [], []
    for unit in ctx.units.values():
        root = unit.root.org
        campaign = Campaign.objects.filter(org=root).order_by("-starts_on").first()
        if campaign is None:
            continue
        branches = [n.org for n in unit.root.descendants() if n.kind == OrgKind.BRANCH and n.is_active]
        if not branches:
            continue
        targets = sorted(rng.sample(branches, min(MAX_TARGETS, len(branches))), key=lambda o: o.path)
        opens_on = today - timedelta(days=12)
        round_ = Round.objects.create(
            owner=root,
            title=f"{root.short_name or root.name}“五个好”群众评议",
            campaign=campaign,
            opens_at=_aware(opens_on, 8),
            closes_at=_aware(today + timedelta(days=18), 18),
            allow_open_link=True,
            intro="请您对照“五个好”标准，对所在单位党组织的工作作出评价。评议不记名。",
        )
        round_.targets.set(targets)
        questions = Question.objects.bulk_create(
            [Question(round=round_, text=str(text), position=i) for i, text in enumerate(FIVE_GOODS)]
            + [Question(round=round_, text=str(DEFAULT_COMMENT_PROMPT), kind=QuestionKind.COMMENT, position=99)]
        )
        rated = [q for q in questions if q.kind == QuestionKind.RATING]
        weak = set(rng.sample([t.pk for t in targets], max(1, len(targets) // 4)))
        for org in targets:
            shares = WEAK if org.pk in weak else GOOD
            for _ in range(rng.randint(24, 60)):
                response = Response(
                    id=uuid.uuid4(),
                    round=round_,
                    target_org=org,
                    created_on=opens_on + timedelta(days=rng.randint(0, 12)),
                    comment=rng.choice(COMMENTS) if rng.random() < 0.12 else "",
                )
                responses.append(response)
                for question in rated:
                    rating = rng.choices(Rating.values, weights=shares)[0]
                    answers.append(Answer(id=uuid.uuid4(), response=response, question=question, rating=rating))
        rounds.append(round_)
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    for round_ in rounds:  # written in bulk, past the service that counts them
        tallies.rebuild(round_)
    entries = build_entries(
        ((r, HistoryEntry.Action.CREATE, diff({}, snapshot(r))) for r in rounds),
        actor=None,
        source=HistoryEntry.Source.SYSTEM,
        note=HISTORY_NOTE,
    )
    HistoryEntry.objects.bulk_create(entries)
    return f"{len(rounds)} 次群众评议，{len(responses)} 份答卷"
