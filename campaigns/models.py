from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import CampaignQuerySet


class CampaignStatus(models.TextChoices):
    """Where a campaign stands on a given day; derived from its dates, never stored."""

    RUNNING = "running", _("Running")
    UPCOMING = "upcoming", _("Not started")
    PAST = "past", _("Ended")


def _share(done_days: int, total_days: int) -> float:
    return min(1.0, max(0.0, done_days / total_days)) if total_days > 0 else 1.0


class Campaign(models.Model):
    """A themed campaign run by an org over its whole subtree, e.g. 创先争优活动."""

    org = models.ForeignKey(
        "branches.Organization", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_order")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:campaign_detail", args=[self.pk])

    def current_phase(self, on=None):
        """The phase whose dates contain the day; phases are few, so the prefetched list is walked."""
        on = on or timezone.localdate()
        for phase in self.phases.all():
            if phase.starts_on <= on <= phase.ends_on:
                return phase
        return None

    def status(self, on=None) -> str:
        on = on or timezone.localdate()
        if on < self.starts_on:
            return CampaignStatus.UPCOMING
        if on > self.ends_on:
            return CampaignStatus.PAST
        return CampaignStatus.RUNNING

    def status_label(self, on=None) -> str:
        return CampaignStatus(self.status(on)).label

    @property
    def duration_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def elapsed_share(self, on=None) -> float:
        """Share of the period's days that have begun by the day (0 before it starts, 1 after)."""
        on = on or timezone.localdate()
        return _share((on - self.starts_on).days + 1, self.duration_days)

    def days_left(self, on=None) -> int:
        """Days after the day until the last one; 0 on the last day."""
        on = on or timezone.localdate()
        return max(0, (self.ends_on - on).days)

    def days_to_start(self, on=None) -> int:
        on = on or timezone.localdate()
        return max(0, (self.starts_on - on).days)


class PhaseKind(models.TextChoices):
    MOBILIZE = "mobilize", _("Publicity and mobilization")  # 宣传动员
    STUDY = "study", _("Concentrated study")  # 集中学习
    PLEDGE = "pledge", _("Public pledges")  # 公开承诺
    LEADER_REVIEW = "leader_review", _("Leader reviews")  # 领导点评
    MASS_EVALUATION = "mass_evaluation", _("Mass evaluation")  # 群众评议
    COMMENDATION = "commendation", _("Selection and commendation")  # 评选表彰
    OTHER = "other", _("Other")


DEFAULT_PHASES = [
    PhaseKind.MOBILIZE,
    PhaseKind.STUDY,
    PhaseKind.PLEDGE,
    PhaseKind.LEADER_REVIEW,
    PhaseKind.MASS_EVALUATION,
    PhaseKind.COMMENDATION,
]


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("campaign"))
    kind = models.CharField(_("kind"), max_length=20, choices=PhaseKind.choices, default=PhaseKind.OTHER)
    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "position", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_dates_order")
        ]

    def __str__(self):
        return self.name

    @property
    def duration_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def state(self, on=None) -> str:
        """ "done", "current" or "ahead" on the day, for the timeline."""
        on = on or timezone.localdate()
        if on > self.ends_on:
            return "done"
        return "current" if on >= self.starts_on else "ahead"

    def days_left(self, on=None) -> int:
        on = on or timezone.localdate()
        return max(0, (self.ends_on - on).days)


class Carrier(models.Model):
    """A named theme (载体) that pledges and activities hang on, e.g. 四争四创, 一旗一岗一承诺."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="carriers", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["campaign", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="carrier_unique_name")]

    def __str__(self):
        return self.name
