"""Leader reviews (领导点评) and the rectification ledger (整改台账, 挂牌销号).

A review is held by a leader (a member with a login) on an organization and its head, or on a member,
along the line of subordination (reviews/permissions.py). Its shortcomings can each become a
rectification item, which is listed, worked on, and struck off once the superior confirms it
(reviews/rectification_flow.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .querysets import RectificationItemQuerySet, ReviewQuerySet


class Method(models.TextChoices):
    MEETING = "meeting", _("Review at a meeting")  # 会议点评
    ONE_BY_ONE = "one_by_one", _("One-by-one review")  # 逐个点评
    ON_SITE = "on_site", _("On-site review")  # 现场点评


class Stage(models.TextChoices):
    """Before, during and after (点评前、中、后); reviews/review_flow.py says which moves are legal."""

    PLANNED = "planned", pgettext_lazy("review", "Planned")
    HELD = "held", pgettext_lazy("review", "Held")
    ANNOUNCED = "announced", pgettext_lazy("review", "Announced")


# Coverage counts a review once it has taken place.
DONE_STAGES = (Stage.HELD, Stage.ANNOUNCED)


class Basis(models.TextChoices):
    """Why the reviewer may review the target: the line of subordination or a contact point."""

    SUPERIOR_HEAD = "superior_head", _("Head of a superior organization")
    OWN_HEAD = "own_head", _("Head of the member's organization")
    CONTACT_POINT = "contact_point", _("Contact-point leader")


class Review(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("campaign"),
    )
    reviewer = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="reviews_given", verbose_name=_("reviewer")
    )
    basis = models.CharField(_("reviews as"), max_length=20, choices=Basis.choices)
    # The target: an organization (with its head at the time), or a member.
    target_org = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews_received",
        verbose_name=_("organization reviewed"),
    )
    target_head = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews_as_head",
        verbose_name=_("its head"),
    )
    target_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews_received",
        verbose_name=_("member reviewed"),
    )
    # The org the review belongs to in the tree: the target org, or the member's org. Denormalized so
    # that scoping, the ledger and coverage filter on one path.
    org = models.ForeignKey(
        "branches.Organization", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("organization")
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    stage = models.CharField(
        pgettext_lazy("review", "stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNED
    )
    preparation = models.TextField(_("preparation"), blank=True)
    duty_report = models.TextField(_("duty report of the reviewee"), blank=True)  # 报告履责情况
    record = models.TextField(_("record of the review"), blank=True)
    recorder = models.CharField(_("recorded by"), max_length=60, blank=True)
    achievements = models.TextField(_("achievements affirmed"), blank=True)  # 肯定成绩
    direction = models.TextField(_("direction"), blank=True)  # 努力方向
    announcement = models.TextField(_("announcement"), blank=True)  # 通报
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("leader review")
        verbose_name_plural = _("leader reviews")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_org__isnull=False) & Q(target_member__isnull=True))
                | (Q(target_org__isnull=True) & Q(target_member__isnull=False)),
                name="review_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "stage"], name="review_campaign_stage_idx"),
            models.Index(fields=["org", "held_on"], name="review_org_date_idx"),
        ]

    def __str__(self):
        return str(_("Review of %(target)s") % {"target": self.target_name})

    def get_absolute_url(self):
        return reverse("reviews:review_detail", args=[self.pk])

    @property
    def target_name(self) -> str:
        if self.target_org_id:
            head = f"（{self.target_head.name}）" if self.target_head_id else ""
            return f"{self.target_org.name}{head}"
        return self.target_member.name if self.target_member_id else ""

    @property
    def is_of_org(self) -> bool:
        return self.target_org_id is not None


class Shortcoming(models.Model):
    """One shortcoming the reviewer pointed out (指出不足); each can become a rectification item."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="shortcomings", verbose_name=_("review"))
    text = models.CharField(_("shortcoming"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("shortcoming")
        verbose_name_plural = _("shortcomings")
        ordering = ["review", "position", "id"]

    def __str__(self):
        return self.text


class Source(models.TextChoices):
    REVIEW = "review", _("Leader review")
    EVALUATION = "evaluation", _("Mass evaluation")
    INSPECTION = "inspection", _("Inspection")
    DIRECT = "direct", _("Entered directly")


class Status(models.TextChoices):
    """挂牌 → 整改中 → 申请销号 → 销号, or back to 整改中; reviews/rectification_flow.py."""

    LISTED = "listed", _("Listed")
    IN_PROGRESS = "in_progress", _("Being rectified")
    REQUESTED = "requested", _("Strike-off requested")
    STRUCK_OFF = "struck_off", _("Struck off")


OPEN_STATUSES = (Status.LISTED, Status.IN_PROGRESS, Status.REQUESTED)


class RectificationItem(models.Model):
    org = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="rectification_items",
        verbose_name=_("responsible organization"),
    )
    owner_member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("responsible person"),
    )
    problem = models.TextField(_("problem"))
    measures = models.TextField(_("measures"), blank=True)
    deadline = models.DateField(_("deadline"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.DIRECT)
    review = models.ForeignKey(
        Review,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("review"),
    )
    shortcoming = models.OneToOneField(
        Shortcoming,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectification_item",
        verbose_name=_("shortcoming"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("campaign"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.LISTED)
    listed_on = models.DateField(_("listed on"), default=timezone.localdate)
    requested_at = models.DateTimeField(_("strike-off requested at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("strike-off requested by"),
    )
    struck_off_on = models.DateField(_("struck off on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    return_reason = models.CharField(_("reason for return"), max_length=300, blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("listed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.STRUCK_OFF, struck_off_on__isnull=False)
                | (~Q(status=Status.STRUCK_OFF) & Q(struck_off_on__isnull=True)),
                name="rectification_struck_off_date",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="rectification_org_status_idx"),
            models.Index(fields=["listed_on", "struck_off_on"], name="rectification_dates_idx"),
        ]

    def __str__(self):
        return self.problem[:60]

    def get_absolute_url(self):
        return reverse("reviews:item_detail", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        """Past its deadline and not struck off."""
        return self.status != Status.STRUCK_OFF and self.deadline < (today or timezone.localdate())


class RectificationTransition(models.Model):
    """One move of an item: who, when, and why (the reason for a return)."""

    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("item")
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(pgettext_lazy("status", "from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(pgettext_lazy("status", "to"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rectification step")
        verbose_name_plural = _("rectification steps")
        ordering = ["item", "at", "id"]

    def __str__(self):
        return f"{self.item_id} {self.from_status}→{self.to_status}"


class Evidence(models.Model):
    """A progress report on an item: what was done, with photos and files."""

    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("item")
    )
    text = models.TextField(_("progress made"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["item", "at", "id"]

    def __str__(self):
        return self.text[:60]


class Attachment(models.Model):
    """A photo (re-encoded by portal.images, with a thumbnail) or a checked document."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        FILE = "file", _("File")

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="rectification/files/")
    thumbnail = models.ImageField(upload_to="rectification/thumbs/", blank=True)
    name = models.CharField(_("file name"), max_length=120)  # sanitized original name, for display
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["evidence", "id"]

    def __str__(self):
        return self.name
