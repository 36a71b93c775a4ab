"""Organizations as django-import-export sees them: keyed on the org code, placed in the tree.

Rows are saved one by one through treebeard (a new org's tree path depends on its parent's), so
a row may name as its parent an org created by an earlier row of the same file. Parent kinds
follow ALLOWED_PARENT_KINDS; every parent must lie in the subtree the import targets.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from import_export.fields import Field

from audit.models import HistoryEntry
from audit.services import build_entries, diff
from imports.cleaning import folded, text
from imports.engine import ImportResource
from imports.readers import Column
from imports.widgets import ChoiceWidget, DateWidget, PhoneWidget, PlainWidget, TextWidget

from . import access
from .models import ALLOWED_PARENT_KINDS, Organization, OrgCategory, OrgKind

# word -> (kind, is_joint, is_temporary)
KIND_WORDS = {
    "党委": (OrgKind.COMMITTEE, False, False),
    "党工委": (OrgKind.WORKING_COMMITTEE, False, False),
    "工委": (OrgKind.WORKING_COMMITTEE, False, False),
    "党总支": (OrgKind.GENERAL_BRANCH, False, False),
    "总支": (OrgKind.GENERAL_BRANCH, False, False),
    "党支部": (OrgKind.BRANCH, False, False),
    "支部": (OrgKind.BRANCH, False, False),
    "联合党支部": (OrgKind.BRANCH, True, False),
    "临时党支部": (OrgKind.BRANCH, False, True),
    "党小组": (OrgKind.GROUP, False, False),
    "小组": (OrgKind.GROUP, False, False),
}
CATEGORY_WORDS = {
    "机关": OrgCategory.ORGAN,
    "党政机关": OrgCategory.ORGAN,
    "事业单位": OrgCategory.INSTITUTION,
    "学校": OrgCategory.INSTITUTION,
    "医院": OrgCategory.INSTITUTION,
    "国有企业": OrgCategory.STATE_ENTERPRISE,
    "国企": OrgCategory.STATE_ENTERPRISE,
    "非公有制经济组织": OrgCategory.PRIVATE_ECONOMY,
    "非公企业": OrgCategory.PRIVATE_ECONOMY,
    "社会组织": OrgCategory.SOCIAL,
    "社区": OrgCategory.COMMUNITY,
    "农村": OrgCategory.RURAL,
}

COLUMNS = [
    Column(
        "name",
        pgettext_lazy("org list column", "Organization name"),
        ("组织名称", "名称", "党组织名称", "党组织全称"),
        required=True,
    ),
    Column(
        "code",
        pgettext_lazy("org list column", "Org code"),
        ("组织编码", "编码", "代码", "组织代码", "党组织编码"),
        required=True,
        help=gettext_lazy("unique; the key that finds an organization again on re-import"),
    ),
    Column(
        "parent",
        pgettext_lazy("org list column", "Parent organization"),
        ("上级组织", "上级党组织", "上级"),
        help=gettext_lazy("org code or full name; empty means the organization chosen for the import"),
    ),
    Column(
        "kind",
        pgettext_lazy("org list column", "Organization type"),
        ("组织类型", "类型", "组织类别"),
        help=gettext_lazy("党委, 党工委, 党总支, 党支部, 联合党支部, 临时党支部 or 党小组"),
    ),
    Column(
        "category",
        pgettext_lazy("org list column", "Unit category"),
        ("单位类别", "单位性质"),
        help=gettext_lazy("机关, 事业单位, 国有企业, 非公有制经济组织, 社会组织, 社区 or 农村"),
    ),
    Column("founded_on", pgettext_lazy("org list column", "Founded on"), ("成立日期", "成立时间")),
    Column("short_name", pgettext_lazy("org list column", "Short name"), ("简称",)),
    Column("phone", pgettext_lazy("org list column", "Phone"), ("联系电话", "电话")),
    Column("address", pgettext_lazy("org list column", "Address"), ("地址", "办公地址", "通讯地址")),
]

_UPDATE_FIELDS = ["name", "code", "kind", "is_joint", "is_temporary", "category", "founded_on", "short_name"]
UPDATE_FIELDS = [*_UPDATE_FIELDS, "phone", "phone_hash", "address", "updated_at"]


def _key(raw: dict) -> dict:
    return {"name": text(raw.get("name"))[:120], "detail": text(raw.get("code"))[:40]}


def kind_word(org) -> str:
    """The word a roster uses for the org's type; the inverse of KIND_WORDS."""
    if org.kind == OrgKind.BRANCH and (org.is_joint or org.is_temporary):
        return "联合党支部" if org.is_joint else "临时党支部"
    return org.get_kind_display()


class OrganizationResource(ImportResource):
    COLUMNS = COLUMNS

    name = Field("name", "name", widget=TextWidget(120, required=True))
    code = Field("code", "code", widget=PlainWidget())
    parent = Field("parent_code", "parent", widget=PlainWidget(), readonly=True)
    kind = Field("kind_word", "kind", widget=PlainWidget(), readonly=True)
    category = Field("category", "category", widget=ChoiceWidget(OrgCategory, CATEGORY_WORDS))
    founded_on = Field("founded_on", "founded_on", widget=DateWidget())
    short_name = Field("short_name", "short_name", widget=TextWidget(60))
    phone = Field("phone", "phone", widget=PhoneWidget())
    address = Field("address", "address", widget=TextWidget(200))

    class Meta:
        model = Organization
        fields = tuple(c.key for c in COLUMNS)
        import_order = fields
        export_order = fields
        import_id_fields = ("code",)
        skip_diff = True
        skip_unchanged = True
        report_skipped = True
        store_instance = True
        clean_model_instances = False

    key = staticmethod(_key)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scope = access.scope_for(self.by) if self.by is not None else None
        self.outside: dict[str, Organization] = {}
        self.parent_of: dict[int, Organization | None] = {}
        self.seen: dict[str, int] = {}
        # Filled by the exporter with the orgs it writes, so each parent code costs no query.
        self.codes_by_path: dict[str, str] = {}

    def _load_scope(self):
        scope_qs = Organization.objects.all()
        if self.target_org is not None:
            scope_qs = scope_qs.in_subtree(self.target_org)
        self.in_scope = {o.pk: o for o in scope_qs}
        self.kind_before = {pk: o.kind for pk, o in self.in_scope.items()}
        self.by_code = {o.code.upper(): o for o in self.in_scope.values()}
        self.by_name: dict[str, list[Organization]] = {}
        for org in self.in_scope.values():
            self.by_name.setdefault(org.name, []).append(org)

    def dehydrate_parent(self, org):
        if org.depth == 1:
            return ""
        parent_path = org.path[: -Organization.steplen]
        if parent_path not in self.codes_by_path:
            self.codes_by_path[parent_path] = (
                Organization.objects.filter(path=parent_path).values_list("code", flat=True).first()
            )
        return self.codes_by_path[parent_path] or ""

    def dehydrate_kind(self, org):
        return kind_word(org)

    def before_import(self, dataset, **kwargs):
        self._load_scope()
        codes = {text(v).upper() for v in dataset["code"]} - {""} - set(self.by_code)
        if codes:
            for org in Organization.objects.filter(code__in=codes):
                self.outside[org.code.upper()] = org

    def get_instance(self, instance_loader, row):
        code = text(row.get("code")).upper()
        return self.by_code.get(code) or self.outside.get(code)

    def _current_parent(self, org):
        if org.pk not in self.parent_of:
            self.parent_of[org.pk] = Organization.objects.get_parent(org)
        return self.parent_of[org.pk]

    def _find(self, reference: str):
        """An org by code or full name among those in scope and those created by earlier rows."""
        org = self.by_code.get(reference.upper())
        if org is not None:
            return org, ""
        found = self.by_name.get(reference, [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, _("names %(n)d organizations; give the org code instead.") % {"n": len(found)}
        where = self.target_org.name if self.target_org else ""
        if where:
            return None, _("is not %(org)s or an organization below it, nor one created by an earlier row.") % {
                "org": where
            }
        return None, _("is not an existing organization, nor one created by an earlier row.")

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        file_row = self.file_row(kwargs["row_number"])
        code = text(row.get("code"))
        if not code:
            errors.setdefault("code", []).append(_("is required."))
        elif len(code) > 40:
            errors.setdefault("code", []).append(_("is longer than 40 characters."))
        else:
            first = self.seen.setdefault(code.upper(), file_row)
            if first != file_row:
                errors.setdefault("code", []).append(
                    _("appears again: row %(row)d of this file has the same org code.") % {"row": first}
                )
            instance.code = code
        if instance.pk and instance.pk not in self.in_scope:
            errors.setdefault("code", []).append(_("belongs to an organization outside the one chosen for the import."))
        elif instance.pk and self.scope is not None and not self.scope.may_manage_path(instance.path):
            errors.setdefault("code", []).append(_("belongs to an organization you do not manage."))
        self._set_kind(instance, row, errors)
        self._set_parent(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def _set_kind(self, instance, row, errors):
        raw = row.get("kind")
        if "kind" not in row or not text(raw):
            if not instance.kind:
                errors.setdefault("kind", []).append(_("is required for a new organization."))
            return
        word = folded(raw)
        labels = {folded(choice.label): (choice.value, False, False) for choice in OrgKind}
        labels[folded(_("Joint branch"))] = (OrgKind.BRANCH, True, False)
        labels[folded(_("Temporary branch"))] = (OrgKind.BRANCH, False, True)
        found = KIND_WORDS.get(word) or labels.get(word)
        if found is None:
            errors.setdefault("kind", []).append(
                _("is not one of the accepted values: %(values)s.") % {"values": "、".join(KIND_WORDS)}
            )
            return
        instance.kind, instance.is_joint, instance.is_temporary = found

    def _set_parent(self, instance, row, errors):
        reference = text(row.get("parent"))
        current = self._current_parent(instance) if instance.pk else None
        if not reference:
            parent = current if instance.pk else self.target_org
        else:
            parent, problem = self._find(reference)
            if parent is None and current is not None and reference.upper() in (current.code.upper(), current.name):
                parent, problem = current, ""
            if problem:
                errors.setdefault("parent", []).append(problem)
                return
        if parent is not None and instance.pk and (parent.pk == instance.pk or parent.path.startswith(instance.path)):
            errors.setdefault("parent", []).append(_("is this organization itself or one below it."))
            return
        if instance.kind and (parent.kind if parent else None) not in ALLOWED_PARENT_KINDS[instance.kind]:
            where = parent.get_kind_display() if parent else _("the top of the tree")
            errors.setdefault("parent", []).append(
                _("is a %(parent)s; a %(kind)s cannot sit directly under it.")
                % {"parent": where, "kind": OrgKind(instance.kind).label}
            )
            return
        if instance.pk and instance.numchild and instance.kind != self.kind_before.get(instance.pk):
            misplaced = {
                c.get_kind_display()
                for c in Organization.objects.get_children(instance)
                if instance.kind not in ALLOWED_PARENT_KINDS[c.kind]
            }
            if misplaced:
                errors.setdefault("kind", []).append(
                    _("cannot change: its %(children)s could not stay under a %(kind)s.")
                    % {"children": "、".join(sorted(misplaced)), "kind": OrgKind(instance.kind).label}
                )
                return
        instance._import_parent = parent

    def extra_changes(self, instance):
        parent = getattr(instance, "_import_parent", None)
        current = self._current_parent(instance)
        if (parent.pk if parent else None) == (current.pk if current else None):
            return {}
        return {"parent": {"label": _("parent organization"), "old": str(current or ""), "new": str(parent or "")}}

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        instance = row_result.instance
        if row_result.import_type == "new" and instance is not None:
            # Later rows may name this org as their parent.
            self.by_code[instance.code.upper()] = instance
            self.by_name.setdefault(instance.name, []).append(instance)

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        parent = instance._import_parent
        if is_create:
            if parent is None:
                Organization.objects.add_root(instance=instance)
            else:
                Organization.objects.add_child(parent, instance=instance)
            self.history += build_entries(
                [(instance, HistoryEntry.Action.CREATE, diff({}, self.snapshot(instance)))],
                actor=self.by,
                source=HistoryEntry.Source.IMPORT,
                note=self.history_note,
            )
            self.in_scope[instance.pk] = instance
            return
        changes = self._changes.get(id(instance), {})
        # Only the row's own fields: the tree fields in memory may be stale after earlier rows.
        instance.save(update_fields=UPDATE_FIELDS)
        current = self._current_parent(instance)
        if (parent.pk if parent else None) != (current.pk if current else None):
            Organization.objects.move(instance, parent, "last-child")
            self.parent_of[instance.pk] = parent
        self.history += build_entries(
            [(instance, HistoryEntry.Action.UPDATE, changes)],
            actor=self.by,
            source=HistoryEntry.Source.IMPORT,
            note=self.history_note,
        )
