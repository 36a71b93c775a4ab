from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from members.pii import DerivedCharField, EncryptedCharField, mask_phone

from .querysets import OrganizationManager, RoleAssignmentQuerySet


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")  # 党委
    WORKING_COMMITTEE = "working_committee", _("Working committee")  # 党工委
    GENERAL_BRANCH = "general_branch", _("General branch")  # 党总支
    BRANCH = "branch", _("Branch")  # 党支部
    GROUP = "group", _("Party group")  # 党小组


class OrgCategory(models.TextChoices):
    ORGAN = "organ", _("Government organ")  # 机关
    INSTITUTION = "institution", _("Public institution")  # 事业单位
    STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise")  # 国有企业
    PRIVATE_ECONOMY = "private_economy", _("Non-public economic organization")  # 非公有制经济组织
    SOCIAL = "social", _("Social organization")  # 社会组织
    COMMUNITY = "community", _("Community")  # 社区
    RURAL = "rural", _("Rural")  # 农村


# Which kinds may sit directly under which: a branch may sit under a committee (直属党支部).
ALLOWED_PARENT_KINDS = {
    OrgKind.COMMITTEE: {None, OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE},
    OrgKind.WORKING_COMMITTEE: {None, OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE},
    OrgKind.GENERAL_BRANCH: {None, OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE},
    OrgKind.BRANCH: {None, OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.GENERAL_BRANCH},
    OrgKind.GROUP: {OrgKind.BRANCH},
}


class Organization(MP_Node):
    """A party organization; the tree (materialized path) is what the access rule walks."""

    name = models.CharField(_("name"), max_length=120, db_index=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.CharField(_("org code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=OrgCategory.choices, blank=True)
    is_joint = models.BooleanField(_("joint branch"), default=False)  # 联合党支部
    is_temporary = models.BooleanField(_("temporary branch"), default=False)  # 临时党支部
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Encrypted at rest like members' phones (members/pii.py); equality lookups go to the keyed hash,
    # whose database default keeps raw INSERT / COPY writers that do not know the column working.
    phone = EncryptedCharField(_("phone"), max_length=30, blank=True, hash_field="phone_hash")
    phone_hash = DerivedCharField(max_length=64, source="phone", db_default="")
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            # LIKE 'prefix%' on PostgreSQL uses an index only with pattern ops (non-C collations).
            models.Index(fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "is_active"], name="org_kind_active_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:org_detail", args=[self.pk])

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH

    @property
    def display_kind(self) -> str:
        if self.kind == OrgKind.BRANCH and self.is_joint:
            return str(_("Joint branch"))
        if self.kind == OrgKind.BRANCH and self.is_temporary:
            return str(_("Temporary branch"))
        return self.get_kind_display()


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")  # 书记
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")  # 副书记
    ORGANIZATION = "organization", _("Organization committee member")  # 组织委员
    PUBLICITY = "publicity", _("Publicity committee member")  # 宣传委员
    DISCIPLINE = "discipline", _("Discipline committee member")  # 纪检委员


class LeadershipPost(models.Model):
    """Who holds which post in an org's leadership for a term (届次)."""

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="posts", verbose_name=_("organization")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="posts", verbose_name=_("member")
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    term = models.CharField(_("term"), max_length=40, blank=True, help_text=_("e.g. 第三届"))
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("leadership post")
        verbose_name_plural = _("leadership posts")
        ordering = ["org", "ended_on", "post"]
        indexes = [models.Index(fields=["org", "post"], name="post_org_idx")]

    def __str__(self):
        return f"{self.org} {self.get_post_display()} {self.member}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Area(models.Model):
    """A 片区: branches of one committee grouped for guidance, with a 负责人 and a 联络员."""

    owner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="areas", verbose_name=_("committee"))
    name = models.CharField(_("name"), max_length=60)
    leader = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in charge"),
    )
    liaison = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("liaison"),
    )
    branches = models.ManyToManyField(Organization, related_name="in_areas", blank=True, verbose_name=_("branches"))

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["owner", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="area_unique_name")]

    def __str__(self):
        return self.name


class ContactPoint(models.Model):
    """A 联系点: a leader linked to a branch (each leader has one or two)."""

    MAX_PER_LEADER = 2

    leader = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("leader")
    )
    branch = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("branch")
    )
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [models.UniqueConstraint(fields=["leader", "branch"], name="contact_point_unique")]

    def __str__(self):
        return f"{self.leader} → {self.branch}"


class Role(models.TextChoices):
    STAFF = "staff", _("Committee staff")
    SECRETARY = "secretary", _("Branch secretary")
    ORGANIZER = "organizer", _("Organization committee member (acting)")


class RoleAssignment(models.Model):
    """A user's role over an org; the union of these orgs' subtrees is what the user may manage."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="role_assignment_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.org}"
