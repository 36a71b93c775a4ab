from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .idcard import mask, validate_id_number
from .querysets import MemberQuerySet


class Stage(models.TextChoices):
    """The development pipeline, in order."""

    APPLICANT = "applicant", _("Applicant")  # 入党申请人
    ACTIVIST = "activist", _("Activist")  # 入党积极分子
    CANDIDATE = "candidate", _("Candidate for development")  # 发展对象
    PROBATIONARY = "probationary", _("Probationary member")  # 预备党员
    FULL = "full", _("Full member")  # 正式党员


STAGE_ORDER = [s.value for s in Stage]
PARTY_MEMBER_STAGES = (Stage.PROBATIONARY, Stage.FULL)


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Senior secondary")
    JUNIOR = "junior", _("Junior secondary")
    PRIMARY = "primary", _("Primary or below")


class Member(models.Model):
    """A person on a roster: a party member or someone in the development pipeline."""

    org = models.ForeignKey(
        "branches.Organization", on_delete=models.PROTECT, related_name="members", verbose_name=_("organization")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True, validators=[validate_id_number])
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.FULL)
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed as full member on"), null=True, blank=True)
    work_unit = models.CharField(_("work unit and position"), max_length=120, blank=True)
    party_post = models.CharField(_("party post"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    is_mobile = models.BooleanField(_("mobile member"), default=False)  # 流动党员
    is_retired = models.BooleanField(_("retired"), default=False)  # 离退休
    is_frail = models.BooleanField(_("elderly or frail"), default=False)  # 年老体弱
    is_unemployed = models.BooleanField(_("without post"), default=False)  # 无职党员
    photo = models.ImageField(_("photo"), upload_to="members/photos/", blank=True)
    photo_thumbnail = models.ImageField(upload_to="members/thumbs/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["org_id", "name", "id"]
        indexes = [
            models.Index(fields=["org", "name", "id"], name="member_org_name_idx"),
            models.Index(fields=["org", "stage"], name="member_org_stage_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:member_detail", args=[self.pk])

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number)

    @property
    def is_party_member(self) -> bool:
        return self.stage in PARTY_MEMBER_STAGES

    @property
    def id_tail(self) -> str:
        return self.id_number[-4:]


class StageStep(models.Model):
    """The date a member reached a pipeline stage, or passed one of its steps (推荐、公示、票决 …)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="stage_steps", verbose_name=_("member"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline steps")
        ordering = ["member", "on", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "stage"], name="stage_step_unique")]

    def __str__(self):
        return f"{self.member} {self.get_stage_display()} {self.on}"
