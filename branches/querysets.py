from django.db import models
from django.db.models import Count, Q
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet

from members.pii import DerivedUpdateMixin

from . import access


class OrganizationQuerySet(DerivedUpdateMixin, MP_NodeQuerySet):  # the phone's hash follows update()
    def visible_to(self, user):
        q = access.org_filter(user)
        return self if q is None else self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, manage=True)
        return self if q is None else self.filter(q)

    def active(self):
        return self.filter(is_active=True)

    def in_subtree(self, org, *, include_self: bool = True):
        qs = self.filter(path__startswith=org.path)
        return qs if include_self else qs.exclude(pk=org.pk)

    def children_of(self, org):
        return self.filter(path__startswith=org.path, depth=org.depth + 1)

    def counts_by_kind(self) -> dict[str, int]:
        return dict(self.order_by().values_list("kind").annotate(n=Count("id")))

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__iexact=text))


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    """treebeard's tree methods (add_root, add_child, get_tree) plus our scoped reads."""

    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class RoleAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)
