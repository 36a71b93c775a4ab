"""西安电化公司党委: company organs, project 党工委 with 作业队党支部 (temporary), 票决制.

"加强项目作业队党组织建设" "加强对项目党工委书记的考核力度，进一步规范和推进作业队党支部建设"
"""

from datetime import date

from branches.models import OrgCategory as C
from branches.models import OrgKind as K
from members.models import Gender

from ..tree import Named, Node, Unit, founded

KEY, CODE = "dianhua", "DH"
SOE = C.STATE_ENTERPRISE

# (project, founded, work teams, members per team)
PROJECTS = [
    ("哈大客专项目", date(2009, 3, 16), 5, (9, 15)),
    ("京沪高铁项目", date(2008, 7, 1), 4, (8, 14)),
]


def _project(rng, name: str, started: date, teams: int, size: tuple[int, int], handle: str) -> Node:
    committee = Node(
        f"{name}党工委", K.WORKING_COMMITTEE, SOE, founded_on=started, handle=handle, work_unit=f"西安电化公司{name}"
    )
    committee.add(
        Node(
            f"{name}经理部党支部",
            category=SOE,
            profile="enterprise",
            members=rng.randint(10, 14),
            is_temporary=True,
            founded_on=started,
            short_name="项目经理部党支部",
        )
    )
    for i in range(1, teams + 1):
        numeral = "一二三四五六七八九"[i - 1]
        committee.add(
            Node(
                f"{name}第{numeral}作业队党支部",
                category=SOE,
                profile="worksite",
                members=rng.randint(*size),
                is_temporary=True,
                founded_on=started,
                short_name=f"第{numeral}作业队党支部",
            )
        )
    return committee


def plan(ctx) -> Unit:
    rng = ctx.rng
    root = Node(
        "西安电化公司党委",
        K.COMMITTEE,
        SOE,
        short_name="电化公司党委",
        work_unit="西安电化公司",
        handle="dianhua.root",
        founded_on=date(1984, 9, 1),
    )
    for i, members in enumerate((22, 20, 18), start=1):
        root.add(
            Node(
                f"公司机关第{'一二三'[i - 1]}党支部",
                category=SOE,
                profile="enterprise",
                members=members,
                work_unit="西安电化公司",
                founded_on=founded(rng, 1984, 1996),
            )
        )
    projects = [_project(rng, *spec, handle=f"dianhua.project{i}") for i, spec in enumerate(PROJECTS, start=1)]
    root.add(*projects)
    root.add(
        Node(
            "西安北站枢纽工程项目部临时党支部",
            category=SOE,
            profile="worksite",
            members=10,
            is_temporary=True,
            founded_on=date(2010, 4, 8),
            work_unit="西安北站枢纽工程项目部",
        ),
        # The line opened in February 2010; its branch closed when the team moved on.
        Node(
            "郑西客专项目临时党支部",
            category=SOE,
            profile="worksite",
            is_temporary=True,
            with_posts=False,
            founded_on=date(2007, 9, 20),
            dissolved_on=date(2010, 4, 30),
            is_active=False,
        ),
        Node("机械化施工段党支部", category=SOE, profile="worksite", members=16, founded_on=founded(rng, 1986, 2000)),
        Node(
            "物资设备分公司党支部", category=SOE, profile="enterprise", members=14, founded_on=founded(rng, 1990, 2004)
        ),
        Node("检测试验中心党支部", category=SOE, profile="enterprise", members=9, founded_on=founded(rng, 1995, 2006)),
        Node(
            "电气化勘测设计所党支部",
            category=SOE,
            profile="enterprise",
            members=12,
            founded_on=founded(rng, 1988, 2002),
        ),
        Node(
            "离退休职工党支部",
            category=SOE,
            profile="retired",
            members=60,
            work_unit="西安电化公司",
            founded_on=founded(rng, 1990, 1998),
        ),
    )
    first_team = projects[0].children[1]
    first_team.named = [
        Named("李长春", Gender.MALE, "dianhua.lichangchun", age=46, work_unit="哈大客专项目第一作业队 接触网工班长")
    ]
    return Unit(KEY, CODE, "西安电化公司党委", root, pipeline=22)
