from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .querysets import ActivityQuerySet, AttendanceQuerySet, ComplianceRuleQuerySet


class ActivityKind(models.TextChoices):
    ASSEMBLY = "assembly", _("Branch general meeting")  # 支部党员大会
    COMMITTEE = "committee", _("Branch committee meeting")  # 支委会
    GROUP = "group", _("Party group meeting")  # 党小组会
    LECTURE = "lecture", _("Party lecture")  # 党课
    THEME_DAY = "theme_day", _("Themed party day")  # 主题党日
    LIFE_MEETING = "life_meeting", _("Organizational life meeting")  # 组织生活会
    STUDY = "study", pgettext_lazy("activity", "Concentrated study")  # 集中学习
    VOLUNTEER = "volunteer", _("Volunteer service")  # 志愿服务
    OTHER = "other", pgettext_lazy("activity", "Other")


# 三会一课: the four the party constitution requires of every branch.
THREE_MEETINGS_ONE_LESSON = (ActivityKind.ASSEMBLY, ActivityKind.COMMITTEE, ActivityKind.GROUP, ActivityKind.LECTURE)


class Activity(models.Model):
    """One meeting, lesson or activity an org held, with who was expected and who came."""

    org = models.ForeignKey(
        "branches.Organization", on_delete=models.PROTECT, related_name="activities", verbose_name=_("organization")
    )
    # The branch it counts toward for 三会一课: the org itself, or the branch above a 党小组.
    # Set by the service; empty for an activity of a committee.
    branch = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counts toward branch"),
    )
    kind = models.CharField(pgettext_lazy("activity", "type"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("topic"), max_length=120, blank=True)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    host = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host (member)"),
    )
    host_name = models.CharField(_("host"), max_length=60, blank=True)
    recorder = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorder (member)"),
    )
    recorder_name = models.CharField(_("recorder"), max_length=60, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    carriers = models.ManyToManyField(
        "campaigns.Carrier", blank=True, related_name="activities", verbose_name=_("carriers")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["branch", "held_on"], name="activity_branch_date_idx"),
            models.Index(fields=["org", "held_on"], name="activity_org_date_idx"),
            models.Index(fields=["held_on", "id"], name="activity_date_idx"),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("activities:activity_detail", args=[self.pk])

    @property
    def heading(self) -> str:
        """The kind, and the topic when there is one."""
        kind = self.get_kind_display()
        return f"{kind}：{self.title}" if self.title else str(kind)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")  # 出席
    LEAVE = "leave", _("On leave")  # 请假
    ABSENT = "absent", _("Absent")  # 缺席


class Attendance(models.Model):
    """One expected attendee of an activity and whether they came; the rows are the expected count."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("activity")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="attendances", verbose_name=_("member")
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["activity", "member__name", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="attendance_unique_member")]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_idx")]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity"))
    image = models.ImageField(_("photo"), upload_to="activities/photos/")
    thumbnail = models.ImageField(upload_to="activities/thumbs/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "id"]

    def __str__(self):
        return self.image.name


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class AppliesTo(models.TextChoices):
    ALL = "all", _("Every branch")
    WITH_COMMITTEE = "with_committee", _("Branches with a branch committee")
    WITH_GROUPS = "with_groups", _("Branches with party groups")


class ComplianceRule(models.Model):
    """How often branches must hold a kind of activity, e.g. 支委会 at least once a month.

    A rule set by an org applies to every branch below it; for each kind the nearest active
    rule wins (the org's own, else its committee's, …, else the rule with no owner, which
    applies everywhere). A minimum of 0 exempts the subtree from that kind.
    """

    owner = models.ForeignKey(
        "branches.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="compliance_rules",
        verbose_name=_("set by"),
    )
    kind = models.CharField(pgettext_lazy("activity", "type"), max_length=20, choices=ActivityKind.choices)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    minimum = models.PositiveSmallIntegerField(_("at least"), default=1)
    applies_to = models.CharField(_("applies to"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.ALL)
    is_active = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplianceRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity rule")
        verbose_name_plural = _("activity rules")
        ordering = ["owner__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind"], name="rule_unique_owner_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(owner__isnull=True), name="rule_unique_default_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_period_display()} ≥ {self.minimum}"

    def get_absolute_url(self):
        return reverse("activities:rule_edit", args=[self.pk])
