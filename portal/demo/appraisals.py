"""民主评议党员 and 选树先进典型 for the demo, dated around the real today like the campaigns.

- Appraisals: in each unit a sample of branches held last year's appraisal (closed, every member graded)
  and some hold this year's (at self-appraisal, peer grading or the branch decision). member_demo's branch
  is at peer grading, so that login can hand in a ballot.
- Exemplars: the street committee's 十佳"党旗下的蒲公英" over the five years before this one, 41 honoured
  in all ("评选管区十佳'党旗下的蒲公英'优秀党员41人次"), and this year's under way; the education bureau's
  "象山中学、韩城职专等五个先进基层党组织典型和薛晓民等十余名优秀共产党员典型"; a few more in progress.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from appraisals.models import (
    CRITERIA,
    GRADE_ORDER,
    AppraisalEntry,
    AppraisalPhase,
    AppraisalRound,
    Ballot,
    Candidate,
    CandidateKind,
    CriteriaSet,
    CriterionScore,
    Grade,
    Outcome,
    PeerTally,
    SelectionRound,
    SelectionStatus,
    SelectionStep,
    StepDecision,
    Title,
)
from appraisals.services import default_chain
from audit.models import HistoryEntry
from audit.services import build_entries, diff, snapshot
from branches.access import paths_q
from branches.models import OrgKind
from members.models import Member

from .context import HISTORY_NOTE, SeedContext

# Branches per unit that held last year's appraisal, and this year's phases in order of the branches.
LAST_YEAR_BRANCHES = 8
THIS_YEAR_PHASES = [AppraisalPhase.PEER, AppraisalPhase.SELF, AppraisalPhase.DECIDING, AppraisalPhase.SELF]
STAFF = {
    "zhenjiang": "zhenjiang_staff",
    "yixing": "yixing_staff",
    "dianhua": "dianhua_staff",
    "hancheng": "jiaoyu_staff",
    "zhouzhi": "zhouzhi_staff",
}

SELF_OPENINGS = [
    "本年度，我认真学习党的理论和路线方针政策，按时参加“三会一课”，按期足额交纳党费。",
    "一年来，我坚持把学习放在首位，积极参加支部组织的集中学习和主题党日活动。",
    "今年以来，我围绕创先争优活动要求，立足本职岗位，认真履行党员义务。",
]
SELF_MIDDLES = [
    "在工作中严格要求自己，兑现了年初公开承诺的事项，群众反映较好。",
    "积极参加志愿服务，带头为社区群众办实事，发挥了党员的先锋模范作用。",
    "遵守党的纪律和各项规章制度，廉洁自律，团结同志，服务群众的意识有所增强。",
    "在技术比武和岗位练兵中认真准备，业务能力有了明显提高。",
]
SELF_CLOSINGS = [
    "存在的不足是理论学习还不够深入，今后要进一步加强学习，提高自身素质。",
    "不足之处是联系群众还不够经常，明年要多走访、多倾听群众意见。",
    "今后我将查找差距，继续发扬优点，克服不足，争当优秀共产党员。",
]
DEEDS = [
    "常年义务为楼院老人理发、修理家电，带动身边党员成立楼院便民服务队。",
    "带头认领楼院保洁、护绿护院，组织居民开展邻里互助。",
    "参加民情调查队，走访困难家庭，协调解决群众反映的实际问题。",
    "在社区矫正和调解工作中耐心细致，化解邻里矛盾纠纷多起。",
    "坚持在蒲公英移动学堂送学到户，为老党员、流动党员送书送学。",
    "立足岗位、爱岗敬业，兑现公开承诺，群众满意度高。",
]


def _self_text(rng: random.Random) -> str:
    return rng.choice(SELF_OPENINGS) + rng.choice(SELF_MIDDLES) + rng.choice(SELF_CLOSINGS)


def _moment(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _grade_of(rng: random.Random) -> str:
    """How peers grade a member: mostly qualified, a fifth excellent, now and then lower."""
    roll = rng.random()
    if roll < 0.22:
        return Grade.EXCELLENT
    if roll < 0.95:
        return Grade.QUALIFIED
    return Grade.BASIC if roll < 0.99 else Grade.UNQUALIFIED


def _branches(unit, rng: random.Random, count: int) -> list:
    nodes = [n for n in unit.root.walk() if n.kind == OrgKind.BRANCH and n.is_active and n.org is not None]
    return rng.sample(nodes, min(count, len(nodes)))


@dataclass
class _Made:
    rounds: int = 0
    entries: int = 0
    selections: int = 0
    honoured: int = 0


def _write_round(ctx, rng, org, year, phase, members, opened_by, made: _Made, rows: dict) -> AppraisalRound:
    appraisal_round = AppraisalRound.objects.create(
        org=org, year=year, phase=phase, note=f"{year}年12月召开组织生活会，进行民主评议党员", opened_by=opened_by
    )
    made.rounds += 1
    entries = []
    after_self = phase != AppraisalPhase.SELF
    decided_day = date(year, 12, 20) if year < ctx.today.year else ctx.today - timedelta(days=2)
    for member in members:
        wrote = after_self or rng.random() < 0.5
        entries.append(
            AppraisalEntry(
                round=appraisal_round,
                member=member,
                self_text=_self_text(rng) if wrote else "",
                self_submitted_at=_moment(decided_day - timedelta(days=rng.randint(20, 30))) if wrote else None,
            )
        )
    AppraisalEntry.objects.bulk_create(entries)
    made.entries += len(entries)
    # Peers grade once peer grading has opened; the ones with logins who did are the ballots.
    tallies = {e.pk: dict.fromkeys(GRADE_ORDER, 0) for e in entries}
    if phase in (AppraisalPhase.DECIDING, AppraisalPhase.CLOSED) or (phase == AppraisalPhase.PEER and len(entries) > 3):
        voters = entries if phase != AppraisalPhase.PEER else rng.sample(entries, len(entries) // 2)
        # The demo logins stay free to vote themselves in a round that is still at peer grading.
        voters = [v for v in voters if not (phase == AppraisalPhase.PEER and v.member.user_id)]
        lean = {e.pk: _grade_of(rng) for e in entries}
        for voter in voters:
            for subject in entries:
                if subject.pk != voter.pk:
                    grade = lean[subject.pk] if rng.random() < 0.75 else Grade.QUALIFIED
                    tallies[subject.pk][grade] += 1
        rows["ballots"].extend(Ballot(round=appraisal_round, voter_id=v.member_id) for v in voters)
    rows["tallies"].extend(
        PeerTally(entry_id=pk, grade=g, count=n) for pk, counts in tallies.items() for g, n in counts.items()
    )
    if phase in (AppraisalPhase.DECIDING, AppraisalPhase.CLOSED):
        present = len(entries) - rng.randint(0, min(2, len(entries) - 1))
        for entry in entries:
            if phase == AppraisalPhase.DECIDING and rng.random() < 0.5:
                continue  # the meeting has decided part of the sheet so far
            counts = tallies[entry.pk]
            grade = max(GRADE_ORDER, key=lambda g: (counts[g], g == Grade.QUALIFIED))
            against = rng.randint(0, 1)
            abstain = rng.randint(0, 1)
            entry.grade = grade
            entry.votes_for, entry.votes_against, entry.votes_abstain = present - against - abstain, against, abstain
            entry.decided_by = opened_by
            entry.decided_at = _moment(decided_day)
            if org.category == "community" and rng.random() < 0.6:
                entry.mass_excellent = rng.randint(0, 6)
                entry.mass_qualified = rng.randint(8, 20)
                entry.mass_basic = rng.randint(0, 2)
        AppraisalEntry.objects.bulk_update(
            entries,
            [
                "grade",
                "votes_for",
                "votes_against",
                "votes_abstain",
                "decided_by",
                "decided_at",
                "mass_excellent",
                "mass_qualified",
                "mass_basic",
            ],
        )
    rows["history"].append(appraisal_round)
    return appraisal_round


def write_appraisals_rounds(ctx: SeedContext, rng: random.Random, made: _Made, rows: dict) -> None:
    last, this = ctx.today.year - 1, ctx.today.year
    plans = []  # (org, year, phase, opener)
    for key, unit in ctx.units.items():
        opener = ctx.users.get(STAFF.get(key, ""))
        chosen = _branches(unit, rng, LAST_YEAR_BRANCHES)
        plans += [(node.org, last, AppraisalPhase.CLOSED, opener) for node in chosen]
        for node, phase in zip(chosen[: len(THIS_YEAR_PHASES)], THIS_YEAR_PHASES, strict=False):
            plans.append((node.org, this, phase, opener))
    # The demo member's branch and its sibling: peer grading and self-appraisal this year, closed last year.
    for handle, phase in (("yixing.jiguan1", AppraisalPhase.PEER), ("yixing.jiguan2", AppraisalPhase.SELF)):
        node = ctx.nodes.get(handle)
        if node is None or node.org is None:
            continue
        opener = ctx.users.get(f"secretary_{handle.replace('.jiguan', '_')}")
        plans = [p for p in plans if p[0].pk != node.org.pk]
        plans += [(node.org, last, AppraisalPhase.CLOSED, opener), (node.org, this, phase, opener)]
    orgs = {org.pk: org for org, *_ in plans}
    members: dict[int, list] = {pk: [] for pk in orgs}
    paths = {org.path: org.pk for org in orgs.values()}
    people = Member.objects.party_members().filter(paths_q(paths, "org__path")).select_related("org")
    for member in people.order_by("name", "id"):
        for path, pk in paths.items():
            if member.org.path.startswith(path):
                members[pk].append(member)
    for org, year, phase, opener in plans:
        if len(members[org.pk]) >= 2:
            _write_round(ctx, rng, org, year, phase, members[org.pk], opener, made, rows)


@dataclass(frozen=True)
class DemoSelection:
    unit: str
    owner: str  # node handle
    title: str
    name: str
    criteria: str
    years_back: int  # 0 = this year (under way)
    honoured: int  # how many pass every step (past years)
    quota: int | None = None
    named: tuple[str, ...] = ()  # people or org handles honoured first
    chain: tuple[tuple[str, str], ...] = ()


PUGONGYING = "十佳“党旗下的蒲公英”优秀党员"
PUGONGYING_CHAIN = (
    ("民主推荐", "党员群众"),
    ("民主评议", "支部党员大会"),
    ("支部申报", "党支部"),
    ("社区党组织考核", "社区党组织"),
    ("街道党工委审批", "镇江路街道党工委"),
)
SELECTIONS = [
    # 41 over the five years before this one.
    *[
        DemoSelection(
            "zhenjiang",
            "zhenjiang.root",
            Title.EXCELLENT_MEMBER,
            PUGONGYING,
            CriteriaSet.FIVE_VANGUARDS,
            back,
            n,
            10,
            ("zhenjiang.wangxifen",) if back == 5 else (("zhenjiang.zhangxia",) if back == 2 else ()),
            PUGONGYING_CHAIN,
        )
        for back, n in ((5, 8), (4, 8), (3, 8), (2, 8), (1, 9))
    ],
    DemoSelection(
        "zhenjiang",
        "zhenjiang.root",
        Title.EXCELLENT_MEMBER,
        PUGONGYING,
        CriteriaSet.FIVE_VANGUARDS,
        0,
        0,
        10,
        chain=PUGONGYING_CHAIN,
    ),
    DemoSelection(
        "zhenjiang", "zhenjiang.root", Title.ADVANCED_ORG, "", CriteriaSet.FIVE_GOOD, 1, 3, named=("zhenjiang.beier",)
    ),
    DemoSelection(
        "hancheng",
        "hancheng.root",
        Title.ADVANCED_ORG,
        "",
        CriteriaSet.FIVE_GOOD,
        1,
        5,
        named=("hancheng.xiangshan", "hancheng.zhizhuan"),
    ),
    DemoSelection(
        "hancheng",
        "hancheng.root",
        Title.EXCELLENT_MEMBER,
        "",
        CriteriaSet.FIVE_MODELS,
        1,
        12,
        named=("hancheng.xuexiaomin",),
    ),
    DemoSelection(
        "hancheng", "hancheng.root", Title.MODEL_POST, "教书育人党员示范岗", CriteriaSet.FIVE_MODELS, 0, 0, 6
    ),
    DemoSelection("dianhua", "dianhua.root", Title.MODEL_BRANCH, "", CriteriaSet.FIVE_GOOD, 0, 0, 3),
    DemoSelection("yixing", "yixing.root", Title.EXCELLENT_MEMBER, "", CriteriaSet.FIVE_VANGUARDS, 0, 0),
    DemoSelection("zhouzhi", "zhouzhi.root", Title.ADVANCED_ORG, "", CriteriaSet.FIVE_GOOD, 1, 6),
]


def _pool(ctx: SeedContext, spec: DemoSelection, owner, rng: random.Random, size: int) -> list:
    """(member, unit) or (None, org) pairs: the named first, then a random draw from the subtree."""
    picked = []
    for handle in spec.named:
        if spec.title in (Title.ADVANCED_ORG, Title.MODEL_BRANCH):
            node = ctx.nodes.get(handle)
            if node is not None and node.org is not None:
                picked.append((None, node.org))
        elif handle in ctx.people:
            person = ctx.people[handle]
            picked.append((person, person.org))
    if spec.title in (Title.ADVANCED_ORG, Title.MODEL_BRANCH):
        kinds = (
            {OrgKind.BRANCH}
            if spec.title == Title.MODEL_BRANCH
            else {OrgKind.BRANCH, OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH}
        )
        unit = ctx.units[spec.unit]
        nodes = [n for n in unit.root.descendants() if n.kind in kinds and n.is_active and n.org is not None]
        taken = {o.pk for _m, o in picked}
        rest = [(None, n.org) for n in rng.sample(nodes, min(len(nodes), size * 2)) if n.org.pk not in taken]
    else:
        taken = {m.pk for m, _o in picked}
        ids = list(
            Member.objects.party_members()
            .filter(org__path__startswith=owner.path, is_retired=False)
            .exclude(pk__in=taken)
            .order_by("id")
            .values_list("id", flat=True)
        )
        chosen = rng.sample(ids, min(len(ids), size))
        people = Member.objects.filter(pk__in=chosen).select_related("org").in_bulk()
        rest = [(people[pk], people[pk].org) for pk in chosen]
    return (picked + rest)[:size]


def _write_selection(ctx, rng, spec: DemoSelection, made: _Made, rows: dict) -> None:
    unit = ctx.units.get(spec.unit)
    node = ctx.nodes.get(spec.owner)
    if unit is None or node is None or node.org is None:
        return
    owner = node.org
    year = ctx.today.year - spec.years_back
    by = ctx.users.get(STAFF[spec.unit])
    kind = CandidateKind.ORG if spec.title in (Title.ADVANCED_ORG, Title.MODEL_BRANCH) else CandidateKind.MEMBER
    running = spec.years_back == 0
    draft = spec.unit == "dianhua"  # one round still being prepared, its chain open to change
    status = SelectionStatus.DRAFT if draft else (SelectionStatus.RUNNING if running else SelectionStatus.CLOSED)
    selection = SelectionRound.objects.create(
        owner=owner,
        title=spec.title,
        name=spec.name,
        candidate_kind=kind,
        criteria=spec.criteria,
        year=year,
        quota=spec.quota,
        status=status,
        created_by=by,
    )
    made.selections += 1
    chain = list(spec.chain) or default_chain(owner)
    steps = SelectionStep.objects.bulk_create(
        SelectionStep(round=selection, position=i, name=n, body=b) for i, (n, b) in enumerate(chain)
    )
    size = spec.honoured + rng.randint(2, 4) if not running else rng.randint(5, 9)
    pool = _pool(ctx, spec, owner, rng, size)
    items = [key for key, _label in CRITERIA[CriteriaSet(spec.criteria)]]
    start = date(year, 10, 15) if not running else ctx.today - timedelta(days=40)
    for index, (member, org) in enumerate(pool):
        if draft:
            reach, passes_all = 0, False
        elif running:
            reach, passes_all = rng.randint(0, len(steps) - 1), False
        else:
            passes_all = index < spec.honoured
            reach = len(steps) if passes_all else rng.randint(0, len(steps) - 1)
        fails_at = None if passes_all or running or draft else reach
        candidate = Candidate(
            round=selection,
            member=member,
            unit=org,
            deeds=rng.choice(DEEDS)
            if member is not None
            else "领导班子团结有力，党员队伍作用发挥明显，工作机制健全，群众反映好。",
            added_by=by,
            steps_passed=reach,
        )
        if passes_all:
            candidate.outcome = Outcome.HONOURED
            candidate.honoured_on = start + timedelta(days=10 * len(steps))
            made.honoured += 1
        elif fails_at is not None:
            candidate.outcome = Outcome.NOT_SELECTED
        candidate.save()
        last = reach + (1 if fails_at is not None else 0)
        for position in range(min(last, len(steps))):
            passed = position < reach
            voters = rng.randint(15, 40)
            against = rng.randint(0, 4) if passed else rng.randint(voters // 2, voters - 2)
            rows["decisions"].append(
                StepDecision(
                    candidate=candidate,
                    step=steps[position],
                    opinion="同意推荐，事迹属实，群众公认。" if passed else "票数未过半，本次不予通过。",
                    votes_for=voters - against - 1,
                    votes_against=against,
                    votes_abstain=1,
                    passed=passed,
                    decided_by=by,
                    decided_at=_moment(start + timedelta(days=10 * (position + 1))),
                )
            )
        if not draft:
            rows["scores"].extend(
                CriterionScore(
                    candidate=candidate, item=item, score=rng.randint(14, 20) if passes_all else rng.randint(10, 18)
                )
                for item in items
            )
    rows["history"].append(selection)


def write_appraisals(ctx: SeedContext) -> str:
    # Its own random source, so adding this step does not change what the other steps draw.
    rng = random.Random(f"{ctx.seed}-appraisals")
    made = _Made()
    rows = {"ballots": [], "tallies": [], "decisions": [], "scores": [], "history": []}
    write_appraisals_rounds(ctx, rng, made, rows)
    for spec in SELECTIONS:
        _write_selection(ctx, rng, spec, made, rows)
    Ballot.objects.bulk_create(rows["ballots"])
    PeerTally.objects.bulk_create(rows["tallies"], batch_size=2000)
    StepDecision.objects.bulk_create(rows["decisions"], batch_size=2000)
    CriterionScore.objects.bulk_create(rows["scores"], batch_size=2000)
    HistoryEntry.objects.bulk_create(
        build_entries(
            ((obj, HistoryEntry.Action.CREATE, diff({}, snapshot(obj))) for obj in rows["history"]),
            actor=None,
            source=HistoryEntry.Source.SYSTEM,
            note=HISTORY_NOTE,
        )
    )
    return (
        f"{made.rounds} 次民主评议（{made.entries} 名党员），"
        f"{made.selections} 项先进典型评选，{made.honoured} 个先进典型"
    )
