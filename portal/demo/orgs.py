"""Write the planned trees: materialized paths and codes computed here, one bulk insert."""

from branches.models import Organization

from .context import SeedContext
from .tree import Node


def _next_root_position() -> int:
    last = Organization.objects.filter(depth=1).order_by("path").last()
    return Organization._str2int(last.path) + 1 if last else 1


def _build(node: Node, *, path: str, depth: int, code: str, out: list[Organization]) -> None:
    node.code = code
    node.org = Organization(
        name=node.name,
        short_name=node.short_name,
        code=code,
        kind=node.kind,
        category=node.category,
        is_joint=node.is_joint,
        is_temporary=node.is_temporary,
        founded_on=node.founded_on,
        dissolved_on=node.dissolved_on,
        is_active=node.is_active,
        path=path,
        depth=depth,
        numchild=len(node.children),
    )
    out.append(node.org)
    for position, child in enumerate(node.children, start=1):
        child_path = Organization._get_path(path, depth + 1, position)
        _build(child, path=child_path, depth=depth + 1, code=f"{code}-{position:03d}", out=out)


def write_orgs(ctx: SeedContext) -> int:
    orgs: list[Organization] = []
    position = _next_root_position()
    for unit in ctx.units.values():
        path = Organization._get_path(None, 1, position)
        _build(unit.root, path=path, depth=1, code=unit.code, out=orgs)
        position += 1
    Organization.objects.bulk_create(orgs, batch_size=1000)
    for node in ctx.all_nodes():
        if node.handle:
            ctx.nodes[node.handle] = node
    return len(orgs)
