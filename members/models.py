from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .idcard import mask, validate_id_number
from .pii import DerivedCharField, EncryptedCharField, mask_phone
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
    # Encrypted at rest (members/pii.py); exact and in lookups go to the keyed hash, unique there.
    id_number = EncryptedCharField(_("ID number"), max_length=18, validators=[validate_id_number], hash_field="id_hash")
    id_hash = DerivedCharField(max_length=64, unique=True, source="id_number")
    # The last four characters in plain text, for the roster search (the masked display shows them).
    id_tail = DerivedCharField(max_length=4, db_index=True, source="id_number", derive="tail:4")
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.FULL)
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed as full member on"), null=True, blank=True)
    work_unit = models.CharField(_("work unit and position"), max_length=120, blank=True)
    party_post = models.CharField(_("party post"), max_length=60, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, hash_field="phone_hash")
    phone_hash = DerivedCharField(max_length=64, db_index=True, source="phone")
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
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class OrgHeadcount(models.Model):
    """How many people each organization's own roster holds, by stage (members/headcount.py keeps it).

    One row per org with a column per stage, not one row per (org, stage): the five stages are fixed,
    a subtree's totals are then one SUM per column over at most one row per org, and refreshing an org
    is one row written or deleted. Orgs with nobody on their roster have no row. Keyed by org, not by
    path, so moving a subtree changes nothing here.
    """

    org = models.OneToOneField(
        "branches.Organization", on_delete=models.CASCADE, primary_key=True, related_name="headcount"
    )
    applicant = models.PositiveIntegerField(default=0)
    activist = models.PositiveIntegerField(default=0)
    candidate = models.PositiveIntegerField(default=0)
    probationary = models.PositiveIntegerField(default=0)
    full = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("member count")
        verbose_name_plural = _("member counts")

    def __str__(self):
        return f"{self.org_id}: {self.total}"

    @property
    def total(self) -> int:
        return sum(getattr(self, stage) for stage in STAGE_ORDER)


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


class PiiAccess(models.Model):
    """One look at unmasked personal information (个人信息保护法): who, when, whom or how many, what."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed a member page")
        EDIT = "edit", _("Opened the edit form")
        EXPORT = "export", _("Exported the roster")
        ADMIN = "admin", _("Opened in the admin")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("username"), max_length=150)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    count = models.PositiveIntegerField(_("members shown"), default=1)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("personal information access")
        verbose_name_plural = _("personal information accesses")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.username} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
