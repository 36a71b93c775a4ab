"""韩城市教育局党委: "局党委辖14个支部，436名党员。教育系统隶属乡镇(办)党委的基层党组织63个，党员993人。"

The tree keeps both groups under the bureau committee so that 1429 is one subtree's count:

    韩城市教育局党委 (root)
      14 直属党支部 (kind branch, directly under the root)          -> 14 branches, 436 members
      10 乡镇(办)党委 (kind committee / working committee)           -> not counted in the 63
        their schools' 党总支 and 党支部 (63 orgs in all)             -> 993 members

The bureau's own part is "branches whose parent is the root"; the towns' part is "the subtrees of
the committees whose parent is the root, without the committees themselves".
"""

from branches.models import OrgCategory as C
from branches.models import OrgKind as K
from members.models import Gender

from ..tree import Named, Node, Unit, apportion, founded, jitter

KEY, CODE = "hancheng", "HC"

# (name, members, profile): the 14 branches directly under the bureau committee, 436 members.
DIRECT = [
    ("韩城市教育局机关党支部", 36, "organ"),
    ("韩城市象山中学党支部", 52, "school"),
    ("韩城市新蕾中学党支部", 41, "school"),
    ("韩城市司马迁中学党支部", 38, "school"),
    ("韩城职专党支部", 45, "school"),
    ("韩城市教师进修学校党支部", 22, "school"),
    ("韩城教育电视台党支部", 12, "organ"),
    ("韩城市实验小学党支部", 30, "school"),
    ("韩城市新城第一小学党支部", 26, "school"),
    ("韩城市新城第二小学党支部", 24, "school"),
    ("韩城市新城第五小学党支部", 15, "school"),
    ("韩城市特殊教育学校党支部", 9, "school"),
    ("韩城市第一幼儿园党支部", 14, "school"),
    ("韩城市教育系统离退休教师党支部", 72, "retired"),
]
DIRECT_MEMBERS = 436
TOWN_ORGS = 63
TOWN_MEMBERS = 993

# (town committee, kind, number of education orgs under it, village schools)
TOWNS = [
    ("新城街道", K.WORKING_COMMITTEE, 8, ["东营", "北关", "南街"]),
    ("金城街道", K.WORKING_COMMITTEE, 7, ["金塔", "西关", "城南"]),
    ("龙门镇", K.COMMITTEE, 7, ["龙门", "下峪口", "马陵庄"]),
    ("桑树坪镇", K.COMMITTEE, 6, ["王峰", "薛峰", "桑树坪"]),
    ("芝川镇", K.COMMITTEE, 7, ["芝川", "周原", "党家村"]),
    ("西庄镇", K.COMMITTEE, 6, ["西庄", "柳枝", "杨村"]),
    ("昝村镇", K.COMMITTEE, 6, ["昝村", "史带", "淳佳"]),
    ("龙亭镇", K.COMMITTEE, 5, ["龙亭", "安仁", "板桥"]),
    ("板桥镇", K.COMMITTEE, 6, ["清水", "西原", "仁村"]),
    ("芝阳镇", K.COMMITTEE, 5, ["芝阳", "乔子玄", "梁带"]),
]


def _town(rng, town: str, kind: str, n_orgs: int, villages: list[str]) -> Node:
    suffix = "党工委" if kind == K.WORKING_COMMITTEE else "党委"
    category = C.COMMUNITY if kind == K.WORKING_COMMITTEE else C.RURAL
    # A 镇党委's secretary is not on the education roster: no posts recorded for it here.
    committee = Node(f"{town}{suffix}", kind, category, with_posts=False, founded_on=founded(rng, 1950, 1984))
    school = C.INSTITUTION
    center = Node(
        f"{town}中心学校党总支", K.GENERAL_BRANCH, school, profile="school", founded_on=founded(rng, 1985, 2005)
    )
    committee.add(center)
    under_center = [
        Node(f"{town}中心小学党支部", category=school, profile="school", members=20),
        *(Node(f"{town}{v}小学党支部", category=school, profile="school", members=9) for v in villages[:2]),
    ]
    direct = [
        Node(f"{town}初级中学党支部", category=school, profile="school", members=30),
        Node(f"{town}中心幼儿园党支部", category=school, profile="school", members=7),
        Node(f"{town}村小联合党支部", category=school, profile="school", members=8, is_joint=True),
        Node(f"{town}{villages[2]}九年制学校党支部", category=school, profile="school", members=18),
        Node(f"{town}民办学校联合党支部", category=C.SOCIAL, profile="school", members=6, is_joint=True),
    ]
    wanted = n_orgs - 1  # the 党总支 is one of the town's education orgs
    take_center = min(len(under_center), (wanted + 1) // 2)
    center.add(*under_center[:take_center])
    committee.add(*direct[: wanted - take_center])
    for node in committee.descendants():
        node.founded_on = node.founded_on or founded(rng, 1980, 2008)
    return committee


def plan(ctx) -> Unit:
    rng = ctx.rng
    root = Node(
        "韩城市教育局党委",
        K.COMMITTEE,
        C.ORGAN,
        short_name="教育局党委",
        work_unit="韩城市教育局",
        handle="hancheng.root",
        founded_on=founded(rng, 1978, 1985),
        post_holders={"secretary": "hancheng.chen", "deputy_secretary": "hancheng.xu", "discipline": "hancheng.xu"},
    )
    assert sum(m for _, m, _ in DIRECT) == DIRECT_MEMBERS
    handles = {0: "hancheng.jiguan", 1: "hancheng.xiangshan", 4: "hancheng.zhizhuan"}
    for i, (name, members, profile) in enumerate(DIRECT):
        category = C.ORGAN if profile == "organ" else C.INSTITUTION
        root.add(
            Node(
                name,
                category=category,
                profile=profile,
                members=members,
                handle=handles.get(i, ""),
                founded_on=founded(rng, 1956, 2005),
            )
        )
    jiguan, xiangshan = root.children[0], root.children[1]
    jiguan.named = [
        Named("陈仲学", Gender.MALE, "hancheng.chen", age=53, work_unit="韩城市教育局 局长"),
        Named("徐元方", Gender.MALE, "hancheng.xu", age=50, work_unit="韩城市教育局 党委副书记、纪委书记"),
    ]
    xiangshan.named = [Named("薛晓民", Gender.MALE, "hancheng.xuexiaomin", age=44, work_unit="韩城市象山中学 教师")]

    towns = [_town(rng, *spec) for spec in TOWNS]
    root.add(*towns)
    branches = [n for town in towns for n in town.descendants() if n.kind == K.BRANCH]
    assert sum(1 for town in towns for _ in town.descendants()) == TOWN_ORGS
    sizes = apportion(TOWN_MEMBERS, jitter(rng, [n.members for n in branches]), minimum=5)
    for node, size in zip(branches, sizes, strict=True):
        node.members = size
    return Unit(
        KEY,
        CODE,
        "韩城市教育局党委",
        root,
        pipeline=15,
        extras={"contact_points": {"hancheng.xu": ["hancheng.xiangshan", "hancheng.zhizhuan"]}},
    )
