"""选树先进典型: a selection round for a title, its ordered chain of steps, the candidates, each
candidate's decision at each step, and the criteria scores. Passing the last step is the honour."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..querysets import CandidateQuerySet, SelectionRoundQuerySet


class Title(models.TextChoices):
    EXCELLENT_MEMBER = "excellent_member", _("Excellent party member")  # 优秀共产党员
    ADVANCED_ORG = "advanced_org", _("Advanced grassroots party organization")  # 先进基层党组织
    MODEL_POST = "model_post", _("Party member model post")  # 党员示范岗
    MODEL_BRANCH = "model_branch", _("Model party branch")  # 示范党支部
    OTHER = "other", _("Other title")


MEMBER_TITLES = (Title.EXCELLENT_MEMBER, Title.MODEL_POST)
ORG_TITLES = (Title.ADVANCED_ORG, Title.MODEL_BRANCH)


class CandidateKind(models.TextChoices):
    MEMBER = "member", _("Party members")
    ORG = "org", _("Party organizations")


class CriteriaSet(models.TextChoices):
    FIVE_GOOD = "five_good", _("Five goods (organizations)")  # 五个好
    FIVE_MODELS = "five_models", _("Five models (members)")  # 五个模范
    FIVE_VANGUARDS = "five_vanguards", _("Five vanguards (members)")  # 五个先锋


# The items of each set. 五个好 and 五个模范 are worded as the education bureau's report words them;
# the reports name 五个先锋 without its items, so those are the ones the 州直 campaign's carrier lists.
CRITERIA = {
    CriteriaSet.FIVE_GOOD: [
        ("leadership", _("Good leadership team")),  # 领导班子好
        ("members", _("Good body of members")),  # 党员队伍好
        ("mechanism", _("Good working mechanisms")),  # 工作机制好
        ("performance", _("Good work results")),  # 工作业绩好
        ("reputation", _("Good standing with the masses")),  # 群众反映好
    ],
    CriteriaSet.FIVE_MODELS: [
        ("study", _("Model in conscientious study")),  # 自觉学习的模范
        ("teaching", _("Model in teaching and educating")),  # 教书育人的模范
        ("ethics", _("Model in professional ethics")),  # 师德修养的模范
        ("law", _("Model in observing discipline and law")),  # 遵纪守法的模范
        ("service", _("Model in serving teachers and students")),  # 服务师生的模范
    ],
    CriteriaSet.FIVE_VANGUARDS: [
        ("enterprise", _("Vanguard of enterprise and development")),  # 创业发展先锋
        ("dedication", _("Vanguard of devotion to the post")),  # 爱岗敬业先锋
        ("integrity", _("Vanguard of integrity and self-discipline")),  # 诚信自律先锋
        ("harmony", _("Vanguard of promoting harmony")),  # 促进和谐先锋
        ("devotion", _("Vanguard of giving with love")),  # 奉献爱心先锋
    ],
}
CRITERION_MAX = 20  # five items of 20 points: a total out of 100

# The street committee's rules for its 十佳 "党旗下的蒲公英": (step, who decides it).
DEFAULT_CHAIN = [
    (_("Democratic recommendation"), _("Members and the masses")),  # 民主推荐
    (_("Democratic appraisal"), _("Branch general meeting")),  # 民主评议
    (_("Branch application"), _("Branch committee")),  # 支部申报
    (_("Assessment by the superior organization"), _("Superior party organization")),  # 上级党组织考核
    (_("Approval"), _("The organizing committee")),  # 审批
]


class SelectionStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")  # the chain may still change
    RUNNING = "running", _("Under way")
    CLOSED = "closed", _("Closed")


class SelectionRound(models.Model):
    owner = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        related_name="selection_rounds",
        verbose_name=_("organized by"),
    )
    title = models.CharField(pgettext_lazy("honour", "title"), max_length=20, choices=Title.choices)
    name = models.CharField(
        _("name of the honour"), max_length=80, blank=True, help_text=_("e.g. 十佳“党旗下的蒲公英”")
    )
    candidate_kind = models.CharField(_("candidates are"), max_length=10, choices=CandidateKind.choices)
    criteria = models.CharField(_("criteria"), max_length=20, choices=CriteriaSet.choices)
    year = models.PositiveSmallIntegerField(pgettext_lazy("appraisal", "year"))
    quota = models.PositiveSmallIntegerField(_("places"), null=True, blank=True, help_text=_("e.g. 10 for 十佳"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="selection_rounds",
        verbose_name=_("campaign"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SelectionStatus.choices, default=SelectionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SelectionRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("exemplar selection")
        verbose_name_plural = _("exemplar selections")
        ordering = ["-year", "owner__path", "id"]

    def __str__(self):
        return f"{self.year}年度{self.display_title}"

    def get_absolute_url(self):
        return reverse("appraisals:selection_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.name or str(self.get_title_display())

    @property
    def for_members(self) -> bool:
        return self.candidate_kind == CandidateKind.MEMBER

    @property
    def criteria_items(self):
        return CRITERIA[CriteriaSet(self.criteria)]


class SelectionStep(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="steps", verbose_name=_("round"))
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=40)
    body = models.CharField(_("decided by"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("selection step")
        verbose_name_plural = _("selection steps")
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "position"], name="selection_step_unique_position")]

    def __str__(self):
        return self.name


class Outcome(models.TextChoices):
    PENDING = "pending", _("In selection")
    HONOURED = "honoured", _("Honoured")
    NOT_SELECTED = "not_selected", _("Not selected")


class Candidate(models.Model):
    round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("round")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("member"),
    )
    # For a member, their organization when nominated (the honour stays where it was earned if they
    # move); for an organization, itself. Scoping and the reports' counts go through it.
    unit = models.ForeignKey(
        "branches.Organization", on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("organization")
    )
    deeds = models.TextField(_("main deeds"), blank=True)
    outcome = models.CharField(_("selection outcome"), max_length=15, choices=Outcome.choices, default=Outcome.PENDING)
    steps_passed = models.PositiveSmallIntegerField(_("steps passed"), default=0)
    honoured_on = models.DateField(_("honoured on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "member"], condition=Q(member__isnull=False), name="candidate_unique_member"
            ),
            models.UniqueConstraint(
                fields=["round", "unit"], condition=Q(member__isnull=True), name="candidate_unique_org"
            ),
            models.CheckConstraint(
                condition=Q(outcome="honoured", honoured_on__isnull=False) | ~Q(outcome="honoured"),
                name="candidate_honour_dated",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "honoured_on"], name="candidate_honour_idx")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.member.name if self.member_id else self.unit.name

    @property
    def is_honoured(self) -> bool:
        return self.outcome == Outcome.HONOURED


class StepDecision(models.Model):
    """One candidate at one step: the opinion, the vote and who recorded it. Written once."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("candidate")
    )
    step = models.ForeignKey(SelectionStep, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("step"))
    opinion = models.TextField(_("opinion"))
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    passed = models.BooleanField(_("passed"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("step decision")
        verbose_name_plural = _("step decisions")
        ordering = ["candidate", "step__position"]
        constraints = [models.UniqueConstraint(fields=["candidate", "step"], name="step_decision_once")]

    def __str__(self):
        return f"{self.candidate} · {self.step}"

    @property
    def votes_total(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain


class CriterionScore(models.Model):
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="scores", verbose_name=_("candidate")
    )
    item = models.CharField(_("criterion"), max_length=20)
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "item"], name="criterion_score_once"),
            models.CheckConstraint(condition=Q(score__lte=CRITERION_MAX), name="criterion_score_max"),
        ]

    def __str__(self):
        return f"{self.candidate} {self.item} {self.score}"
