"""Drafting a report from its figures: which sentence goes where, for each kind of document.

Three kinds, modelled on the source documents:
- progress (推进会汇报材料): 一、进展情况及主要作法 二、取得的初步成效 三、存在的主要问题 四、下阶段工作安排
- experience (经验材料): 一、完善工作机制 二、依托载体开展活动 三、取得的成效 四、存在的问题和下一步打算
- speech (讲话稿): 同志们： … 一、认清形势（成绩与问题） 二、把握要求，深入推进
The wording is in phrasing.py; this module decides what to say from the numbers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import phrasing as P
from .content import section, table
from .figures import Figures
from .figures import lagging as L

PROGRESS, EXPERIENCE, SPEECH = "progress", "experience", "speech"
TEMPLATES = {
    PROGRESS: _("Progress report (推进会汇报材料)"),
    EXPERIENCE: _("Experience material (经验材料)"),
    SPEECH: _("Speech (讲话稿)"),
}
LAGGING_NAMED = 5  # branches named in a sentence
LAGGING_ROWS = 30  # rows of the lagging table inside the document (the XLSX has them all)


def _short(org) -> str:
    return org.short_name or org.name


def _campaign_name(figures: Figures) -> str:
    return figures.campaign.name if figures.campaign is not None else "创先争优活动"


def _period(figures: Figures) -> dict:
    return {"start": P.arabic_date(figures.start), "end": P.arabic_date(figures.end)}


# --------------------------------------------------------------------------------------------
# Sentences about one subject
# --------------------------------------------------------------------------------------------
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
        out.append(P.CAMPAIGN_CARRIERS.format(carriers="、".join(f"“{c}”" for c in carriers)))
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


# --------------------------------------------------------------------------------------------
# Tables and figures behind the sentences
# --------------------------------------------------------------------------------------------
def org_table(figures: Figures) -> dict:
    o = figures.orgs
    rows = [[label, n] for _, label, n in o.kind_rows()]
    rows += [["党员", o.members], ["其中：正式党员", o.full], ["　　　预备党员", o.probationary]]
    return table("党组织和党员数量", ["项目", "数量"], rows)


def category_table(figures: Figures) -> dict:
    rows = [[label, n, b] for _, label, n, b in figures.orgs.category_rows()]
    return table("各类别党组织分布", ["类别", "党组织", "其中党支部"], rows)


def parts_table(figures: Figures) -> dict | None:
    o = figures.orgs
    if not o.has_parts:
        return None
    direct_orgs = sum(n for k, n in o.direct.by_kind.items() if k != "group")
    below_orgs = sum(n for k, n in o.below.by_kind.items() if k != "group")
    rows = [
        [f"{_short(figures.org)}直属", direct_orgs, o.direct.members],
        [f"所属{o.below.committees}个下级党（工）委", below_orgs, o.below.members],
        ["合计", direct_orgs + below_orgs, o.members],
    ]
    return table("参加活动的党组织和党员", ["部分", "基层党组织", "党员"], rows)


def month_table(figures: Figures) -> dict:
    rows = [[P.month_label(m), n, three] for m, n, three in figures.activities.month_rows()]
    rows.append(["合计", figures.activities.total, figures.activities.three])
    return table("各月活动开展情况", ["月份", "活动次数", "其中“三会一课”"], rows)


def compliance_table(figures: Figures) -> dict:
    rows = [[k.label, k.checked, k.met, k.short, k.missed_periods] for k in figures.activities.kinds]
    return table("“三会一课”落实情况", ["类型", "应落实支部", "已落实", "未落实", "未落实周期数"], rows)


def pledge_table(figures: Figures) -> dict | None:
    pf = figures.pledges
    if pf is None or pf.is_empty:
        return None
    rows = [
        [r.label, r.member_pledges + r.org_pledges, r.approved, r.items, r.items_done, P.rate(r.items_done_rate)]
        for r in pf.categories
    ]
    t = pf.total
    rows.append(["合计", pf.made, t.approved, t.items, t.items_done, P.rate(t.items_done_rate)])
    return table("公开承诺及践诺情况", ["承诺类别", "公开承诺", "审核确定", "承诺事项", "已践诺", "践诺率"], rows)


def review_table(figures: Figures) -> dict | None:
    rf = figures.reviews
    if not rf.held:
        return None
    rows = [[label, n] for _, label, n in rf.method_rows()]
    rows.append(["合计", rf.held])
    return table("领导点评开展情况", ["点评方式", "次数"], rows)


def evaluation_table(figures: Figures) -> dict | None:
    ef = figures.evaluations
    if not ef.orgs:
        return None
    rows = [
        [r.label, r.tally.satisfied, r.tally.basic, r.tally.dissatisfied, r.tally.unknown, P.rate(r.tally.rate)]
        for r in sorted(ef.orgs, key=lambda r: (r.tally.rate is None, r.tally.rate or 0))
    ]
    head = ["党组织", "满意", "基本满意", "不满意", "不了解", "满意率"]
    tables = [table("群众评议满意度（由低到高）", head, rows[:LAGGING_ROWS])]
    if len(rows) > LAGGING_ROWS:
        tables.append(table("群众评议满意度（全部）", head, rows, in_document=False))
    return tables


def appraisal_tables(figures: Figures) -> list[dict]:
    af = figures.appraisals
    tables = []
    g = af.grades
    if g.total:
        tables.append(
            table(
                f"{af.year}年民主评议党员等次分布",
                ["等次", "人数"],
                [
                    ["优秀", g.excellent],
                    ["合格", g.qualified],
                    ["基本合格", g.basic],
                    ["不合格", g.unqualified],
                    ["未评定", g.undecided],
                    ["合计", g.total],
                ],
            )
        )
    if af.honoured:
        rows = [[label, n] for _, label, n in af.honour_rows()]
        rows.append(["合计", af.honoured])
        tables.append(table("选树表彰先进典型", ["称号", "数量"], rows))
    return tables


def lagging_tables(figures: Figures) -> list[dict]:
    rows = [[r.name, "；".join(r.labels)] for r in figures.lagging]
    if not rows:
        return []
    head = ["党组织", "存在的问题"]
    tables = [table("工作相对薄弱的支部", head, rows[:LAGGING_ROWS])]
    if len(rows) > LAGGING_ROWS:
        tables[0]["note"] = f"共{len(rows)}个，此处列出前{LAGGING_ROWS}个，全部名单见数据表。"
        tables.append(table("工作相对薄弱的支部（全部）", head, rows, in_document=False))
    return tables


def org_numbers(figures: Figures) -> list:
    o = figures.orgs
    items = [["党委（党工委）", o.committees], ["党总支", o.general_branches], ["党支部", o.branches]]
    items += [["党小组", o.groups], ["党员", o.members], ["正式党员", o.full], ["预备党员", o.probationary]]
    if o.has_parts:
        items += [["直属党组织党员", o.direct.members], ["下级党（工）委所属党组织党员", o.below.members]]
    return items


def activity_numbers(figures: Figures) -> list:
    a = figures.activities
    items = [
        ["活动次数", a.total],
        ["其中“三会一课”", a.three],
        ["应落实“三会一课”的支部", a.checked],
        ["已落实的支部", a.compliant],
        ["“三会一课”落实率", P.rate(a.compliance_rate)],
    ]
    if figures.baseline is not None:
        b = figures.baseline
        items += [["上期活动次数", b.total], ["上期“三会一课”落实率", P.rate(b.compliance_rate)]]
    return items


def pledge_numbers(figures: Figures) -> list:
    pf = figures.pledges
    if pf is None:
        return []
    t = pf.total
    return [
        ["党员公开承诺", t.member_pledges],
        ["党组织公开承诺", t.org_pledges],
        ["提交审核", t.submitted],
        ["审核确定", t.approved],
        ["审核通过率", P.rate(t.approval_rate)],
        ["承诺事项", t.items],
        ["已践诺事项", t.items_done],
        ["践诺率", P.rate(t.items_done_rate)],
        ["已评诺", t.closed],
        ["全部兑现", t.kept],
        ["兑现率", P.rate(t.kept_rate)],
        ["逾期事项", pf.overdue_items],
    ]


def result_numbers(figures: Figures) -> list:
    rf, ef, af = figures.reviews, figures.evaluations, figures.appraisals
    items = [["领导点评次数", rf.held]]
    if rf.coverage is not None:
        items += [
            ["接受点评的党组织", rf.coverage.orgs_reviewed],
            ["应点评党组织", rf.coverage.orgs],
            ["党组织点评覆盖率", P.rate(rf.coverage.org_rate)],
            ["接受点评的党员", rf.coverage.members_reviewed],
            ["党员点评覆盖率", P.rate(rf.coverage.member_rate)],
        ]
    if rf.rectification is not None:
        items += [
            ["挂牌整改问题", rf.rectification.listed],
            ["已销号", rf.rectification.struck_off],
            ["整改落实率", P.rate(rf.rectification.rate)],
        ]
    if rf.baseline_rectification is not None:
        items.append(["上期整改落实率", P.rate(rf.baseline_rectification.rate)])
    items += [["逾期未整改问题", rf.overdue], ["群众评议轮次", ef.rounds], ["评议份数", ef.responses]]
    items += [["群众满意率", P.rate(ef.overall.rate)], ["满意率偏低的党组织", len(ef.low)]]
    g = af.grades
    items += [["评议党员（已评定）", g.decided], ["优秀", g.excellent], ["合格", g.qualified]]
    items += [["基本合格", g.basic], ["不合格", g.unqualified], ["优秀率", P.rate(g.excellent_share)]]
    items += [[label, n] for _, label, n in af.honour_rows()]
    return items


def lagging_numbers(figures: Figures) -> list:
    rows = figures.lagging
    return [
        ["薄弱支部", len(rows)],
        ["本期未开展活动的支部", L.count(rows, L.NO_ACTIVITY)],
        ["未落实“三会一课”的支部", L.count(rows, L.SHORT)],
        ["承诺事项逾期的支部", L.count(rows, L.OVERDUE)],
        ["无党员公开承诺的支部", L.count(rows, L.SILENT)],
        ["群众满意率偏低的党组织", L.count(rows, L.LOW_SATISFACTION)],
        ["整改逾期的党组织", L.count(rows, L.RECTIFICATION)],
    ]


def _tables(*items) -> list[dict]:
    out = []
    for item in items:
        if isinstance(item, list):
            out.extend(item)
        elif item:
            out.append(item)
    return out


# --------------------------------------------------------------------------------------------
# The documents
# --------------------------------------------------------------------------------------------
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
    title_carrier = f"“{carriers[0]}”" if carriers else _campaign_name(figures)
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
