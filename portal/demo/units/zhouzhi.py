"""州直机关工委: exactly 81 党委, 21 党总支, 557 党支部 and 9550 党员 below the working committee.

Which committees and general branches exist is data (zhouzhi_data); how many branches each has and
how many members each branch has is apportioned here so that the totals come out exactly.
"""

from branches.models import OrgCategory as C
from branches.models import OrgKind as K

from ..tree import Node, Unit, apportion, founded, jitter
from . import zhouzhi_data as data

KEY, CODE = "zhouzhi", "ZZ"


WORK_UNIT_IS_PREFIX = ("机关", "第", "行政", "后勤", "学生", "教研", "高", "初", "基础", "继续")


def _prefix(name: str, prefix: str = "") -> str:
    if prefix:
        return prefix
    for suffix in ("机关党委", "党委", "党总支"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _node(rng, spec: data.Spec) -> Node:
    node = Node(
        spec.name,
        spec.kind,
        spec.category,
        profile=data.PROFILE_OF_POOL[spec.pool],
        founded_on=founded(rng, 1950, 1995),
        work_unit=_prefix(spec.name, spec.prefix),
    )
    node.spec = spec
    node.add(*(_node(rng, child) for child in spec.children))
    return node


def _branch_names(spec: data.Spec, n: int) -> list[tuple[str, str, str]]:
    """n (name, profile, work unit): named ones, then the pool (with county branches), a 离退休 branch last."""
    prefix = _prefix(spec.name, spec.prefix)
    profile = data.PROFILE_OF_POOL[spec.pool]
    names = [(f"{stem}党支部", profile, stem) for stem in spec.named]
    for stem in data.POOLS[spec.pool]:
        if stem != "*":
            unit = prefix if stem.startswith(WORK_UNIT_IS_PREFIX) else prefix + stem
            names.append((f"{prefix}{stem}党支部", profile, unit))
        elif spec.county:
            names.extend((spec.county.format(c=c) + "党支部", profile, spec.county.format(c=c)) for c in data.COUNTIES)
    retired = spec.retired and n >= 4
    wanted = n - 1 if retired else n
    numbered = 1
    while len(names) < wanted:
        names.append((f"{prefix}第{numbered}党支部", profile, prefix))
        numbered += 1
    names = names[:wanted]
    if retired:
        stem = data.RETIRED_STEM.get(spec.pool, "离退休干部")
        names.append((f"{prefix}{stem}党支部", "retired", prefix))
    return names


def plan(ctx) -> Unit:
    rng = ctx.rng
    root = Node(
        "州直机关工委",
        K.WORKING_COMMITTEE,
        C.ORGAN,
        short_name="州直机关工委",
        work_unit="州直机关工委",
        handle="zhouzhi.root",
        founded_on=founded(rng, 1952, 1956),
    )
    direct = [
        Node(name, category=category, profile=profile, founded_on=founded(rng, 1956, 2008))
        for name, category, profile in data.ROOT_BRANCHES
    ]
    direct[0].handle = "zhouzhi.office"
    root.add(direct[0])
    containers = [_node(rng, spec) for spec in data.TOP]
    for name in data.ROOT_GENERAL_BRANCHES:
        pool, category = ("college", C.INSTITUTION) if "大学" in name else ("organ", C.ORGAN)
        containers.append(_node(rng, data.Spec(name, K.GENERAL_BRANCH, category, pool, 0.6, retired=False)))
    root.add(*containers, *direct[1:])

    everything = list(root.descendants())
    committees = [n for n in everything if n.kind == K.COMMITTEE]
    general = [n for n in everything if n.kind == K.GENERAL_BRANCH]
    assert len(committees) == data.COMMITTEES, len(committees)
    assert len(general) == data.GENERAL_BRANCHES, len(general)

    # Branches: what the fixed list leaves, shared out by each container's weight.
    holders = committees + general
    counts = apportion(data.BRANCHES - len(direct), jitter(rng, [n.spec.weight for n in holders]), minimum=2)
    for holder, n in zip(holders, counts, strict=True):
        for name, profile, unit in _branch_names(holder.spec, n):
            holder.add(
                Node(
                    name, category=holder.category, profile=profile, work_unit=unit, founded_on=founded(rng, 1956, 2008)
                )
            )
    branches = [n for n in root.descendants() if n.kind == K.BRANCH]
    assert len(branches) == data.BRANCHES, len(branches)

    sizes = apportion(data.MEMBERS, jitter(rng, [data.MEMBER_WEIGHT[n.profile] for n in branches], 0.4), minimum=4)
    for node, size in zip(branches, sizes, strict=True):
        node.members = size
    return Unit(KEY, CODE, "州直机关工委", root, pipeline=40)
