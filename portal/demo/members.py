"""Write the people: party members in every org, a few in the pipeline, their posts and steps."""

from __future__ import annotations

from datetime import timedelta

from branches.models import LeadershipPost, OrgKind
from members import headcount
from members.models import Member, Stage, StageStep

from .context import SeedContext
from .posts import plan_posts
from .tree import Unit

PIPELINE_STAGES = {Stage.APPLICANT: 35, Stage.ACTIVIST: 40, Stage.CANDIDATE: 25}
STEP_NOTES = {
    Stage.APPLICANT: "递交入党申请书",
    Stage.ACTIVIST: "党员推荐、群团推优，支委会研究确定",
    Stage.CANDIDATE: "支委会讨论，公示期满无异议，报上级党委预审",
    Stage.PROBATIONARY: "支部党员大会票决通过，上级党委审批",
}


def _make_people(ctx: SeedContext, unit: Unit) -> None:
    maker = ctx.people_maker
    for node in unit.root.walk():
        if len(node.named) > node.members:
            raise ValueError(f"{node.name}: more named people than members")
        for named in node.named:
            member = maker.member(unit.key, node, named=named)
            node.people.append(member)
            if named.handle:
                ctx.people[named.handle] = member
        for _ in range(node.members - len(node.named)):
            node.people.append(maker.member(unit.key, node, stage=maker.stage_for(node)))


def _add_pipeline(ctx: SeedContext, unit: Unit) -> None:
    rng = ctx.rng
    branches = [n for n in unit.root.walk() if n.kind == OrgKind.BRANCH and n.is_active and n.profile != "retired"]
    stages = list(PIPELINE_STAGES)
    weights = list(PIPELINE_STAGES.values())
    for _ in range(unit.pipeline):
        node = rng.choice(branches)
        stage = rng.choices(stages, weights)[0]
        node.people.append(ctx.people_maker.member(unit.key, node, stage=stage))
        node.pipeline += 1


def _steps(ctx: SeedContext, member: Member) -> list[StageStep]:
    """Dates walking back from the member's current stage, so every step lies before the demo date."""
    rng = ctx.rng
    order = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY]
    last = order.index(member.stage)
    on = member.joined_on if member.stage == Stage.PROBATIONARY else ctx.as_of - timedelta(days=rng.randrange(15, 240))
    gaps = {Stage.CANDIDATE: (30, 90), Stage.ACTIVIST: (365, 500), Stage.APPLICANT: (60, 300)}
    steps = []
    for index in range(last, -1, -1):
        stage = order[index]
        steps.append(StageStep(member=member, stage=stage, on=on, note=STEP_NOTES[stage]))
        if index:
            low, high = gaps[order[index - 1]]
            on -= timedelta(days=rng.randint(low, high))
    return steps[::-1]


def write_members(ctx: SeedContext) -> int:
    everyone: list[Member] = []
    for unit in ctx.units.values():
        _make_people(ctx, unit)
        _add_pipeline(ctx, unit)
        plan_posts(ctx, unit)
        for node in unit.root.walk():
            everyone.extend(node.people)
    Member.objects.bulk_create(everyone, batch_size=2000)
    LeadershipPost.objects.bulk_create(ctx.posts, batch_size=2000)
    steps = []
    for member in everyone:
        if member.stage != Stage.FULL:
            steps.extend(_steps(ctx, member))
    StageStep.objects.bulk_create(steps, batch_size=2000)
    headcount.rebuild_all()  # bulk_create sends no signals
    return len(everyone)
