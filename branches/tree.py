"""Reading the org tree a level at a time, with the facts each node shows.

A level of the tree may hold hundreds of nodes; the facts for all of them come from a fixed number
of grouped queries (never one per node), so expanding a node costs the same whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from members import headcount

from . import access
from .models import LeadershipPost, Organization, Post

# A level is shown in slices; "more" loads the next slice into the same list.
CHILDREN_PAGE_SIZE = 100


def _prefix_counts(queryset, field: str, depth: int) -> dict[str, int]:
    """Rows of ``queryset`` counted by the ancestor at ``depth`` their ``field`` path lies under."""
    length = depth * Organization.steplen
    rows = queryset.order_by().annotate(prefix=Substr(field, 1, length)).values_list("prefix").annotate(n=Count("id"))
    return dict(rows)


def attach_facts(nodes: list[Organization], *, within: str | None = None) -> list[Organization]:
    """Give each node ``active_children``, ``member_count`` and ``secretary``.

    ``within`` is a path all nodes lie under (their parent's), which lets the grouped queries use the
    path index; without it the nodes' own paths bound the queries. One query per distinct depth
    among the nodes for each count, plus one for the secretaries.
    """
    if not nodes:
        return nodes
    by_depth: dict[int, list[Organization]] = defaultdict(list)
    for node in nodes:
        by_depth[node.depth].append(node)

    children: dict[str, int] = {}
    members: dict[str, int] = {}
    for depth, level in by_depth.items():
        orgs = Organization.objects.filter(is_active=True, depth=depth + 1)
        if within is not None:
            orgs = orgs.filter(path__startswith=within)
            counted = Q(org__path__startswith=within)
        else:
            paths = [node.path for node in level]
            orgs = orgs.filter(access.paths_q(paths))
            counted = access.paths_q(paths, "org__path")
        children.update(_prefix_counts(orgs, "path", depth))
        # Party members from the per-org counts: one row per org, never the member rows.
        members.update(headcount.party_by_prefix(depth, counted))

    secretaries = {}
    posts = (
        LeadershipPost.objects.filter(org__in=[n.pk for n in nodes], post=Post.SECRETARY, ended_on__isnull=True)
        .select_related("member")
        .order_by("org_id", "-started_on", "-id")
    )
    for post in posts:
        secretaries.setdefault(post.org_id, post.member)

    for node in nodes:
        node.active_children = children.get(node.path, 0)
        node.member_count = members.get(node.path, 0)
        node.secretary = secretaries.get(node.pk)
    return nodes


def scope_roots(user) -> list[Organization]:
    """The tops of what the user may read: the real roots for a superuser."""
    scope = access.scope_for(user)
    if scope.is_superuser:
        roots = list(Organization.objects.get_root_nodes().filter(is_active=True))
        return attach_facts(roots, within="")
    if not scope.read_paths:
        return []
    roots = list(Organization.objects.filter(path__in=scope.read_paths, is_active=True).order_by("path"))
    return attach_facts(roots)


@dataclass(frozen=True)
class ChildrenSlice:
    parent: Organization
    nodes: list[Organization]
    offset: int
    next_offset: int | None


def children_slice(parent: Organization, *, offset: int = 0, size: int = CHILDREN_PAGE_SIZE) -> ChildrenSlice:
    """Active children of ``parent`` from ``offset``; one extra row tells whether more follow."""
    offset = max(offset, 0)
    rows = list(Organization.objects.children_of(parent).active().order_by("path")[offset : offset + size + 1])
    more = len(rows) > size
    nodes = attach_facts(rows[:size], within=parent.path)
    return ChildrenSlice(parent=parent, nodes=nodes, offset=offset, next_offset=offset + size if more else None)


def attach_breadcrumbs(user, orgs: list[Organization]) -> list[Organization]:
    """Give each org ``ancestors``: the ones above it the user may see, top first, in one query."""
    wanted = set()
    for org in orgs:
        for depth in range(1, org.depth):
            wanted.add(org.path[: depth * Organization.steplen])
    found = {}
    if wanted:
        for ancestor in Organization.objects.visible_to(user).filter(path__in=wanted).only("id", "name", "path"):
            found[ancestor.path] = ancestor
    for org in orgs:
        org.ancestors = [
            found[org.path[: d * Organization.steplen]]
            for d in range(1, org.depth)
            if org.path[: d * Organization.steplen] in found
        ]
    return orgs
