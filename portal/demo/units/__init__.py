"""The five source units, each a module with ``plan(ctx) -> Unit`` and optionally ``finish(ctx, unit)``."""

from datetime import date

from branches.models import ContactPoint, OrgKind

from . import dianhua, hancheng, yixing, zhenjiang, zhouzhi

UNIT_MODULES = [zhenjiang, yixing, dianhua, hancheng, zhouzhi]
UNIT_CODES = [module.CODE for module in UNIT_MODULES]


def plan_units(ctx) -> str:
    for module in UNIT_MODULES:
        unit = module.plan(ctx)
        ctx.units[unit.key] = unit
    return "、".join(unit.title for unit in ctx.units.values())


def _contact_points(ctx, unit) -> list[ContactPoint]:
    """Each member of the root's leadership links one or two branches (领导班子成员包联制度)."""
    rng = ctx.rng
    fixed = unit.extras.get("contact_points", {})
    branches = [n for n in unit.root.descendants() if n.kind == OrgKind.BRANCH and n.is_active]
    leaders, seen = [], set()
    for member in unit.root.posts.values():
        if id(member) not in seen:
            seen.add(id(member))
            leaders.append(member)
    rows = []
    for member in leaders:
        handle = next((h for h, m in ctx.people.items() if m is member and h in fixed), None)
        if handle:
            targets = [ctx.node(h) for h in fixed[handle]]
        else:
            others = [n for n in branches if n.org.pk != member.org_id]
            targets = rng.sample(others, rng.randint(1, ContactPoint.MAX_PER_LEADER))
        since = date(ctx.as_of.year, 6, rng.randint(22, 30))  # the campaign's launch, late June
        rows.extend(ContactPoint(leader=member, branch=node.org, since=since) for node in targets)
    return rows


def finish_units(ctx) -> str:
    points = []
    for unit in ctx.units.values():
        points.extend(_contact_points(ctx, unit))
    ContactPoint.objects.bulk_create(points)
    done = [f"{len(points)} 个联系点"]
    for module in UNIT_MODULES:
        finish = getattr(module, "finish", None)
        if finish and module.KEY in ctx.units:
            done.append(f"{module.KEY}: {finish(ctx, ctx.units[module.KEY])}")
    return "；".join(done)
