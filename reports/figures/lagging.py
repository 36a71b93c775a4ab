"""The lagging branches (发展不平衡): what the problems section of a report is drafted from.

A branch lags when, in the period, it held no activity, fell short of a 三会一课 rule, has pledge
items past their date, or none of its members pledged in public. Everything here is derived from
figures already computed; no query of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

NO_ACTIVITY, SHORT, OVERDUE, SILENT = "no_activity", "short", "overdue", "silent"
LOW_SATISFACTION, RECTIFICATION = "low_satisfaction", "rectification"
REASON_LABELS = {
    NO_ACTIVITY: "本期未开展活动",
    SHORT: "未落实“三会一课”",
    OVERDUE: "承诺事项逾期",
    SILENT: "无党员公开承诺",
    LOW_SATISFACTION: "群众满意率偏低",
    RECTIFICATION: "整改逾期",
}


@dataclass
class LaggingBranch:
    id: int
    name: str
    path: str
    reasons: dict[str, int] = field(default_factory=dict)  # reason -> how many (periods, items …)

    @property
    def labels(self) -> list[str]:
        out = []
        for reason, n in self.reasons.items():
            label = REASON_LABELS[reason]
            if reason == SHORT:
                label += f"（{n}个周期）"
            elif reason == OVERDUE:
                label += f"（{n}项）"
            elif reason == LOW_SATISFACTION:
                label += f"（{n}%）"
            elif reason == RECTIFICATION:
                label += f"（{n}个问题）"
            out.append(label)
        return out


def lagging_branches(activities, pledges, reviews=None, evaluations=None) -> list[LaggingBranch]:
    """Branches, and for satisfaction and rectification any org of the subtree, with their reasons."""
    found: dict[object, LaggingBranch] = {}

    def mark(branch, reason, n=1):
        row = found.setdefault(branch.id, LaggingBranch(branch.id, branch.name, branch.path))
        row.reasons[reason] = n

    names = {b.id: b for b in activities.branches}
    for branch in activities.branches:
        if not branch.held:
            mark(branch, NO_ACTIVITY)
        if branch.missed:
            mark(branch, SHORT, branch.missed)
    if pledges is not None:
        for branch_id, n in pledges.overdue_by_branch.items():
            if branch_id in names:
                mark(names[branch_id], OVERDUE, n)
        # Without a single pledge in the campaign yet, "no member pledged" says nothing about a branch.
        for branch_id in () if pledges.is_empty else pledges.silent_ids:
            if branch_id in names:
                mark(names[branch_id], SILENT)
    if evaluations is not None:
        for rating in evaluations.low:
            target = names.get(rating.id) or LaggingBranch(rating.id, rating.label, "")
            mark(target, LOW_SATISFACTION, round(rating.tally.rate * 100, 1))
    if reviews is not None:
        by_path = {b.path: b for b in activities.branches}
        step = 4  # treebeard's path step: a 党小组's items count with its branch
        for path, (name, n) in reviews.overdue_by_path.items():
            target = by_path.get(path) or by_path.get(path[:-step]) or LaggingBranch(f"path:{path}", name, path)
            row = found.setdefault(target.id, LaggingBranch(target.id, target.name, target.path))
            row.reasons[RECTIFICATION] = row.reasons.get(RECTIFICATION, 0) + n
    # Most reasons first, then the tree's order, so the worst are named first in the text.
    return sorted(found.values(), key=lambda r: (-len(r.reasons), r.path))


def count(rows: list[LaggingBranch], reason: str) -> int:
    return sum(1 for r in rows if reason in r.reasons)


def names_with(rows: list[LaggingBranch], reason: str) -> list[str]:
    return [r.name for r in rows if reason in r.reasons]
