"""The three documents, section by section: which sentences and tables go where."""

from __future__ import annotations

from .. import phrasing as P
from ..content import section
from ..figures import Figures
from .common import _campaign_name, _period, _short
from .sentences import (
    activities,
    appraisals,
    campaign_progress,
    categories,
    evaluations,
    kind_counts,
    next_steps,
    participation,
    pledges,
    problems,
    rectification,
    reviews,
)
from .tables import (
    _tables,
    activity_numbers,
    appraisal_tables,
    category_table,
    compliance_table,
    evaluation_table,
    lagging_numbers,
    lagging_tables,
    month_table,
    org_numbers,
    org_table,
    parts_table,
    pledge_numbers,
    pledge_table,
    result_numbers,
    review_table,
)

PROGRESS, EXPERIENCE, SPEECH = "progress", "experience", "speech"


def draft(figures: Figures, template: str, *, as_of) -> dict:
    builder = {PROGRESS: _progress, EXPERIENCE: _experience, SPEECH: _speech}[template]
    content = builder(figures, as_of)
    content.update(
        template=template,
        org=figures.org.name,
        campaign=_campaign_name(figures),
        period={"start": figures.start.isoformat(), "end": figures.end.isoformat()},
    )
    return content


def _opening(figures: Figures, template: str) -> str:
    return template.format(campaign=_campaign_name(figures), org=_short(figures.org), **_period(figures))


def _progress(figures: Figures, as_of) -> dict:
    return {
        "title": P.PROGRESS_TITLE.format(campaign=_campaign_name(figures)),
        "subtitle": "",
        "sections": [
            section("opening", "", [_opening(figures, P.PROGRESS_OPENING)]),
            section(
                "progress",
                P.heading(1, "进展情况及主要作法"),
                [
                    "".join(participation(figures)),
                    categories(figures),
                    "".join(campaign_progress(figures, as_of)),
                    "".join(activities(figures)),
                    "".join(reviews(figures)),
                ],
                tables=_tables(
                    org_table(figures),
                    parts_table(figures),
                    category_table(figures),
                    month_table(figures),
                    review_table(figures),
                ),
                figures=org_numbers(figures) + activity_numbers(figures),
            ),
            section(
                "results",
                P.heading(2, "取得的初步成效"),
                [
                    "".join(pledges(figures)),
                    "".join(rectification(figures)),
                    "".join(evaluations(figures)),
                    "".join(appraisals(figures)),
                ],
                tables=_tables(
                    pledge_table(figures),
                    compliance_table(figures),
                    evaluation_table(figures),
                    appraisal_tables(figures),
                ),
                figures=pledge_numbers(figures) + result_numbers(figures),
            ),
            section(
                "problems",
                P.heading(3, "存在的主要问题"),
                problems(figures),
                tables=lagging_tables(figures),
                figures=lagging_numbers(figures),
            ),
            section("next", P.heading(4, "下阶段工作安排"), ["".join(next_steps(figures, as_of))]),
        ],
    }


def _experience(figures: Figures, as_of) -> dict:
    carriers = [c.name for c in figures.campaign.carriers.all()] if figures.campaign is not None else []
    title_carrier = P.quoted(carriers[0]) if carriers else _campaign_name(figures)
    return {
        "title": P.EXPERIENCE_TITLE.format(campaign=title_carrier),
        "subtitle": "",
        "sections": [
            section("opening", "", [_opening(figures, P.EXPERIENCE_OPENING)]),
            section(
                "mechanism",
                P.heading(1, "完善工作机制，夯实组织基础"),
                ["".join(participation(figures)), categories(figures), "".join(campaign_progress(figures, as_of))],
                tables=_tables(org_table(figures), parts_table(figures), category_table(figures)),
                figures=org_numbers(figures),
            ),
            section(
                "carriers",
                P.heading(2, "依托活动载体，扎实开展争创活动"),
                [
                    "".join(activities(figures)),
                    "".join(pledges(figures)),
                    "".join(reviews(figures)),
                    "".join(rectification(figures)),
                    "".join(evaluations(figures)),
                    "".join(appraisals(figures)),
                ],
                tables=_tables(
                    month_table(figures),
                    compliance_table(figures),
                    pledge_table(figures),
                    review_table(figures),
                    evaluation_table(figures),
                    appraisal_tables(figures),
                ),
                figures=activity_numbers(figures) + pledge_numbers(figures) + result_numbers(figures),
            ),
            section(
                "outlook",
                P.heading(3, "存在的问题和下一步打算"),
                [*problems(figures), "".join(next_steps(figures, as_of))],
                tables=lagging_tables(figures),
                figures=lagging_numbers(figures),
            ),
        ],
    }


def _speech(figures: Figures, as_of) -> dict:
    counts = "、".join([*kind_counts(figures.orgs), P.MEMBER_COUNT.format(n=figures.orgs.members)])
    campaign = figures.campaign
    since = (
        P.SPEECH_SINCE.format(
            campaign="创先争优活动", month=f"{campaign.starts_on.month}月份", counts=f"{_short(figures.org)}{counts}"
        )
        if campaign is not None and figures.orgs.members
        else ""
    )
    return {
        "title": P.SPEECH_TITLE,
        "subtitle": P.SPEECH_SUBTITLE.format(org=_short(figures.org), campaign=_campaign_name(figures)),
        "sections": [
            section(
                "opening",
                "",
                [
                    P.SPEECH_ADDRESS,
                    P.SPEECH_OPENING.format(org=_short(figures.org), campaign=_campaign_name(figures)),
                    since,
                ],
            ),
            section(
                "situation",
                P.heading(1, "认清形势，进一步增强创先争优活动的责任感和紧迫感"),
                [
                    "".join(participation(figures)),
                    "".join(campaign_progress(figures, as_of)),
                    "".join(activities(figures)),
                    "".join(pledges(figures)),
                    "".join(reviews(figures) + rectification(figures)),
                    "".join(evaluations(figures) + appraisals(figures)),
                    P.SPEECH_PROBLEMS + problems(figures)[0].split("：", 1)[-1],
                ],
                tables=_tables(org_table(figures), month_table(figures), pledge_table(figures)),
                figures=org_numbers(figures)
                + activity_numbers(figures)
                + pledge_numbers(figures)
                + result_numbers(figures),
            ),
            section(
                "requirements",
                P.heading(2, "把握要求，深入推进创先争优活动"),
                ["".join(next_steps(figures, as_of)[1:]), P.SPEECH_CLOSING],
                tables=lagging_tables(figures),
                figures=lagging_numbers(figures),
            ),
        ],
    }
