"""Remove what an earlier seed_demo wrote: the five units' trees, their people, the demo logins."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from activities.models import Activity
from appraisals.models import AppraisalRound, SelectionRound
from audit.models import HistoryEntry
from branches.models import Area, LeadershipPost, Organization
from campaigns.models import Campaign
from evaluations.models import Round as EvaluationRound
from members import headcount
from members.models import Member
from pledges import tally
from pledges.models import Pledge
from reports.models import Report
from reviews.models import RectificationItem, Review

from .accounts import DEMO_USERNAMES
from .context import HISTORY_NOTE
from .units import UNIT_CODES


def reset_demo() -> int:
    roots = list(Organization.objects.filter(depth=1, code__in=UNIT_CODES))
    for root in roots:
        # Reviews and rectification items protect their org, campaign and people; first out.
        RectificationItem.objects.filter(org__path__startswith=root.path).delete()
        Review.objects.filter(
            Q(org__path__startswith=root.path) | Q(campaign__org__path__startswith=root.path)
        ).delete()
        # Pledges protect their campaign, member and org; their items, steps and progress go with them.
        with tally.deferred():  # one recount per board, not one per pledge and item
            Pledge.objects.filter(
                Q(org__path__startswith=root.path) | Q(campaign__org__path__startswith=root.path)
            ).delete()
        # Appraisals and selections protect their org and members; entries, ballots, tallies,
        # candidates and decisions go with them.
        AppraisalRound.objects.filter(org__path__startswith=root.path).delete()
        SelectionRound.objects.filter(owner__path__startswith=root.path).delete()
        # Reports made on the demo protect their org and campaign; versions and files go with them.
        Report.objects.filter(
            Q(org__path__startswith=root.path) | Q(campaign__org__path__startswith=root.path)
        ).delete()
        # Mass evaluation rounds protect their org; questions, codes, sheets and answers go with them.
        EvaluationRound.objects.filter(owner__path__startswith=root.path).delete()
        # Campaigns protect their org; their phases and carriers go with them.
        Campaign.objects.filter(org__path__startswith=root.path).delete()
        people = Member.objects.filter(org__path__startswith=root.path)
        Activity.objects.filter(org__path__startswith=root.path).delete()  # activities protect their org
        LeadershipPost.objects.filter(Q(org__path__startswith=root.path) | Q(member__in=people)).delete()
        Area.objects.filter(owner__path__startswith=root.path).delete()
        with headcount.deferred():  # one recount for all the people, not one per person
            people.delete()
        Organization.objects.filter(path__startswith=root.path).delete()
    get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()
    HistoryEntry.objects.filter(source=HistoryEntry.Source.SYSTEM, note=HISTORY_NOTE).delete()
    return len(roots)
