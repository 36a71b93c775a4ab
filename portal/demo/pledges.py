"""Public pledges for every demo unit's campaign: members and branches in every state of the workflow.

A few branches per unit (always the branches of the demo logins) carry pledges: most members' are
published and being kept, some judged, some still waiting for approval, returned, drafted or only at
调研走访. Items fall due around today, so some are done and some overdue. Everything is bulk-written
and drawn from the seed's own random source; only the public links' tokens come from ``secrets``
(a token derived from a published seed would be guessable).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from PIL import Image, ImageDraw

from audit.models import HistoryEntry
from audit.services import build_entries, diff, snapshot
from branches.access import MANAGING_ROLES
from branches.models import LeadershipPost, Organization, OrgKind, RoleAssignment
from campaigns.models import Campaign, PhaseKind
from members.models import PARTY_MEMBER_STAGES, Member
from notifications.models import Notification
from notifications.services import notify
from pledges import tally
from pledges.models import (
    MEMBER_CATEGORIES,
    ORG_CATEGORIES,
    BoardLink,
    EvidencePhoto,
    Outcome,
    Pledge,
    PledgeItem,
    PledgeTransition,
    ProgressUpdate,
    Status,
)
from pledges.reminders import send_overdue_reminders
from pledges.services.recipients import nearest_managers

from .context import HISTORY_NOTE, SeedContext

# Branches of the demo logins always carry pledges; this many more per unit are picked at random.
FIXED_BRANCHES = ("yixing.jiguan1", "yixing.jiguan2", "hancheng.xiangshan", "hancheng.zhizhuan")
EXTRA_BRANCHES_PER_UNIT = 3
MAX_MEMBERS_PER_BRANCH = 30
# (status, weight) for a member's pledge; "none" = has not pledged (yet).
MEMBER_STATES = [
    (Status.PUBLISHED, 46),
    (Status.CLOSED, 14),
    (Status.APPROVED, 5),
    (Status.SUBMITTED, 9),
    (Status.RETURNED, 5),
    (Status.DRAFT, 7),
    (Status.NEEDS, 4),
    ("none", 10),
]
ORG_STATES = [(Status.PUBLISHED, 60), (Status.CLOSED, 15), (Status.SUBMITTED, 15), (Status.APPROVED, 10)]
OUTCOMES = [(Outcome.KEPT, 70), (Outcome.PARTLY, 22), (Outcome.NOT_KEPT, 8)]

ITEMS = {
    "study": [
        ("每月自学党章和党的理论读本", "每月不少于2篇学习笔记"),
        ("参加支部集中学习和党课", "全年出勤率100%"),
        ("结合岗位学习一项新业务技能", "年底前取得岗位培训合格证"),
        ("撰写创先争优心得体会", "每季度1篇，在支部交流"),
    ],
    "innovate": [
        ("围绕本职工作提出合理化建议", "全年不少于3条，至少1条被采纳"),
        ("牵头改进一项工作流程", "办理时限缩短20%"),
        ("开展一项业务难题攻关", "形成1份攻关报告"),
        ("带动身边同事开展岗位创新", "结对帮带1名青年职工"),
    ],
    "duty": [
        ("认领楼院保洁、护绿护院", "每周至少1次"),
        ("为楼院孤寡老人提供便民服务", "每月上门服务2次"),
        ("在窗口岗位亮身份、作表率", "全年群众零投诉"),
        ("结对帮扶1户困难群众", "每季度走访不少于1次"),
        ("参加党员志愿服务队活动", "全年不少于8次"),
    ],
    "integrity": [
        ("严格遵守《廉政准则》", "全年不收受礼品礼金"),
        ("按时足额交纳党费", "每月按时交纳"),
        ("带头执行各项规章制度", "全年无违章违纪"),
    ],
    "centre": [
        ("围绕中心工作开展“党员示范岗”创建", "年底前创建示范岗3个"),
        ("加强班子和党员队伍建设", "发展党员2名，培养积极分子4名"),
        ("落实“三会一课”制度", "全年按计划召开，记录齐全"),
    ],
    "style": [
        ("推行服务承诺和限时办结", "办结率达到100%"),
        ("开展作风建设专题整改", "群众反映问题整改率95%以上"),
        ("公开办事流程和监督电话", "一季度内完成公开"),
    ],
    "livelihood": [
        ("成立便民服务队服务楼院居民", "每月开展集中服务1次"),
        ("为辖区困难群众办实事", "全年办实事不少于10件"),
        ("开展结对共建活动", "与1个社区或村结对共建"),
    ],
}
NEEDS = [
    "走访楼院住户{n}户，收集到意见建议{k}条，主要集中在环境卫生和老人照料。",
    "召开党员群众座谈会，{n}名群众参加，提出需求{k}项。",
    "通过入户走访和意见箱收集需求{k}条，其中服务类{n}条。",
    "结合岗位职责征求服务对象意见，整理出{k}条需要改进的问题。",
]
PROGRESS = [
    "按计划完成本阶段工作，群众反映良好。",
    "组织开展了一次集中服务，参加党员{n}名。",
    "已完成阶段目标，形成记录和照片存档。",
    "工作推进中，遇到的困难已向支部汇报。",
]
RETURN_REASONS = ["目标不够具体，请写明次数或数量", "承诺事项与岗位职责结合不够，请修改", "完成时限请定在活动期间内"]
JUDGEMENTS = {
    Outcome.KEPT: "承诺事项全部兑现，群众满意。",
    Outcome.PARTLY: "大部分事项已兑现，个别事项需继续推进。",
    Outcome.NOT_KEPT: "承诺事项推进缓慢，需认真整改。",
}


def _pick(rng: random.Random, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights)[0]


def _moment(day, rng: random.Random):
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def _evidence_photo(label: int) -> tuple[ContentFile, ContentFile]:
    """A small drawn picture standing in for a phone photo of the service (red banner, people)."""
    image = Image.new("RGB", (640, 480), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 640, 90), fill=(184, 20, 27))
    for i in range(5):
        x = 70 + i * 110
        draw.ellipse((x, 250, x + 60, 310), fill=(250, 214, 180))
        draw.rectangle((x - 5, 310, x + 65, 430), fill=(40 + i * 20, 60, 140))
    draw.rectangle((20, 110, 620, 150), fill=(242, 193, 78))
    out = []
    for size in ((640, 480), (240, 180)):
        buffer = BytesIO()
        image.resize(size).save(buffer, "JPEG", quality=80)
        out.append(ContentFile(buffer.getvalue(), name=f"seed-{label}.jpg"))
    return out[0], out[1]


class Builder:
    """Collects unsaved rows for one campaign and writes them in a few bulk inserts."""

    def __init__(self, ctx: SeedContext, rng: random.Random, campaign: Campaign):
        self.ctx, self.rng, self.campaign = ctx, rng, campaign
        phase = next((p for p in campaign.phases.all() if p.kind == PhaseKind.PLEDGE), None)
        self.pledge_start = phase.starts_on if phase else campaign.starts_on
        self.pledge_end = phase.ends_on if phase else campaign.starts_on + timedelta(days=30)
        self.today = ctx.today
        self.pledges: list[Pledge] = []
        self.plans: list[dict] = []

    def _day(self, start, end):
        end = max(start, min(end, self.today))
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def plan(self, *, status, member=None, org, owner_org=None, author=None, approver=None, leadership=False):
        rng = self.rng
        category = rng.choice(ORG_CATEGORIES if owner_org else MEMBER_CATEGORIES)
        oral = bool(member and (member.is_frail or member.is_retired) and not member.user_id)
        phone = member.phone if member else org.phone
        pledge = Pledge(
            campaign=self.campaign,
            owner_member=member,
            owner_org=owner_org,
            org=org,
            category=category,
            status=status,
            needs_notes=""
            if status == Status.NEEDS and rng.random() < 0.3
            else rng.choice(NEEDS).format(n=rng.randint(5, 30), k=rng.randint(3, 15)),
            leadership_post_holder=leadership,
            is_oral=oral,
            entered_by=approver if oral else None,
            show_phone=bool(phone) and rng.random() < 0.7,
            service_phone=phone or "",
        )
        self.pledges.append(pledge)
        self.plans.append({"author": None if oral else author, "approver": approver, "oral": oral})

    def _steps(self, pledge, author, approver) -> list[tuple]:
        """(action, from, to, by, reason, day) up to the pledge's state; stamps its dates on the way."""
        rng, s = self.rng, pledge.status
        day = self._day(self.pledge_start, self.pledge_end - timedelta(days=10))
        steps = [("create", "", Status.NEEDS if s == Status.NEEDS else Status.DRAFT, author, "", day)]

        def step(action, source, target, by, reason=""):
            nonlocal day
            day = min(self.today, day + timedelta(days=rng.randint(1, 3)))
            steps.append((action, source, target, by, reason, day))
            return _moment(day, rng)

        if s in (Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.PUBLISHED, Status.CLOSED):
            pledge.submitted_at = step("submit", Status.DRAFT, Status.SUBMITTED, author)
            if s == Status.RETURNED or rng.random() < 0.15:
                step("return", Status.SUBMITTED, Status.RETURNED, approver, rng.choice(RETURN_REASONS))
                if s != Status.RETURNED:
                    pledge.submitted_at = step("submit", Status.RETURNED, Status.SUBMITTED, author)
        if s in (Status.APPROVED, Status.PUBLISHED, Status.CLOSED):
            pledge.approved_at = step("approve", Status.SUBMITTED, Status.APPROVED, approver)
        if s in (Status.PUBLISHED, Status.CLOSED):
            pledge.published_at = step("publish", Status.APPROVED, Status.PUBLISHED, approver)
        return steps

    def write(self) -> dict:
        rng, today = self.rng, self.today
        planned = []
        for pledge, plan in zip(self.pledges, self.plans, strict=True):
            author = plan["approver"] if plan["oral"] else plan["author"]
            steps = self._steps(pledge, author, plan["approver"])
            published_on = steps[-1][5]
            n_items = 0 if pledge.status == Status.NEEDS else rng.randint(1, 3)
            pool = rng.sample(ITEMS[pledge.category], k=min(n_items, len(ITEMS[pledge.category])))
            pledge_items = []
            for position, (content, target) in enumerate(pool):
                if pledge.status == Status.CLOSED:
                    due = today - timedelta(days=rng.randint(5, 60))
                else:
                    due = today + timedelta(days=rng.randint(-45, 120))
                due = min(max(due, published_on + timedelta(days=10)), self.campaign.ends_on)
                pledge_items.append(
                    PledgeItem(pledge=pledge, content=content, target=target, due_on=due, position=position)
                )
            if pledge.status == Status.CLOSED:
                pledge.outcome = _pick(rng, OUTCOMES)
                pledge.judge_comment = JUDGEMENTS[pledge.outcome]
                closed_on = min(today, max(i.due_on for i in pledge_items) + timedelta(days=rng.randint(1, 5)))
                pledge.closed_at = _moment(closed_on, rng)
                steps.append(
                    ("close", Status.PUBLISHED, Status.CLOSED, plan["approver"], pledge.judge_comment, closed_on)
                )
            updates = []
            if pledge.status in (Status.PUBLISHED, Status.CLOSED):
                updates = self._progress(pledge, pledge_items, author, published_on)
            planned.append((pledge, steps, pledge_items, updates))
        Pledge.objects.bulk_create(self.pledges, batch_size=500)
        items = [i for _p, _s, rows, _u in planned for i in rows]
        PledgeItem.objects.bulk_create(items, batch_size=1000)  # the items get their ids here
        transitions, updates = [], []
        for pledge, steps, _rows, pledge_updates in planned:
            transitions.extend(
                PledgeTransition(
                    pledge=pledge, action=a, from_status=f, to_status=t, by=by, at=_moment(day, rng), reason=reason
                )
                for a, f, t, by, reason, day in steps
            )
            for update, item in pledge_updates:
                update.pledge, update.item = pledge, item
                updates.append(update)
        PledgeTransition.objects.bulk_create(transitions, batch_size=1000)
        ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
        tally.rebuild_all()  # bulk_create sends no signals
        return {"pledges": len(self.pledges), "items": len(items), "updates": len(updates)}

    def _progress(self, pledge, items, author, published_on) -> list:
        """Item percentages and dated notes; closed pledges end as their outcome says."""
        rng, today = self.rng, self.today
        updates = []
        for item in items:
            if pledge.status == Status.CLOSED:
                item.percent = {Outcome.KEPT: 100, Outcome.PARTLY: rng.choice([60, 80, 100]), Outcome.NOT_KEPT: 30}[
                    pledge.outcome
                ]
            else:
                overdue_chance = 0.35 if item.due_on < today else 0.0
                item.percent = (
                    100 if rng.random() > overdue_chance and item.due_on < today else rng.choice([0, 20, 40, 60, 80])
                )
            if pledge.owner_member_id and pledge.owner_member.user_id and item.position == 0 and not item.percent:
                item.percent = 60  # a demo login's pledge shows progress being made
            if item.percent == 100:
                item.done_on = min(today, item.due_on - timedelta(days=rng.randint(0, 8)))
                item.done_on = max(item.done_on, published_on)
            if item.percent:
                on = item.done_on or self._day(published_on, today)
                update = ProgressUpdate(
                    pledge=pledge,
                    on=on,
                    text=rng.choice(PROGRESS).format(n=rng.randint(3, 12)),
                    percent=item.percent,
                    by=author,
                )
                updates.append((update, item))
        return updates

    def photo_for(self, update, label):
        image, thumb = _evidence_photo(label)
        photo = EvidencePhoto(update=update)
        photo.image.save(image.name, image, save=False)
        photo.thumbnail.save(thumb.name, thumb, save=False)
        return photo


def _branches_for(ctx: SeedContext, unit, rng: random.Random) -> list[Organization]:
    fixed = [ctx.node(h).org for h in FIXED_BRANCHES if h in ctx.nodes and h.startswith(unit.key + ".")]
    counts = dict(
        Member.objects.filter(org__path__startswith=unit.root.org.path, stage__in=PARTY_MEMBER_STAGES)
        .values_list("org_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    candidates = [
        n.org
        for n in unit.root.descendants()
        if n.kind == OrgKind.BRANCH and n.is_active and n.org.pk in counts and n.org not in fixed
    ]
    extra = rng.sample(candidates, k=min(EXTRA_BRANCHES_PER_UNIT, len(candidates)))
    return [*fixed, *extra]


def write_pledges(ctx: SeedContext) -> str:
    rng = random.Random(f"{ctx.seed}-pledges")
    totals = {"pledges": 0, "items": 0, "updates": 0, "branches": 0, "links": 0}
    campaigns = {
        c.org_id: c
        for c in Campaign.objects.filter(org__in=[u.root.org for u in ctx.units.values()]).prefetch_related("phases")
    }
    leaders = set(LeadershipPost.objects.filter(ended_on__isnull=True).values_list("member_id", flat=True))
    links = []
    for unit in ctx.units.values():
        campaign = campaigns.get(unit.root.org.pk)
        if campaign is None:
            continue
        builder = Builder(ctx, rng, campaign)
        branches = _branches_for(ctx, unit, rng)
        managers = {
            r.org_id: r.user
            for r in RoleAssignment.objects.filter(org__in=branches, role__in=MANAGING_ROLES).select_related("user")
        }
        for branch in branches:
            secretary = managers.get(branch.pk)
            above = (nearest_managers(branch.path[: -Organization.steplen]) or [None])[0]
            approver = secretary or above
            members = list(
                Member.objects.filter(
                    org__path__startswith=branch.path, stage__in=PARTY_MEMBER_STAGES, org__is_active=True
                )
                .select_related("user")
                .order_by("name", "id")[:MAX_MEMBERS_PER_BRANCH]
            )
            for member in members:
                if member.user_id and member.user_id == getattr(secretary, "pk", None):
                    status = Status.SUBMITTED  # the secretary's own pledge waits for the committee
                    member_approver = above
                elif member.user_id:
                    status, member_approver = Status.PUBLISHED, approver  # member_demo: a pledge being kept
                else:
                    status, member_approver = _pick(rng, MEMBER_STATES), approver
                if status == "none":
                    continue
                builder.plan(
                    status=status,
                    member=member,
                    org=branch,
                    author=member.user,
                    approver=member_approver,
                    leadership=member.pk in leaders,
                )
            builder.plan(status=_pick(rng, ORG_STATES), org=branch, owner_org=branch, author=secretary, approver=above)
            links.append(BoardLink(org=branch, campaign=campaign, created_by=secretary or above))
        for key, value in builder.write().items():
            totals[key] += value
        totals["branches"] += len(branches)
        _demo_photo(builder)
    BoardLink.objects.bulk_create(links)
    totals["links"] = len(links)
    _history(ctx)
    _notifications(ctx)
    return (
        f"{totals['branches']} 个党支部，{totals['pledges']} 份承诺，{totals['items']} 个事项，"
        f"{totals['updates']} 条践诺进展，{totals['links']} 个公开链接"
    )


def _demo_photo(builder: Builder) -> None:
    """One evidence photo on each login-holding member's latest progress note, so the pages show one."""
    updates = (
        ProgressUpdate.objects.filter(pledge__campaign=builder.campaign, pledge__owner_member__user__isnull=False)
        .order_by("pledge_id", "-on", "-id")
        .distinct()
    )
    seen = set()
    photos = []
    for update in updates:
        if update.pledge_id in seen:
            continue
        seen.add(update.pledge_id)
        photos.append(builder.photo_for(update, update.pk))
    EvidencePhoto.objects.bulk_create(photos)


def _history(ctx: SeedContext) -> None:
    pledges = Pledge.objects.filter(campaign__org__in=[u.root.org for u in ctx.units.values()]).select_related(
        "owner_member", "owner_org", "org", "campaign", "entered_by"
    )
    entries = build_entries(
        ((p, HistoryEntry.Action.CREATE, diff({}, snapshot(p))) for p in pledges.iterator(chunk_size=1000)),
        actor=None,
        source=HistoryEntry.Source.SYSTEM,
        note=HISTORY_NOTE,
    )
    HistoryEntry.objects.bulk_create(entries, batch_size=1000)


def _notifications(ctx: SeedContext) -> None:
    """What the demo logins find in the header: approvals waiting and overdue items."""
    with override(settings.LANGUAGE_CODE):
        _notify_waiting()
        send_overdue_reminders(today=ctx.today)


def _notify_waiting() -> None:
    from pledges.services import recipients

    waiting = Pledge.objects.filter(status=Status.SUBMITTED).select_related("org", "owner_member", "owner_org")
    for pledge in waiting:
        users = recipients.approvers(pledge)
        if users:
            notify(
                recipients=users,
                kind=Notification.Kind.APPROVAL_WAITING,
                message=_("%(name)s's pledge is waiting for your approval.") % {"name": pledge.owner_name},
                url=pledge.get_absolute_url(),
                key=f"pledge:{pledge.pk}:submitted",
            )
