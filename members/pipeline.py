"""The development pipeline (入党申请人 → 积极分子 → 发展对象 → 预备党员 → 正式党员) as a dated timeline."""

from dataclasses import dataclass
from datetime import date

from .models import STAGE_ORDER, Member, Stage


@dataclass(frozen=True)
class TimelineStep:
    stage: str
    label: str
    on: date | None
    note: str
    state: str  # "done", "current" or "upcoming"


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def timeline(member: Member) -> list[TimelineStep]:
    steps = {step.stage: step for step in member.stage_steps.all()}
    current = STAGE_ORDER.index(member.stage)
    result = []
    for index, stage in enumerate(STAGE_ORDER):
        step = steps.get(stage)
        state = "done" if index < current else "current" if index == current else "upcoming"
        result.append(
            TimelineStep(
                stage=stage,
                label=str(Stage(stage).label),
                on=step.on if step else None,
                note=step.note if step else "",
                state=state,
            )
        )
    return result
