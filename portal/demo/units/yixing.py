"""中共宜兴市建设局委员会: 35 branches in four 片区, three of them set up in 2010.

"今年新建立了江苏恒鸿建设咨询有限公司、江苏博创工程设计院有限公司和江苏鸿成工程造价咨询有限公司等三个党支部"
"局党委将35个支部按单位性质和职能划分为四个片区，各设立一位片区负责人和联络员"
"""

from datetime import date

from branches.models import Area, Post
from branches.models import OrgCategory as C
from branches.models import OrgKind as K

from ..tree import Named, Node, Unit, founded

KEY, CODE = "yixing", "YX"

# 片区 -> [(branch, members, profile, category)]
AREAS = {
    "第一片区（机关）": [
        ("局机关第一党支部", 18, "organ", C.ORGAN),
        ("局机关第二党支部", 16, "organ", C.ORGAN),
        ("局机关第三党支部", 14, "organ", C.ORGAN),
        ("建筑管理处党支部", 9, "organ", C.ORGAN),
        ("村镇建设管理处党支部", 7, "organ", C.ORGAN),
        ("墙体材料改革办公室党支部", 6, "organ", C.ORGAN),
        ("建设工程质量监督站党支部", 12, "organ", C.INSTITUTION),
        ("建筑安全监督站党支部", 10, "organ", C.INSTITUTION),
        ("宜兴市工程建设监察大队党支部", 15, "organ", C.INSTITUTION),
    ],
    "第二片区（事业单位）": [
        ("市政工程管理处党支部", 14, "organ", C.INSTITUTION),
        ("建筑工程管理中心党支部", 11, "organ", C.INSTITUTION),
        ("公园管理处党支部", 9, "organ", C.INSTITUTION),
        ("园林绿化管理处党支部", 10, "organ", C.INSTITUTION),
        ("城建档案馆党支部", 5, "organ", C.INSTITUTION),
        ("建设培训中心党支部", 6, "organ", C.INSTITUTION),
        ("路灯管理所党支部", 7, "organ", C.INSTITUTION),
        ("排水管理处党支部", 8, "organ", C.INSTITUTION),
        ("局离退休干部党支部", 30, "retired", C.ORGAN),
    ],
    "第三片区（国有企业）": [
        ("宜兴市城市建设发展有限公司党支部", 16, "enterprise", C.STATE_ENTERPRISE),
        ("宜兴市燃气有限公司党支部", 12, "enterprise", C.STATE_ENTERPRISE),
        ("宜兴市市政建设工程有限公司党支部", 10, "enterprise", C.STATE_ENTERPRISE),
        ("宜兴市园林建设有限公司党支部", 7, "enterprise", C.STATE_ENTERPRISE),
        ("宜兴市绿化养护有限公司党支部", 6, "enterprise", C.STATE_ENTERPRISE),
        ("宜兴市建筑设计研究院党支部", 11, "enterprise", C.STATE_ENTERPRISE),
        ("宜兴市市政设计院党支部", 8, "enterprise", C.STATE_ENTERPRISE),
        ("宜兴市东氿新城开发建设有限公司党支部", 9, "enterprise", C.STATE_ENTERPRISE),
    ],
    "第四片区（非公企业）": [
        ("江苏恒鸿建设咨询有限公司党支部", 4, "private", C.PRIVATE_ECONOMY),
        ("江苏博创工程设计院有限公司党支部", 5, "private", C.PRIVATE_ECONOMY),
        ("江苏鸿成工程造价咨询有限公司党支部", 3, "private", C.PRIVATE_ECONOMY),
        ("宜兴市第一建筑工程有限公司党支部", 9, "private", C.PRIVATE_ECONOMY),
        ("宜兴市第二建筑安装工程有限公司党支部", 7, "private", C.PRIVATE_ECONOMY),
        ("宜兴市城建房地产开发有限公司党支部", 6, "private", C.PRIVATE_ECONOMY),
        ("宜兴市华东建设监理有限公司党支部", 5, "private", C.PRIVATE_ECONOMY),
        ("宜兴市江南建筑装饰工程有限公司党支部", 4, "private", C.PRIVATE_ECONOMY),
        ("宜兴市阳羡房地产开发有限公司党支部", 5, "private", C.PRIVATE_ECONOMY),
    ],
}
# Set up in the report's year (the report is dated 二0一0年十一月十一日).
NEW_IN_2010 = {
    "江苏恒鸿建设咨询有限公司党支部": date(2010, 3, 18),
    "江苏博创工程设计院有限公司党支部": date(2010, 5, 26),
    "江苏鸿成工程造价咨询有限公司党支部": date(2010, 7, 9),
}


def plan(ctx) -> Unit:
    rng = ctx.rng
    root = Node(
        "中共宜兴市建设局委员会",
        K.COMMITTEE,
        C.ORGAN,
        short_name="宜兴市建设局党委",
        work_unit="宜兴市建设局",
        handle="yixing.root",
        founded_on=founded(rng, 1979, 1984),
    )
    areas = {}
    for area, branches in AREAS.items():
        areas[area] = []
        for name, members, profile, category in branches:
            if name in NEW_IN_2010:
                when = NEW_IN_2010[name]
            elif category == C.PRIVATE_ECONOMY:
                when = founded(rng, 2002, 2008)
            else:
                when = founded(rng, 1958, 2006)
            node = root.add(Node(name, category=category, profile=profile, members=members, founded_on=when))
            if name.startswith("局"):
                node.work_unit = "宜兴市建设局"
            elif not name.startswith(("宜兴市", "江苏")):
                node.work_unit = f"宜兴市{node.employer}"
            areas[area].append(node)
    first, second = root.children[0], root.children[1]
    first.handle, second.handle = "yixing.jiguan1", "yixing.jiguan2"
    first.named = [Named("", "", "yixing.member_demo", age=34)]
    return Unit(KEY, CODE, "中共宜兴市建设局委员会", root, pipeline=18, extras={"areas": areas})


def finish(ctx, unit: Unit) -> int:
    """The four 片区: the first branch's secretary leads, the second branch's 组织委员 (or secretary) liaises."""
    rows = []
    for name, nodes in unit.extras["areas"].items():
        liaison_node = nodes[1]
        liaison = liaison_node.posts.get(Post.ORGANIZATION) or liaison_node.posts[Post.SECRETARY]
        rows.append(
            (Area(owner=unit.root.org, name=name, leader=nodes[0].posts[Post.SECRETARY], liaison=liaison), nodes)
        )
    Area.objects.bulk_create([area for area, _ in rows])
    through = Area.branches.through
    through.objects.bulk_create(
        [through(area_id=area.pk, organization_id=node.org.pk) for area, nodes in rows for node in nodes]
    )
    return len(rows)
