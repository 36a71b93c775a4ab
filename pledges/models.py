"""Public pledges (公开承诺): who pledged what, its items, every step it went through, and its fulfilment."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.pii import DerivedCharField, EncryptedCharField

from .querysets import BoardLinkQuerySet, PledgeItemQuerySet, PledgeQuerySet


class Category(models.TextChoices):
    """What a pledge is about: four for members, three for organizations (the committees' wording)."""

    # 党员承诺
    STUDY = "study", _("Lead in study, raise ability")  # 带头学习、提升能力
    INNOVATE = "innovate", _("Reform and innovate, drive development")  # 改革创新、推动发展
    DUTY = "duty", _("Perform duties, serve the people")  # 认真履职、服务群众
    INTEGRITY = "integrity", _("Obey the law, stay diligent and clean")  # 遵纪守法、勤政廉政
    # 党组织承诺
    CENTRE = "centre", _("Serve the central task, build the team")  # 服务中心、建设队伍
    STYLE = "style", _("Improve style, raise efficiency")  # 改进作风、提高效能
    LIVELIHOOD = "livelihood", _("Serve the people, improve livelihoods")  # 服务群众、改善民生


MEMBER_CATEGORIES = (Category.STUDY, Category.INNOVATE, Category.DUTY, Category.INTEGRITY)
ORG_CATEGORIES = (Category.CENTRE, Category.STYLE, Category.LIVELIHOOD)


class Status(models.TextChoices):
    """The steps of 公开承诺, in order; pledges/workflow.py says which moves are legal."""

    NEEDS = "needs", _("Collecting needs")  # 调研走访
    DRAFT = "draft", pgettext_lazy("pledge", "Draft")  # 提出事项
    SUBMITTED = "submitted", _("Awaiting approval")  # 审核确定
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")  # 公开公示, 践诺
    CLOSED = "closed", _("Judged")  # 评诺


# What the public board and the statistics count as a pledge made in public.
PUBLIC_STATUSES = (Status.PUBLISHED, Status.CLOSED)
# Sent to the approver at least once.
SUBMITTED_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.PUBLISHED, Status.CLOSED)
APPROVED_STATUSES = (Status.APPROVED, Status.PUBLISHED, Status.CLOSED)
EDITABLE_STATUSES = (Status.NEEDS, Status.DRAFT, Status.RETURNED)


class Outcome(models.TextChoices):
    KEPT = "kept", _("Kept")
    PARTLY = "partly", _("Partly kept")
    NOT_KEPT = "not_kept", _("Not kept")


class Pledge(models.Model):
    """One member's or one organization's pledge in a campaign, with one or more items."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="pledges", verbose_name=_("campaign")
    )
    owner_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("member"),
    )
    owner_org = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_pledges",
        verbose_name=_("pledging organization"),
    )
    # The org whose board shows the pledge: the member's branch, or the pledging org itself.
    # Denormalized so that scoping and boards filter on one path.
    # No index of its own: pledge_list_idx (org, id) leads with it and serves lookups by org.
    org = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("board of"),
        db_index=False,
    )
    category = models.CharField(pgettext_lazy("pledge", "category"), max_length=20, choices=Category.choices)
    needs_notes = models.TextField(
        _("needs collected"),
        blank=True,
        help_text=_("What the visits and talks (调研走访) found people need; the items answer it."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEEDS)
    leadership_post_holder = models.BooleanField(
        _("holds a leadership post"), default=False, help_text=_("Pledges to a higher standard than other members.")
    )
    is_oral = models.BooleanField(_("oral pledge"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    show_phone = models.BooleanField(_("show service phone on the board"), default=False)
    # Encrypted at rest like members' phones (members/pii.py); equality lookups go to the keyed hash,
    # whose database default keeps raw INSERT / COPY writers that do not know the column working.
    service_phone = EncryptedCharField(_("service phone"), max_length=20, blank=True, hash_field="service_phone_hash")
    service_phone_hash = DerivedCharField(max_length=64, source="service_phone", db_default="")
    carriers = models.ManyToManyField(
        "campaigns.Carrier", blank=True, related_name="pledges", verbose_name=_("carriers")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("judged at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    judge_comment = models.TextField(_("judge's comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["org_id", "owner_org_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_member__isnull=False) & Q(owner_org__isnull=True))
                | (Q(owner_member__isnull=True) & Q(owner_org__isnull=False)),
                name="pledge_one_owner",
            ),
            models.UniqueConstraint(fields=["campaign", "owner_member"], name="pledge_one_per_member"),
            models.UniqueConstraint(fields=["campaign", "owner_org"], name="pledge_one_per_org"),
            models.CheckConstraint(
                condition=Q(status=Status.CLOSED, outcome__gt="") | (~Q(status=Status.CLOSED) & Q(outcome="")),
                name="pledge_outcome_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "campaign", "status"], name="pledge_board_idx"),
            models.Index(fields=["campaign", "status"], name="pledge_campaign_status_idx"),
            # The pledge list's keyset order (pledges/views/pledges.py LIST_KEY): pages are index range reads.
            models.Index(fields=["org", "id"], name="pledge_list_idx"),
            # The approval queue: one state's pledges in the order they were submitted.
            models.Index(fields=["status", "submitted_at", "id"], name="pledge_queue_idx"),
        ]

    def __str__(self):
        return str(_("Pledge of %(owner)s") % {"owner": self.owner_name})

    def get_absolute_url(self):
        return reverse("pledges:pledge_detail", args=[self.pk])

    @property
    def is_org_pledge(self) -> bool:
        return self.owner_org_id is not None

    @property
    def owner_name(self) -> str:
        owner = self.owner_org if self.owner_org_id else self.owner_member
        return owner.name if owner is not None else ""

    @property
    def board_phone(self) -> str:
        """The phone the board shows: only what the owner chose to show."""
        return self.service_phone if self.show_phone else ""


class PledgeItem(models.Model):
    """One thing pledged, with a concrete target and a due date."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="items", verbose_name=_("pledge"))
    content = models.CharField(_("pledge item"), max_length=200)
    target = models.CharField(_("concrete target"), max_length=200)
    due_on = models.DateField(_("due on"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = PledgeItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge item")
        verbose_name_plural = _("pledge items")
        ordering = ["pledge", "position", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="pledge_item_percent_max")]
        indexes = [
            # Open items by due date, the order of the approval queue's overdue list; done items (most of
            # them once campaigns end) are left out. Every overdue test (querysets.overdue) has done_on null.
            models.Index(fields=["due_on", "id"], condition=Q(done_on__isnull=True), name="pledge_item_open_due_idx")
        ]

    def __str__(self):
        return self.content

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today=None) -> bool:
        """Past its date, not done, while the pledge is being fulfilled."""
        today = today or timezone.localdate()
        return not self.is_done and self.due_on < today and self.pledge.status == Status.PUBLISHED


class PledgeTransition(models.Model):
    """One move of a pledge through its steps: who, when, why (the reason for a return, the judge's comment)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("pledge"))
    action = models.CharField(_("step"), max_length=20)
    from_status = models.CharField(
        pgettext_lazy("pledge step", "from"), max_length=20, choices=Status.choices, blank=True
    )  # blank: created
    to_status = models.CharField(pgettext_lazy("pledge step", "to"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("pledge step")
        verbose_name_plural = _("pledge steps")
        ordering = ["pledge", "at", "id"]

    def __str__(self):
        return f"{self.pledge_id}: {self.from_status} → {self.to_status}"

    @property
    def label(self) -> str:
        from .workflow import MOVES

        move = MOVES.get(self.action)
        return str(move.label) if move else str(_("Written"))


class ProgressUpdate(models.Model):
    """A dated note on fulfilment (践诺), optionally moving one item's percentage, with photos as evidence."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="updates", verbose_name=_("pledge"))
    item = models.ForeignKey(
        PledgeItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("pledge item"),
    )
    on = models.DateField(_("date"))
    text = models.TextField(_("what was done"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["pledge", "-on", "-id"]

    def __str__(self):
        return f"{self.on} {self.text[:30]}"


class EvidencePhoto(models.Model):
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name=_("progress update")
    )
    image = models.ImageField(_("photo"), upload_to="pledges/evidence/")
    thumbnail = models.ImageField(upload_to="pledges/evidence-thumbs/")

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["update", "id"]

    def __str__(self):
        return self.image.name


def new_board_token() -> str:
    # 24 random bytes: the link is the only key to the page, so it must not be guessable.
    return secrets.token_urlsafe(24)


class BoardLink(models.Model):
    """The unguessable address of an org's public pledge board for one campaign; revoking it ends the page."""

    org = models.ForeignKey(
        "branches.Organization", on_delete=models.CASCADE, related_name="board_links", verbose_name=_("organization")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="board_links", verbose_name=_("campaign")
    )
    token = models.CharField(max_length=64, unique=True, default=new_board_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BoardLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("public board link")
        verbose_name_plural = _("public board links")
        ordering = ["org", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "campaign"], condition=Q(revoked_at__isnull=True), name="board_link_one_active"
            )
        ]

    def __str__(self):
        return f"{self.org} · {self.campaign}"

    def get_absolute_url(self):
        return reverse("pledges:board_public", args=[self.token])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PledgeTally(models.Model):
    """The pledge figures of one (org, campaign, category), kept as data (pledges/tally.py keeps them).

    The dashboard of a province used to count the campaign's ~400,000 pledge items on every visit after
    a pledge write; it now sums one row per org. The columns are those of pledges.stats.PLEDGE_COUNTS and
    ITEM_COUNTS; ``overdue`` counts the open items of published pledges due before the one date in
    PledgeTallyDate, which moves forward a day at a time (tally.roll_forward). Every (org, campaign,
    category) holding a pledge has a row, zeros included: the reports list the orgs with pledges.
    """

    org = models.ForeignKey("branches.Organization", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=Category.choices)
    member_pledges = models.PositiveIntegerField(default=0)
    org_pledges = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    partly = models.PositiveIntegerField(default=0)
    not_kept = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pledge tally")
        verbose_name_plural = _("pledge tallies")
        constraints = [
            models.UniqueConstraint(fields=["org", "campaign", "category"], name="pledge_tally_one_per_category")
        ]
        indexes = [models.Index(fields=["campaign", "org"], name="pledge_tally_campaign_idx")]

    def __str__(self):
        return f"{self.org_id} · {self.campaign_id} · {self.category}"


class PledgeTallyDate(models.Model):
    """One row: the tallies' ``overdue`` counts the open items due before ``overdue_before``."""

    overdue_before = models.DateField()

    class Meta:
        verbose_name = _("pledge tally date")
        verbose_name_plural = _("pledge tally dates")

    def __str__(self):
        return self.overdue_before.isoformat()
