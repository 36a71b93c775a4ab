"""Leader reviews (领导点评) in each unit's campaign and a rectification ledger (整改台账) per unit.

Along the line of subordination: the root's 书记 reviews organizations directly below it (会议点评 or
现场点评), a branch secretary reviews members one by one (逐个点评), and contact-point leaders review
their contact points (徐元方 among them, so ``leader_demo`` has reviews to work on). Stages spread
over planned, held and announced; every shortcoming of a held review becomes an item in one of the
four states, some past their deadline, plus items found in inspections and the mass evaluation.
Dates are relative to ``ctx.today``, like the campaigns.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from branches.models import ContactPoint, OrgKind, Post
from campaigns.models import Campaign
from members.models import Member, Stage
from reviews.models import (
    Basis,
    Evidence,
    Method,
    RectificationItem,
    RectificationTransition,
    Review,
    Shortcoming,
    Source,
    Status,
)
from reviews.models import Stage as ReviewStage

from .context import SeedContext

STAFF = {
    "zhenjiang": "zhenjiang_staff",
    "yixing": "yixing_staff",
    "dianhua": "dianhua_staff",
    "hancheng": "jiaoyu_staff",
    "zhouzhi": "zhouzhi_staff",
}
ORG_REVIEWS_PER_UNIT = 8

ACHIEVEMENTS = [
    "创先争优活动部署早、动员广，党员公开承诺率达到要求，承诺书在公示栏全部公开。",
    "“三制一卡”推行到位，党员先锋岗、责任区设置合理，群众反映较好。",
    "结合中心工作开展“三学三比三争”，学习笔记、心得体会整理规范。",
    "组织生活正常，三会一课坚持较好，党员参与热情高。",
]
SHORTCOMINGS = [
    "部分党员承诺事项过于笼统，缺少可量化的目标",
    "党员活动室制度牌未按要求上墙",
    "三会一课记录不完整，缺少党小组会记录",
    "承诺公示栏内容更新不及时",
    "对年老体弱党员的口头承诺登记不全",
    "践诺情况缺少佐证材料，台账不规范",
    "联系服务群众的渠道单一，群众意见收集不够",
    "党员学习笔记质量参差不齐",
]
DIRECTIONS = [
    "下阶段要把承诺践诺与岗位职责结合起来，定期晒承诺、亮进度。",
    "要完善台账资料，做到活动有计划、过程有记录、结果有评价。",
    "要加强分类指导，发挥支部书记第一责任人作用，推动争创活动均衡发展。",
]
INSPECTION_PROBLEMS = [
    "安全生产检查发现消防通道堆放杂物",
    "支部换届选举资料归档不全",
    "党费收缴台账与花名册不一致",
]
EVALUATION_PROBLEMS = [
    "群众评议中反映办事窗口服务态度有待改进",
    "群众评议中反映社区便民服务队响应不及时",
]
EVIDENCE_TEXTS = [
    "已制定整改方案，明确责任人和完成时限。",
    "支部召开支委会专题研究，已完成大部分整改内容。",
    "整改已全部完成，相关台账资料已补齐。",
]
# The states of the items opened from shortcomings, in turn: all four, struck-off ones most often.
STATE_CYCLE = [Status.STRUCK_OFF, Status.IN_PROGRESS, Status.REQUESTED, Status.LISTED, Status.STRUCK_OFF]


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _head(node):
    return node.posts.get(Post.SECRETARY) if node.posts else None


class _Writer:
    def __init__(self, ctx: SeedContext, rng: random.Random):
        self.ctx, self.rng, self.today = ctx, rng, ctx.today
        self.reviews: list[tuple[Review, list[str]]] = []
        self.items: list[tuple[RectificationItem, object]] = []  # (item, shortcoming text or None)

    def review(self, campaign, reviewer, basis, *, org, target_org=None, head=None, member=None, method, stage):
        rng, today = self.rng, self.today
        if stage == ReviewStage.PLANNED:
            held_on = today + timedelta(days=rng.randint(3, 20))
        else:
            held_on = max(campaign.starts_on, today - timedelta(days=rng.randint(8, 70)))
        review = Review(
            campaign=campaign,
            reviewer=reviewer,
            basis=basis,
            target_org=target_org,
            target_head=head,
            target_member=member,
            org=org,
            method=method,
            held_on=held_on,
            stage=stage,
            place=f"{org.short_name or org.name}会议室" if method == Method.MEETING else "",
            preparation="查阅承诺书和践诺台账，听取群众意见。",
        )
        texts = []
        if stage != ReviewStage.PLANNED:
            review.duty_report = f"{(head or member).name if (head or member) else org.name}报告了履责和承诺践行情况。"
            review.achievements = rng.choice(ACHIEVEMENTS)
            review.direction = rng.choice(DIRECTIONS)
            review.record = f"{reviewer.name}逐项点评，参会人员进行了讨论。"
            review.recorder = "组织委员"
            texts = rng.sample(SHORTCOMINGS, rng.randint(1, 3))
        if stage == ReviewStage.ANNOUNCED:
            review.announced_on = min(today, held_on + timedelta(days=rng.randint(2, 7)))
            review.announcement = "点评意见已在党建工作推进会上通报，并印发各党组织。"
        self.reviews.append((review, texts))
        return review

    def item(self, *, org, owner, problem, source, status, staff, campaign, review=None, shortcoming=None):
        rng, today = self.rng, self.today
        listed_on = today - timedelta(days=rng.randint(15, 80))
        if review is not None:
            listed_on = max(listed_on, review.held_on)
        if status == Status.LISTED or rng.random() < 0.35:
            # Some past their deadline: the ledger's overdue items.
            deadline = listed_on + timedelta(days=rng.randint(7, 20))
        else:
            deadline = today + timedelta(days=rng.randint(5, 40))
        deadline = max(deadline, listed_on)
        item = RectificationItem(
            org=org,
            owner_member=owner,
            problem=problem,
            measures="明确责任人，制定整改措施，按期完成并提交佐证。",
            deadline=deadline,
            source=source,
            review=review,
            shortcoming=shortcoming,
            campaign=campaign,
            status=status,
            listed_on=listed_on,
            listed_by=staff,
        )
        if status in (Status.REQUESTED, Status.STRUCK_OFF):
            item.requested_at = _aware(min(today, listed_on + timedelta(days=rng.randint(5, 12))))
            # Asked for by the owner's login; None when they have none, so the staff may still confirm.
            item.requested_by = owner.user if owner and owner.user_id else None
        if status == Status.STRUCK_OFF:
            item.struck_off_on = min(today, item.requested_at.date() + timedelta(days=rng.randint(1, 5)))
            item.confirmed_by = staff
        self.items.append(item)
        return item

    def save(self):
        Review.objects.bulk_create([r for r, _texts in self.reviews])
        rows = [
            Shortcoming(review=review, text=text, position=i)
            for review, texts in self.reviews
            for i, text in enumerate(texts)
        ]
        Shortcoming.objects.bulk_create(rows)
        return rows


def _steps(item) -> tuple[list, list]:
    """The transitions and evidence an item in its state has gone through."""
    listed = _aware(item.listed_on, 9)
    steps = [RectificationTransition(item=item, action="list", to_status=Status.LISTED, by=item.listed_by, at=listed)]
    evidence = []
    if item.status == Status.LISTED:
        return steps, evidence
    owner_user = item.owner_member.user if item.owner_member and item.owner_member.user_id else item.listed_by
    reported = listed + timedelta(days=2)
    steps.append(
        RectificationTransition(
            item=item,
            action="report",
            from_status=Status.LISTED,
            to_status=Status.IN_PROGRESS,
            by=owner_user,
            at=reported,
        )
    )
    evidence.append(Evidence(item=item, text=EVIDENCE_TEXTS[0], by=owner_user, at=reported))
    if item.status == Status.IN_PROGRESS:
        return steps, evidence
    evidence.append(Evidence(item=item, text=EVIDENCE_TEXTS[2], by=owner_user, at=item.requested_at))
    steps.append(
        RectificationTransition(
            item=item,
            action="request",
            from_status=Status.IN_PROGRESS,
            to_status=Status.REQUESTED,
            by=item.requested_by,
            at=item.requested_at,
        )
    )
    if item.status == Status.STRUCK_OFF:
        steps.append(
            RectificationTransition(
                item=item,
                action="confirm",
                from_status=Status.REQUESTED,
                to_status=Status.STRUCK_OFF,
                by=item.confirmed_by,
                at=_aware(item.struck_off_on, 16),
            )
        )
    return steps, evidence


def write_reviews(ctx: SeedContext) -> str:
    # Its own random source, so this step does not change what the other steps draw.
    rng = random.Random(f"{ctx.seed}-reviews")
    writer = _Writer(ctx, rng)
    plans = []  # (review, owner member, org) for items from shortcomings
    for key, unit in ctx.units.items():
        root = unit.root
        campaign = Campaign.objects.filter(org=root.org).order_by("id").first()
        staff = ctx.users.get(STAFF.get(key, ""))
        if campaign is None:
            continue
        head = _head(root)
        children = [n for n in root.children if n.is_active and n.kind != OrgKind.GROUP and n.org is not None]
        chosen = rng.sample(children, min(ORG_REVIEWS_PER_UNIT, len(children)))
        if head is not None:
            for i, node in enumerate(chosen):
                stage = [ReviewStage.ANNOUNCED, ReviewStage.HELD, ReviewStage.HELD, ReviewStage.PLANNED][i % 4]
                method = Method.ON_SITE if i % 3 == 2 else Method.MEETING
                target_head = _head(node)
                review = writer.review(
                    campaign,
                    head,
                    Basis.SUPERIOR_HEAD,
                    org=node.org,
                    target_org=node.org,
                    head=target_head,
                    method=method,
                    stage=stage,
                )
                plans.append((review, target_head, node.org, staff))
        # Contact-point leaders review their branches.
        # Leaders with a login first, so that leader_demo finds his contact points reviewed.
        points = (
            ContactPoint.objects.filter(branch__path__startswith=root.org.path)
            .select_related("leader", "branch")
            .order_by(F("leader__user").asc(nulls_last=True), "id")
        )
        for n, point in enumerate(points[:4]):
            branch_head = Member.objects.filter(
                posts__org=point.branch, posts__post=Post.SECRETARY, posts__ended_on__isnull=True
            ).first()
            stage = ReviewStage.PLANNED if n % 2 else ReviewStage.HELD
            review = writer.review(
                campaign,
                point.leader,
                Basis.CONTACT_POINT,
                org=point.branch,
                target_org=point.branch,
                head=branch_head,
                method=Method.ON_SITE,
                stage=stage,
            )
            plans.append((review, branch_head, point.branch, staff))
        # A branch secretary reviews members one by one (逐个点评).
        branch = next((n for n in root.descendants() if n.kind == OrgKind.BRANCH and _head(n) and n.org), None)
        if branch is not None:
            secretary = _head(branch)
            members = list(
                Member.objects.filter(org=branch.org, stage=Stage.FULL).exclude(pk=secretary.pk).order_by("id")[:3]
            )
            for member in members:
                review = writer.review(
                    campaign,
                    secretary,
                    Basis.OWN_HEAD,
                    org=branch.org,
                    member=member,
                    method=Method.ONE_BY_ONE,
                    stage=ReviewStage.HELD,
                )
                plans.append((review, member, branch.org, staff))
        # Problems found elsewhere: inspections and the mass evaluation.
        for j, problem in enumerate(INSPECTION_PROBLEMS + EVALUATION_PROBLEMS):
            if not children:
                break
            node = children[(j * 3) % len(children)]
            source = Source.INSPECTION if problem in INSPECTION_PROBLEMS else Source.EVALUATION
            writer.item(
                org=node.org,
                owner=_head(node),
                problem=problem,
                source=source,
                status=STATE_CYCLE[(j + 1) % len(STATE_CYCLE)],
                staff=staff,
                campaign=campaign,
            )
    shortcomings = writer.save()
    by_review = {}
    for row in shortcomings:
        by_review.setdefault(row.review_id, []).append(row)
    turn = 0
    for review, owner, org, staff in plans:
        for row in by_review.get(review.pk, []):
            status = STATE_CYCLE[turn % len(STATE_CYCLE)]
            turn += 1
            writer.item(
                org=org,
                owner=owner,
                problem=row.text,
                source=Source.REVIEW,
                status=status,
                staff=staff,
                campaign=review.campaign,
                review=review,
                shortcoming=row,
            )
    RectificationItem.objects.bulk_create(writer.items)
    steps, evidence = [], []
    for item in writer.items:
        s, e = _steps(item)
        steps += s
        evidence += e
    RectificationTransition.objects.bulk_create(steps)
    Evidence.objects.bulk_create(evidence)
    overdue = sum(1 for i in writer.items if i.is_overdue(ctx.today))
    return f"{len(writer.reviews)} 次点评，{len(writer.items)} 项整改事项（{overdue} 项逾期）"
