"""镇江路街道党工委 (青岛市北区): ten communities, 36 特色队伍党支部, the "党旗下的蒲公英" brand.

"重点培树了北二社区党委等多个先进基层党组织，以及省级优秀共产党员王希芬、市北区'十大和谐居民形象大使'张霞"
"成立精神文明宣讲队、文艺活动宣传队等36个特色队伍党支部" "创办街道'民生家艺苑'及10个社区分苑"
"""

from branches.models import OrgCategory as C
from branches.models import OrgKind as K
from members.models import Gender

from ..tree import Named, Node, Unit, founded

KEY, CODE = "zhenjiang", "ZJL"

# (community, kind, resident branches, 特色队伍 branches): ten communities, 36 teams.
COMMUNITIES = [
    ("北二社区", K.COMMITTEE, 4, 4),
    ("东仲社区", K.COMMITTEE, 4, 4),
    ("镇江北路社区", K.GENERAL_BRANCH, 3, 4),
    ("华阳路社区", K.GENERAL_BRANCH, 3, 4),
    ("延安三路社区", K.GENERAL_BRANCH, 3, 4),
    ("上清路社区", K.GENERAL_BRANCH, 3, 4),
    ("宁德路社区", K.GENERAL_BRANCH, 3, 3),
    ("汉口路社区", K.GENERAL_BRANCH, 3, 3),
    ("北仲路社区", K.GENERAL_BRANCH, 3, 3),
    ("徐州路社区", K.GENERAL_BRANCH, 3, 3),
]
FEATURE_TEAMS = [
    "精神文明宣讲队",
    "文艺活动宣传队",
    "柔力球队",
    "书法学校",
    "民生服务队",
    "民情调查队",
    "文明巡访队",
    "楼院便民服务队",
    "蒲公英合唱团",
    "老年秧歌队",
    "义务巡逻队",
    "护绿护院队",
    "关爱帮扶队",
    "治安巡防队",
    "法律咨询服务队",
    "健身操队",
    "京剧票友社",
    "读书会",
    "摄影协会",
    "太极拳队",
    "腰鼓队",
    "志愿者服务队",
    "家政服务队",
    "手工编织队",
    "科普宣传队",
    "环境卫生监督队",
    "老年大学班",
    "计生宣传队",
    "夕阳红艺术团",
    "义务理发队",
    "民间调解队",
    "消防宣传队",
    "红色记忆宣讲团",
    "邻里互助队",
    "绿色环保队",
    "蒲公英e家网络队",
]
NUMERALS = "一二三四五六七八九"


def plan(ctx) -> Unit:
    rng = ctx.rng
    root = Node(
        "镇江路街道党工委",
        K.WORKING_COMMITTEE,
        C.COMMUNITY,
        short_name="街道党工委",
        work_unit="镇江路街道办事处",
        handle="zhenjiang.root",
        founded_on=founded(rng, 1955, 1960),
    )
    root.add(
        Node(
            "镇江路街道机关党支部",
            category=C.ORGAN,
            profile="organ",
            members=32,
            work_unit="镇江路街道办事处",
            founded_on=founded(rng, 1956, 1965),
        ),
        Node(
            "街道公共事务服务中心党支部",
            category=C.INSTITUTION,
            profile="organ",
            members=14,
            work_unit="镇江路街道公共事务服务中心",
            founded_on=founded(rng, 2003, 2008),
        ),
    )
    teams = iter(FEATURE_TEAMS)
    for community, kind, residents, features in COMMUNITIES:
        word = "党委" if kind == K.COMMITTEE else "党总支"
        node = root.add(
            Node(
                f"{community}{word}",
                kind,
                C.COMMUNITY,
                profile="community",
                work_unit=f"{community}居委会",
                founded_on=founded(rng, 1980, 2001),
            )
        )
        for i in range(residents):
            node.add(
                Node(
                    f"{community}第{NUMERALS[i]}党支部",
                    category=C.COMMUNITY,
                    profile="community",
                    members=rng.randint(24, 44),
                    founded_on=founded(rng, 1985, 2005),
                )
            )
        if kind == K.COMMITTEE:
            node.add(
                Node(
                    f"{community}离退休党员党支部",
                    category=C.COMMUNITY,
                    profile="community",
                    members=rng.randint(40, 60),
                    founded_on=founded(rng, 1995, 2005),
                )
            )
        for _ in range(features):
            node.add(
                Node(
                    f"{community}{next(teams)}党支部",
                    category=C.COMMUNITY,
                    profile="community",
                    members=rng.randint(6, 13),
                    founded_on=founded(rng, 2006, 2010),
                )
            )
    root.add(
        Node(
            "青岛体育街商户联合党支部",
            category=C.PRIVATE_ECONOMY,
            profile="private",
            members=9,
            is_joint=True,
            work_unit="青岛体育街商户",
            founded_on=founded(rng, 2005, 2008),
        ),
        Node(
            "汉口路美食街商户联合党支部",
            category=C.PRIVATE_ECONOMY,
            profile="private",
            members=7,
            is_joint=True,
            work_unit="汉口路美食街商户",
            founded_on=founded(rng, 2006, 2009),
        ),
    )
    beier = root.children[2]
    beier.handle = "zhenjiang.beier"
    beier.children[0].named = [Named("王希芬", Gender.FEMALE, "zhenjiang.wangxifen", age=63)]
    root.children[3].children[1].named = [Named("张霞", Gender.FEMALE, "zhenjiang.zhangxia", age=48)]
    return Unit(KEY, CODE, "镇江路街道党工委", root, pipeline=12)
