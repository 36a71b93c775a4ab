"""The figures of a report or the dashboard for (org, campaign, period), computed from the data.

Each subject has its module and calls the owning app's own statistics (branches, pledges.stats,
activities.compliance …) instead of counting again. The number of queries is fixed: grouped
queries over the subtree, never one per branch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from config.db_router import reading_from_replica

from .activities import ActivityFigures, activity_figures
from .appraisals import AppraisalFigures, appraisal_figures
from .evaluations import EvaluationFigures, evaluation_figures
from .lagging import LaggingBranch, lagging_branches
from .orgs import OrgFigures, org_figures
from .pledges import PledgeFigures, pledge_figures
from .reviews import ReviewFigures, review_figures


@dataclass
class Figures:
    org: object
    campaign: object
    start: date
    end: date
    orgs: OrgFigures
    activities: ActivityFigures
    reviews: ReviewFigures
    evaluations: EvaluationFigures
    appraisals: AppraisalFigures
    pledges: PledgeFigures | None = None  # None without a campaign
    lagging: list[LaggingBranch] = field(default_factory=list)
    baseline: ActivityFigures | None = None  # the period compared with, when one is given


def compute(
    org, campaign, start: date, end: date, *, baseline: tuple[date, date] | None = None, today=None, pledges=None
):
    """Everything a report says about the subtree of ``org``; nothing outside it is read.

    ``pledges`` counts the pledge figures instead of ``pledge_figures`` (the dashboard's reuses kept ones).

    The reads go to the read replica when one is configured and no write transaction is open
    (config/db_router.py): the dashboard reads there, a report drafted inside its save stays on default.
    """
    with reading_from_replica():
        return _compute(org, campaign, start, end, baseline=baseline, today=today, pledges=pledges or pledge_figures)


def _compute(org, campaign, start: date, end: date, *, baseline, today, pledges):
    today = today or timezone.localdate()
    as_of = min(end, today)
    activities = activity_figures(org, start, end, today=today)
    pledges = pledges(org, campaign, today=as_of) if campaign is not None else None
    reviews = review_figures(org, campaign, start, end, today=as_of, baseline=baseline)
    evaluations = evaluation_figures(org, campaign, start, end)
    return Figures(
        org=org,
        campaign=campaign,
        start=start,
        end=end,
        orgs=org_figures(org),
        activities=activities,
        pledges=pledges,
        reviews=reviews,
        evaluations=evaluations,
        appraisals=appraisal_figures(org, start, end),
        lagging=lagging_branches(activities, pledges, reviews, evaluations),
        baseline=activity_figures(org, baseline[0], baseline[1], today=today) if baseline else None,
    )
