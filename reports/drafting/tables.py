"""The tables and the key figures behind the sentences (the XLSX carries them all)."""

from __future__ import annotations

from .. import phrasing as P
from ..content import table
from ..figures import Figures
from ..figures import lagging as L
from .common import LAGGING_ROWS, _short


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
