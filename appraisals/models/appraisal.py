"""民主评议党员: one round per branch and year; each member's self-appraisal, the secret peer grading,
the optional mass opinion and the branch's decision.

Secrecy of the peer grading is in the shape of the tables, not in a promise of the code:
``Ballot`` says only THAT a member has voted in a round (one row per voter, no grades, no time), and
``PeerTally`` holds running counts per subject and grade (no voter, no time, no row per ballot). The
two are written in one transaction, so nothing stored, not even the order of rows, ties a grade to
the person who gave it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..querysets import AppraisalEntryQuerySet, AppraisalRoundQuerySet


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    QUALIFIED = "qualified", _("Qualified")  # 合格
    BASIC = "basic", _("Basically qualified")  # 基本合格
    UNQUALIFIED = "unqualified", _("Unqualified")  # 不合格


GRADE_ORDER = [g.value for g in Grade]


class AppraisalPhase(models.TextChoices):
    """In order; the moves between them live in appraisals/appraisal_flow.py."""

    SELF = "self", _("Self-appraisal")  # 个人自评
    PEER = "peer", _("Peer grading")  # 党员互评
    DECIDING = "deciding", _("Branch decision")  # 支部评定
    CLOSED = "closed", _("Closed")  # 结束


class AppraisalRound(models.Model):
    org = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="appraisal_rounds",
        verbose_name=_("branch"),
    )
    year = models.PositiveSmallIntegerField(pgettext_lazy("appraisal", "year"))
    phase = models.CharField(_("phase"), max_length=10, choices=AppraisalPhase.choices, default=AppraisalPhase.SELF)
    note = models.CharField(_("arrangement"), max_length=200, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppraisalRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("member appraisal round")
        verbose_name_plural = _("member appraisal rounds")
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="appraisal_round_unique_year")]

    def __str__(self):
        return f"{self.org} {self.year}年度民主评议党员"

    def get_absolute_url(self):
        return reverse("appraisals:round_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.phase == AppraisalPhase.CLOSED


class AppraisalEntry(models.Model):
    """One member in one round: the self-appraisal, the masses' opinion and the branch's decision."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="entries", verbose_name=_("round"))
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="appraisal_entries", verbose_name=_("member")
    )
    self_text = models.TextField(_("self-appraisal"), blank=True)
    self_submitted_at = models.DateTimeField(_("self-appraisal handed in at"), null=True, blank=True)
    # 群众评议: counts the secretary copies from the masses' forms; all zero when none was held.
    mass_excellent = models.PositiveIntegerField(_("masses: excellent"), default=0)
    mass_qualified = models.PositiveIntegerField(_("masses: qualified"), default=0)
    mass_basic = models.PositiveIntegerField(_("masses: basically qualified"), default=0)
    mass_unqualified = models.PositiveIntegerField(_("masses: unqualified"), default=0)
    # 支部评定: the grade the branch meeting decided and its vote.
    grade = models.CharField(_("decided grade"), max_length=12, choices=Grade.choices, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = AppraisalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("member appraisal")
        verbose_name_plural = _("member appraisals")
        ordering = ["round", "member__name", "member_id"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="appraisal_entry_unique_member")]
        indexes = [models.Index(fields=["round", "grade"], name="appraisal_entry_grade_idx")]

    def __str__(self):
        return f"{self.member} · {self.round.year}年度"

    @property
    def has_self_appraisal(self) -> bool:
        return self.self_submitted_at is not None

    @property
    def is_decided(self) -> bool:
        return bool(self.grade)

    @property
    def mass_counts(self) -> list[int]:
        return [self.mass_excellent, self.mass_qualified, self.mass_basic, self.mass_unqualified]

    @property
    def mass_total(self) -> int:
        return sum(self.mass_counts)


class Ballot(models.Model):
    """That a member has handed in their peer grading in a round; nothing about what they gave.

    No time is kept: a timestamp next to a tally's change would be enough to tell a voter's grades."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("round"))
    voter = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="appraisal_ballots", verbose_name=_("voter")
    )

    class Meta:
        verbose_name = _("peer grading ballot")
        verbose_name_plural = _("peer grading ballots")
        constraints = [models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_voter")]

    def __str__(self):
        return f"{self.voter} · {self.round}"


class PeerTally(models.Model):
    """How many peers gave a subject a grade: a counter, so no row exists per ballot to be traced."""

    entry = models.ForeignKey(
        AppraisalEntry, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("member")
    )
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("peer grading tally")
        verbose_name_plural = _("peer grading tallies")
        constraints = [models.UniqueConstraint(fields=["entry", "grade"], name="peer_tally_unique_grade")]

    def __str__(self):
        return f"{self.entry.member} {self.get_grade_display()} {self.count}"
