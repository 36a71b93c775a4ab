"""Mass evaluation (群众评议): a round, its questionnaire, one-time codes and anonymous responses.

Anonymity is a property of the schema, not a promise of the code: a ``Code`` records only a keyed hash
and whether it was used (no time, no response), and a ``Response`` has no link to any code or person,
a random primary key and a day, not a time. Nothing in the database ties an answer to a slip.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import ResponseQuerySet, RoundQuerySet, SlipBatchQuerySet

# The 五个好 an org is judged on, in the order the documents list them.
FIVE_GOODS = [
    _("Good leadership team"),  # 领导班子好
    _("Good party member ranks"),  # 党员队伍好
    _("Good working mechanisms"),  # 工作机制好
    _("Good work results"),  # 工作业绩好
    _("Good response from the masses"),  # 群众反映好
]
DEFAULT_COMMENT_PROMPT = _("Your opinions and suggestions")


def new_open_token() -> str:
    # The open link is the only key to an open round's form, so it must not be guessable.
    return secrets.token_urlsafe(18)


class RoundState(models.TextChoices):
    UPCOMING = "upcoming", _("Not yet open")
    OPEN = "open", _("Taking answers")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    """One evaluation round run by an org over some of the orgs below it."""

    owner = models.ForeignKey(
        "branches.Organization", on_delete=models.PROTECT, related_name="evaluation_rounds", verbose_name=_("run by")
    )
    title = models.CharField(_("title"), max_length=120)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_rounds",
        verbose_name=_("campaign"),
    )
    targets = models.ManyToManyField(
        "branches.Organization", related_name="evaluated_in", verbose_name=_("organizations evaluated")
    )
    intro = models.TextField(_("note to respondents"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    allow_open_link = models.BooleanField(_("open link"), default=False)
    open_token = models.CharField(_("open link key"), max_length=40, unique=True, default=new_open_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="round_dates_order")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluations:round_detail", args=[self.pk])

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return RoundState.UPCOMING
        if now >= self.closes_at:
            return RoundState.CLOSED
        return RoundState.OPEN

    def state_label(self, now=None) -> str:
        return RoundState(self.state(now)).label

    @property
    def is_open(self) -> bool:
        return self.state() == RoundState.OPEN

    def open_link_path(self) -> str:
        return reverse("evaluations:answer_open", args=[self.open_token])


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating")
    COMMENT = "comment", _("Comment")


class Question(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions", verbose_name=_("round"))
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(
        _("question kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.RATING
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["round", "position", "id"]
        constraints = [
            # One free-text box per questionnaire: it is what Response.comment holds.
            models.UniqueConstraint(
                fields=["round"], condition=models.Q(kind="comment"), name="question_one_comment_per_round"
            )
        ]

    def __str__(self):
        return self.text


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    BASIC = "basic", _("Basically satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意
    UNKNOWN = "unknown", _("Don't know")  # 不了解


class SlipBatch(models.Model):
    """A printed sheet of one-time codes; the PDF is the only place their plaintext ever exists."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Printing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="slip_batches", verbose_name=_("round"))
    target_org = models.ForeignKey(
        "branches.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization evaluated"),
        help_text=_("Empty: the respondent picks the organization on the form."),
    )
    count = models.PositiveIntegerField(_("number of slips"))
    # Where the QR codes point; the worker has no request to build absolute URLs from.
    site_url = models.CharField(max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf_name = models.CharField(max_length=200, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = SlipBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("slip sheet")
        verbose_name_plural = _("slip sheets")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.round} · {self.count}"

    # A sheet still "printing" after this long lost its worker (a restart mid-task); it is shown as
    # failed so the page stops waiting. A thousand slips take well under a minute.
    STALE_AFTER = timedelta(minutes=15)

    @property
    def is_stale(self) -> bool:
        running = self.status in (self.Status.PENDING, self.Status.RUNNING)
        return running and timezone.now() - self.created_at > self.STALE_AFTER

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING) and not self.is_stale


class Code(models.Model):
    """A one-time code: only its keyed hash and whether it was used. No time, no response, on purpose."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="codes", verbose_name=_("round"))
    target_org = models.ForeignKey(
        "branches.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(SlipBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["round", "used"], name="eval_code_round_used_idx")]

    def __str__(self):
        return f"{self.round} · {self.code_hash[:8]}"


class Response(models.Model):
    """One anonymous answer sheet about one org. A random key and a day only: row order and time tell nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses", verbose_name=_("round"))
    target_org = models.ForeignKey(
        "branches.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization evaluated")
    )
    created_on = models.DateField(_("answered on"))
    comment = models.TextField(_("comment"), blank=True)
    comment_hidden = models.BooleanField(_("comment hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        indexes = [
            models.Index(fields=["round", "target_org"], name="eval_response_round_org_idx"),
            # The results page lists a round's comments newest first, a page at a time.
            models.Index(
                "round",
                models.F("created_on").desc(),
                "target_org",
                "id",
                condition=~models.Q(comment=""),
                name="eval_response_comments_idx",
            ),
            models.Index(fields=["round"], condition=models.Q(comment_hidden=True), name="eval_response_hidden_idx"),
        ]

    def __str__(self):
        return f"{self.round} · {self.target_org}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.CharField(max_length=12, choices=Rating.choices)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question")]

    def __str__(self):
        return self.get_rating_display()


class RateWindow(models.Model):
    """Requests per client per time window for the public pages, shared by every web worker.
    The client is a keyed hash of its address: the table cannot say who answered."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_window_unique")]
        indexes = [models.Index(fields=["window_start"], name="rate_window_start_idx")]

    def __str__(self):
        return f"{self.key[:8]} {self.window_start:%H:%M} {self.hits}"


# stats.Tally.rate in SQL: (satisfied + basic) / (satisfied + basic + dissatisfied), NULL when nobody judged.
_RATE = Cast(models.F("satisfied") + models.F("basic"), models.FloatField()) / NullIf(
    Cast(models.F("satisfied") + models.F("basic") + models.F("dissatisfied"), models.FloatField()), 0.0
)


class TargetTally(models.Model):
    """Per round and org evaluated: answer sheets, comments, and the ratings of every rated question summed.

    A precomputed aggregate of Response and Answer, kept exact by the service that records a response
    (evaluations/tallies.py) and recomputable from them with ``tallies.rebuild``. The results page
    sorts, filters and pages the orgs on it instead of reading every answer.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="target_tallies")
    target = models.ForeignKey("branches.Organization", on_delete=models.CASCADE, related_name="evaluation_tallies")
    responses = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basic = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    # The satisfaction rate (stats.Tally.rate), NULL when nobody judged; kept by the database, so the
    # orgs below the threshold and the order by rate come from an index, not from every org's counts.
    rate = models.GeneratedField(expression=_RATE, output_field=models.FloatField(), db_persist=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "target"], name="eval_target_tally_unique")]
        indexes = [models.Index(fields=["round", "rate"], name="eval_target_tally_rate_idx")]

    def __str__(self):
        return f"{self.round_id} · {self.target_id} · {self.responses}"


class AnswerTally(models.Model):
    """Per round, org evaluated and rated question: how many answers gave each rating (as TargetTally)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answer_tallies")
    target = models.ForeignKey("branches.Organization", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    satisfied = models.PositiveIntegerField(default=0)
    basic = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    rate = models.GeneratedField(expression=_RATE, output_field=models.FloatField(), db_persist=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "target", "question"], name="eval_answer_tally_unique")]
        # The orgs with an item below the threshold, for the results page's filter.
        indexes = [models.Index(fields=["round", "rate"], name="eval_answer_tally_rate_idx")]

    def __str__(self):
        return f"{self.round_id} · {self.target_id} · {self.question_id}"


class QuestionTally(models.Model):
    """Per round and rated question: the ratings of every answer to it (as TargetTally), for the item totals."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="question_tallies")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="round_tallies")
    satisfied = models.PositiveIntegerField(default=0)
    basic = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "question"], name="eval_question_tally_unique")]

    def __str__(self):
        return f"{self.round_id} · {self.question_id}"


class RectificationLink(models.Model):
    """Which rectification item a round's low result for an org was listed as: one per (round, org),
    so listing it twice shows the item already there."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="rectification_links")
    target = models.ForeignKey("branches.Organization", on_delete=models.CASCADE, related_name="+")
    item = models.OneToOneField("reviews.RectificationItem", on_delete=models.CASCADE, related_name="evaluation_link")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "target"], name="eval_rectification_once")]

    def __str__(self):
        return f"{self.round_id} · {self.target_id} → {self.item_id}"
