"""The roster (花名册) as django-import-export sees it: columns, cleaning, keys and history.

Keyed on 公民身份号码: re-importing a file updates the people already on the roster and never
adds them twice. Built for speed on large rosters: existing members are fetched in one query
for all the ID numbers in the file, orgs of the target subtree in another, and new and changed
rows are written with bulk_create / bulk_update (history rows in bulk too).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from import_export.fields import Field

from branches import access
from branches.models import Organization
from imports.cleaning import MonthOnly, text
from imports.engine import ImportResource
from imports.readers import Column
from imports.widgets import ChoiceWidget, DateWidget, FlagWidget, PhoneWidget, PlainWidget, TextWidget

from . import headcount, idcard
from .models import Education, Gender, Member, Stage
from .pii import sync_derived

GENDER_WORDS = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "m": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "f": Gender.FEMALE,
}
STAGE_WORDS = {
    "正式党员": Stage.FULL,
    "正式": Stage.FULL,
    "党员": Stage.FULL,
    "预备党员": Stage.PROBATIONARY,
    "预备": Stage.PROBATIONARY,
    "发展对象": Stage.CANDIDATE,
    "入党积极分子": Stage.ACTIVIST,
    "积极分子": Stage.ACTIVIST,
    "入党申请人": Stage.APPLICANT,
    "申请人": Stage.APPLICANT,
}
EDUCATION_WORDS = {
    "研究生": Education.POSTGRADUATE,
    "研究生及以上": Education.POSTGRADUATE,
    "博士": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
    "硕士": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE,
    "大学": Education.UNIVERSITY,
    "本科": Education.UNIVERSITY,
    "大学本科": Education.UNIVERSITY,
    "大专": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "高中": Education.SECONDARY,
    "中专": Education.SECONDARY,
    "中技": Education.SECONDARY,
    "职高": Education.SECONDARY,
    "高中及中专": Education.SECONDARY,
    "初中": Education.JUNIOR,
    "小学": Education.PRIMARY,
    "小学及以下": Education.PRIMARY,
}

COLUMNS = [
    Column("name", pgettext_lazy("roster column", "Name"), ("姓名", "党员姓名"), required=True),
    Column(
        "gender",
        pgettext_lazy("roster column", "Gender"),
        ("性别",),
        help=gettext_lazy("男 or 女; left empty, taken from the ID number"),
    ),
    Column("ethnicity", pgettext_lazy("roster column", "Ethnicity"), ("民族",)),
    Column(
        "birth_date",
        pgettext_lazy("roster column", "Birth date"),
        ("出生日期", "出生年月", "出生时间"),
        help=gettext_lazy("left empty, taken from the ID number"),
    ),
    Column(
        "id_number",
        pgettext_lazy("roster column", "Citizen ID number"),
        ("公民身份号码", "身份证号", "身份证号码", "身份证", "公民身份证号码", "身份证件号码"),
        required=True,
        help=gettext_lazy("18 characters; the key that finds a member again on re-import"),
    ),
    Column("education", pgettext_lazy("roster column", "Education"), ("学历", "文化程度", "最高学历")),
    Column(
        "stage",
        pgettext_lazy("roster column", "Member category"),
        ("人员类别", "党员类别", "发展阶段", "类别"),
        help=gettext_lazy("正式党员, 预备党员, 发展对象, 入党积极分子 or 入党申请人; empty means 正式党员"),
    ),
    Column("joined_on", pgettext_lazy("roster column", "Joined the party on"), ("入党日期", "入党时间")),
    Column("confirmed_on", pgettext_lazy("roster column", "Confirmed as full member on"), ("转正日期", "转正时间")),
    Column(
        "org",
        pgettext_lazy("roster column", "Party organization"),
        ("所在党组织", "所在支部", "党组织", "所属党组织", "所在党支部"),
        help=gettext_lazy(
            "full name of an organization at or below the one chosen for the import; empty means that one"
        ),
    ),
    Column(
        "org_code",
        pgettext_lazy("roster column", "Party organization code"),
        ("党组织编码", "党组织代码", "组织编码"),
        help=gettext_lazy("used instead of the name when given"),
    ),
    Column(
        "work_unit",
        pgettext_lazy("roster column", "Work unit and position"),
        ("工作单位及职务", "工作单位", "单位及职务", "工作单位及职位"),
    ),
    Column("party_post", pgettext_lazy("roster column", "Party post"), ("党内职务",)),
    Column(
        "phone", pgettext_lazy("roster column", "Phone"), ("联系电话", "手机", "手机号码", "电话", "手机号", "联系方式")
    ),
    Column(
        "is_mobile",
        pgettext_lazy("roster column", "Mobile member"),
        ("流动党员", "是否流动党员"),
        help=gettext_lazy("是 or 否"),
    ),
    Column(
        "is_retired",
        pgettext_lazy("roster column", "Retired"),
        ("离退休", "是否离退休", "离退休党员"),
        help=gettext_lazy("是 or 否"),
    ),
    Column(
        "is_frail",
        pgettext_lazy("roster column", "Elderly or frail"),
        ("年老体弱", "是否年老体弱"),
        help=gettext_lazy("是 or 否"),
    ),
    Column(
        "is_unemployed",
        pgettext_lazy("roster column", "Without post"),
        ("无职党员", "是否无职党员"),
        help=gettext_lazy("是 or 否"),
    ),
]
ORG_CODE_COLUMN = next(c for c in COLUMNS if c.key == "org_code")

# The fields an import may set; bulk_update writes exactly these.
WRITTEN_FIELDS = [c.key for c in COLUMNS if c.key not in ("id_number", "org_code")] + ["phone_hash", "updated_at"]


def _key(raw: dict) -> dict:
    number = idcard.normalize(raw.get("id_number"))
    return {"name": text(raw.get("name"))[:60], "detail": idcard.mask(number)}


class MemberResource(ImportResource):
    COLUMNS = COLUMNS

    name = Field("name", "name", widget=TextWidget(60, required=True))
    gender = Field("gender", "gender", widget=ChoiceWidget(Gender, GENDER_WORDS))
    ethnicity = Field("ethnicity", "ethnicity", widget=TextWidget(20))
    birth_date = Field("birth_date", "birth_date", widget=DateWidget())
    id_number = Field("id_number", "id_number", widget=PlainWidget())
    education = Field("education", "education", widget=ChoiceWidget(Education, EDUCATION_WORDS))
    stage = Field("stage", "stage", widget=ChoiceWidget(Stage, STAGE_WORDS))
    joined_on = Field("joined_on", "joined_on", widget=DateWidget())
    confirmed_on = Field("confirmed_on", "confirmed_on", widget=DateWidget())
    org = Field("org__name", "org", widget=PlainWidget(), readonly=True)
    org_code = Field("org__code", "org_code", widget=PlainWidget(), readonly=True)
    work_unit = Field("work_unit", "work_unit", widget=TextWidget(120))
    party_post = Field("party_post", "party_post", widget=TextWidget(60))
    phone = Field("phone", "phone", widget=PhoneWidget())
    is_mobile = Field("is_mobile", "is_mobile", widget=FlagWidget())
    is_retired = Field("is_retired", "is_retired", widget=FlagWidget())
    is_frail = Field("is_frail", "is_frail", widget=FlagWidget())
    is_unemployed = Field("is_unemployed", "is_unemployed", widget=FlagWidget())

    class Meta:
        model = Member
        fields = tuple(c.key for c in COLUMNS)
        import_order = fields
        export_order = fields
        import_id_fields = ("id_number",)
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_unchanged = True
        report_skipped = True
        store_instance = True
        # Validation is ours (cleaners + validate_instance); full_clean() would add a
        # uniqueness query per row for the ID number we already looked up in one query.
        clean_model_instances = False

    key = staticmethod(_key)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.existing: dict[str, Member] = {}
        self.stage_before: dict[str, str] = {}
        self.org_before: set[int] = set()  # orgs people in the file are on before it is imported
        self.seen: dict[str, int] = {}
        self.scope = access.scope_for(self.by) if self.by is not None else None

    def _load_orgs(self):
        if self.target_org is None:
            raise ValueError("A roster import needs a target organization.")
        orgs = list(
            Organization.objects.in_subtree(self.target_org).only("id", "name", "code", "path", "is_active", "kind")
        )
        self.orgs_by_code = {o.code.upper(): o for o in orgs}
        self.orgs_by_name: dict[str, list[Organization]] = {}
        for org in orgs:
            self.orgs_by_name.setdefault(org.name, []).append(org)
        self.orgs_by_pk = {o.pk: o for o in orgs}

    def get_bulk_update_fields(self):
        return WRITTEN_FIELDS

    def get_queryset(self):
        return Member.objects.manageable_by(self.by) if self.by is not None else Member.objects.all()

    def before_import(self, dataset, **kwargs):
        self._load_orgs()
        if "id_number" not in dataset.headers:
            return
        numbers = sorted({idcard.normalize(v) for v in dataset["id_number"]} - {""})
        for start in range(0, len(numbers), 2000):
            chunk = numbers[start : start + 2000]
            for member in Member.objects.filter(id_number__in=chunk).select_related("org", "user"):
                self.existing[member.id_number] = member
                self.stage_before[member.id_number] = member.stage
                self.org_before.add(member.org_id)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            # Bulk writes send no signals: recount every org a row may have added to or taken from.
            headcount.refresh(set(self.orgs_by_pk) | self.org_before)

    def get_instance(self, instance_loader, row):
        return self.existing.get(idcard.normalize(row.get("id_number")))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        file_row = self.file_row(kwargs["row_number"])
        self._check_id(instance, row, file_row, errors)
        self._place(instance, row, errors)
        if not instance.stage:
            # An empty category keeps what the roster already says; a new person is a full member.
            instance.stage = self.stage_before.get(instance.id_number) or Stage.FULL
        if errors:
            raise ValidationError(errors)
        # bulk_update skips pre_save: the phone's lookup hash is refreshed here.
        sync_derived(instance)
        instance.updated_at = timezone.now()

    def _check_id(self, instance, row, file_row, errors):
        raw = row.get("id_number")
        try:
            info = idcard.parse(raw)
        except ValidationError as error:
            if isinstance(raw, float):
                message = _("was stored by Excel as a number and lost its last digits; format the column as text.")
            else:
                message = error.messages[0]
            errors.setdefault("id_number", []).append(message)
            return
        first = self.seen.setdefault(info.number, file_row)
        if first != file_row:
            errors.setdefault("id_number", []).append(
                _("appears again: row %(row)d of this file has the same ID number.") % {"row": first}
            )
        if instance.pk and self.scope is not None and not self.scope.may_manage_path(instance.org.path):
            errors.setdefault("id_number", []).append(
                _("belongs to a member of an organization you do not manage; ask its committee to transfer them.")
            )
        instance.id_number = info.number
        given = instance.birth_date
        if isinstance(given, MonthOnly) and (given.year, given.month) == (info.birth_date.year, info.birth_date.month):
            # 出生年月 gives the month; the ID number gives the day.
            instance.birth_date = given = info.birth_date
        if "birth_date" in row and given and given != info.birth_date:
            errors.setdefault("birth_date", []).append(
                _("contradicts the ID number, which gives %(date)s.") % {"date": info.birth_date.isoformat()}
            )
        elif not instance.birth_date:
            instance.birth_date = info.birth_date
        if "gender" in row and instance.gender and instance.gender != info.gender:
            errors.setdefault("gender", []).append(
                _("contradicts the ID number, which gives %(gender)s.") % {"gender": Gender(info.gender).label}
            )
        elif not instance.gender:
            instance.gender = info.gender
        if instance.joined_on and instance.confirmed_on and instance.confirmed_on < instance.joined_on:
            errors.setdefault("confirmed_on", []).append(
                _("is before the date of joining the party (%(date)s).") % {"date": instance.joined_on.isoformat()}
            )

    def _place(self, instance, row, errors):
        """Which org the row puts the person in: by code, else by full name, else the target."""
        code = str(row.get("org_code") or "").strip()
        name = str(row.get("org") or "").strip()
        org = None
        if code:
            org = self.orgs_by_code.get(text(code).upper())
            if org is None:
                errors.setdefault("org_code", []).append(self._outside())
                return
        elif name:
            by_code = self.orgs_by_code.get(text(name).upper())
            found = [by_code] if by_code else self.orgs_by_name.get(text(name), [])
            if not found:
                errors.setdefault("org", []).append(self._outside())
                return
            if len(found) > 1:
                errors.setdefault("org", []).append(
                    _("names %(n)d organizations; give its org code in the “%(column)s” column.")
                    % {"n": len(found), "column": ORG_CODE_COLUMN.label}
                )
                return
            org = found[0]
        elif instance.pk and instance.org_id in self.orgs_by_pk:
            return
        else:
            org = self.target_org
        if not org.is_active:
            errors.setdefault("org_code" if code else "org", []).append(_("has been dissolved."))
            return
        instance.org = org

    def _outside(self) -> str:
        return _("is not %(org)s or an organization below it; give the org code or the full name.") % {
            "org": self.target_org.name
        }
