"""Sentences about one subject each, from the figures, in the wording of phrasing.py."""

from __future__ import annotations

from .. import phrasing as P
from ..figures import Figures
from ..figures import lagging as L
from .common import LAGGING_NAMED, _campaign_name, _period, _short


def kind_counts(orgs) -> list[str]:
    return [P.ORG_COUNT.format(n=getattr(orgs, attr), word=word) for attr, word in P.KIND_WORDS if getattr(orgs, attr)]


def participation(figures: Figures) -> list[str]:
    """州直81个党委、21个总支、557个支部、9550名党员参加……; and, for a committee holding both its own
    branches and sub-committees, the two parts and their sum (436 + 993 = 1429)."""
    orgs, org = figures.orgs, figures.org
    if not orgs.members:
        return [P.NO_MEMBERS.format(org=_short(org))]
    members = P.MEMBER_COUNT.format(n=orgs.members)
    counts = kind_counts(orgs)
    template = P.PARTICIPATION if counts else P.PARTICIPATION_NO_ORGS
    sentences = [
        template.format(
            campaign=_campaign_name(figures), org=_short(org), counts="、".join([*counts, members]), members=members
        )
        + "。"
    ]
    if orgs.has_parts:
        direct = orgs.direct
        direct_counts = "、".join(
            P.ORG_COUNT.format(n=direct.by_kind.get(kind, 0), word=word)
            for kind, word in (("general_branch", "总支"), ("branch", "支部"))
            if direct.by_kind.get(kind)
        )
        below_orgs = sum(n for kind, n in orgs.below.by_kind.items() if kind != "group")
        sentences.append(
            P.PARTS_DIRECT.format(org=_short(org), counts=direct_counts or "0个支部", members=direct.members)
            + "。"
            + P.PARTS_BELOW.format(committees=orgs.below.committees, orgs=below_orgs, members=orgs.below.members)
            + "。"
            + P.PARTS_TOTAL.format(members=orgs.members, campaign=_campaign_name(figures))
            + "。"
        )
    sentences.append(
        P.PROBATIONARY.format(
            full=orgs.full,
            probationary=orgs.probationary,
            activists=orgs.by_stage.get("activist", 0),
            candidates=orgs.by_stage.get("candidate", 0),
        )
    )
    return sentences


def categories(figures: Figures) -> str:
    rows = figures.orgs.category_rows()
    if len(rows) < 2:
        return ""
    parts = "，".join(P.CATEGORY_PART.format(category=label, n=n) for _, label, n, _b in rows)
    return P.CATEGORY_SPREAD.format(parts=f"所属党组织中{parts}")


def campaign_progress(figures: Figures, as_of) -> list[str]:
    campaign = figures.campaign
    if campaign is None:
        return []
    phases = list(campaign.phases.all())
    out = []
    if phases:
        listing = "、".join(p.name for p in phases)
        out.append(P.CAMPAIGN_PHASES.format(campaign=campaign.name, n=len(phases), phases=listing))
        done = [p.name for p in phases if p.ends_on < as_of]
        now = next((p for p in phases if p.starts_on <= as_of <= p.ends_on), None)
        bits = []
        if done:
            bits.append(P.CAMPAIGN_PHASE_DONE.format(phases="、".join(done)))
        if now:
            bits.append(
                P.CAMPAIGN_PHASE_NOW.format(
                    phase=now.name, start=P.arabic_date(now.starts_on), end=P.arabic_date(now.ends_on)
                )
            )
        if bits:
            out.append("截至" + P.arabic_date(as_of) + "，" + "，".join(bits) + "。")
    carriers = [c.name for c in campaign.carriers.all()]
    if carriers:
        out.append(P.CAMPAIGN_CARRIERS.format(carriers="、".join(P.quoted(c) for c in carriers)))
    return out


def _compare(what: str, before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    b, a = P.rate(before), P.rate(after)
    if a == b:
        return P.COMPARE_SAME.format(what=what, after=a)
    return (P.COMPARE_UP if after > before else P.COMPARE_DOWN).format(what=what, before=b, after=a)


def activities(figures: Figures) -> list[str]:
    acts = figures.activities
    period = _period(figures)
    if not acts.total:
        return [P.ACTIVITY_NONE.format(org=_short(figures.org), **period)]
    sentence = P.ACTIVITY_TOTAL.format(n=acts.total, three=acts.three, **period)
    if figures.baseline is not None:
        base = figures.baseline
        change = acts.total - base.total
        word = f"增加{change}次" if change > 0 else (f"减少{-change}次" if change < 0 else "持平")
        sentence += "，" + P.ACTIVITIES_COMPARED.format(
            start=P.arabic_date(base.start), end=P.arabic_date(base.end), before=base.total, change=word
        )
    busiest = acts.busiest
    if busiest and len(acts.months) > 1:
        sentence += "；" + P.ACTIVITY_BUSIEST.format(month=P.month_label(busiest[0]), n=busiest[1])
    out = [sentence + "。"]
    if acts.checked:
        compliance = P.COMPLIANCE.format(checked=acts.checked, met=acts.compliant, rate=P.rate(acts.compliance_rate))
        if figures.baseline is not None:
            compared = _compare("落实率", figures.baseline.compliance_rate, acts.compliance_rate)
            if compared:
                compliance += "，" + compared
        out.append(compliance + "。")
    else:
        out.append(P.COMPLIANCE_NONE + "。")
    return out


def pledges(figures: Figures) -> list[str]:
    pf = figures.pledges
    if pf is None or pf.is_empty:
        return [P.PLEDGE_NONE.format(campaign=_campaign_name(figures), org=_short(figures.org))]
    t = pf.total
    first = P.PLEDGE_MADE.format(members=t.member_pledges, orgs=t.org_pledges, approved=t.approved)
    if t.participation is not None:
        first += "，" + P.PLEDGE_PARTICIPATION.format(rate=P.rate(t.participation))
    out = [first + "。"]
    if t.items:
        out.append(P.PLEDGE_ITEMS.format(items=t.items, done=t.items_done, rate=P.rate(t.items_done_rate)) + "。")
    if t.closed:
        out.append(P.PLEDGE_JUDGED.format(closed=t.closed, kept=t.kept, rate=P.rate(t.kept_rate)) + "。")
    return out


def reviews(figures: Figures) -> list[str]:
    rf = figures.reviews
    if not rf.held:
        out = P.REVIEWS_NONE
    else:
        methods = "，".join(f"{label}{n}次" for _, label, n in rf.method_rows() if n)
        out = P.REVIEWS_HELD.format(n=rf.held, methods=methods)
    cov = rf.coverage
    if cov is not None and cov.orgs_reviewed:
        out += "；" + P.REVIEWS_COVERAGE.format(
            orgs=cov.orgs_reviewed, members=cov.members_reviewed, rate=P.rate(cov.org_rate)
        )
    return [out + "。"]


def rectification(figures: Figures) -> list[str]:
    rate = figures.reviews.rectification
    if rate is None or not rate.listed:
        return [P.RECTIFICATION_NONE + "。"]
    sentence = P.RECTIFICATION_RATE.format(listed=rate.listed, struck=rate.struck_off, rate=P.rate(rate.rate))
    base = figures.reviews.baseline_rectification
    if base is not None:
        compared = _compare("整改落实率", base.rate, rate.rate)
        if compared:
            sentence += "，" + compared
    return [sentence + "。"]


def evaluations(figures: Figures) -> list[str]:
    ef = figures.evaluations
    if not ef.rounds or not ef.overall.total:
        return [P.EVALUATION_NONE + "。"]
    t = ef.overall
    return [
        P.EVALUATION.format(
            rounds=ef.rounds,
            responses=ef.responses,
            rate=P.rate(t.rate),
            satisfied=t.satisfied,
            basic=t.basic,
            dissatisfied=t.dissatisfied,
            unknown=t.unknown,
        )
        + "。"
    ]


def appraisals(figures: Figures) -> list[str]:
    af = figures.appraisals
    out = []
    g = af.grades
    if g.decided:
        out.append(
            P.APPRAISAL.format(
                year=af.year,
                decided=g.decided,
                excellent=g.excellent,
                qualified=g.qualified,
                basic=g.basic,
                unqualified=g.unqualified,
                rate=P.rate(g.excellent_share),
            )
            + "。"
        )
    if af.honoured:
        parts = "、".join(P.EXEMPLAR_PART.format(label=label, n=n) for _, label, n in af.honour_rows() if n)
        out.append(P.EXEMPLARS.format(n=af.honoured, parts=parts) + "。")
    return out


def problems(figures: Figures) -> list[str]:
    """一是发展不平衡（from the lagging branches）；二是认识上还有待提高."""
    rows = figures.lagging
    details = []
    idle = L.names_with(rows, L.NO_ACTIVITY)
    if idle:
        details.append(P.UNEVEN_NO_ACTIVITY.format(n=len(idle), names=P.listing(idle, limit=LAGGING_NAMED)))
    short = L.count(rows, L.SHORT)
    if short:
        details.append(P.UNEVEN_SHORT.format(n=short))
    overdue = L.count(rows, L.OVERDUE)
    if overdue and figures.pledges is not None:
        details.append(P.UNEVEN_OVERDUE.format(n=overdue, items=figures.pledges.overdue_items))
    silent = L.count(rows, L.SILENT)
    if silent:
        details.append(P.UNEVEN_SILENT.format(n=silent))
    low = L.count(rows, L.LOW_SATISFACTION)
    if low:
        details.append(P.UNEVEN_LOW_SATISFACTION.format(n=low, threshold=P.rate(figures.evaluations.low_rate)))
    late = L.count(rows, L.RECTIFICATION)
    if late:
        details.append(P.UNEVEN_OVERDUE_RECTIFICATION.format(n=late, items=figures.reviews.overdue))
    points = []
    branches = figures.orgs.branches + figures.orgs.general_branches
    if details:
        points.append(P.UNEVEN.format(org=_short(figures.org), branches=branches, details="；".join(details)))
    else:
        points.append(P.PROBLEMS_NONE)
    points.append(P.AWARENESS)
    return [P.PROBLEMS_OPEN.format(campaign=_campaign_name(figures)) + P.enumerate_points(points)]


def next_steps(figures: Figures, as_of) -> list[str]:
    points = []
    campaign = figures.campaign
    if campaign is not None:
        ahead = [p for p in campaign.phases.all() if p.ends_on >= as_of and p.starts_on > as_of]
        if ahead:
            phases = "；".join(
                P.NEXT_PHASE.format(start=P.arabic_date(p.starts_on), end=P.arabic_date(p.ends_on), phase=p.name)
                for p in ahead
            )
            points.append(P.NEXT_PHASES.format(phases=phases))
        elif campaign.ends_on >= as_of:
            points.append(P.NEXT_CAMPAIGN_ENDS.format(campaign=campaign.name, end=P.arabic_date(campaign.ends_on)))
    lagging = figures.lagging
    if lagging:
        names = [r.name for r in lagging]
        points.append(P.NEXT_LAGGING.format(names=P.listing(names, limit=3).rstrip("等"), n=len(names)))
    if figures.pledges is not None and figures.pledges.overdue_items:
        points.append(P.NEXT_OVERDUE.format(items=figures.pledges.overdue_items))
    points.append(P.NEXT_EXEMPLARS)
    points.append(P.NEXT_LEADING)
    return [P.NEXT_OPEN.format(org=_short(figures.org)), P.enumerate_points(points, marker="要")]
