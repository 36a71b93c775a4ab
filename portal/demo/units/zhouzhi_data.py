"""The prefecture's organs (州直): who the 81 党委 and 21 党总支 are, and how their branches are named.

The report counts "州直81个党委、21个总支、557个支部、9550名党员"; the prefecture is taken to be
湘西土家族苗族自治州 (the 省405队 it names sits in 吉首), so places and names follow it.
"""

from dataclasses import dataclass, field

from branches.models import OrgCategory as C
from branches.models import OrgKind as K

COMMITTEES = 81
GENERAL_BRANCHES = 21
BRANCHES = 557
MEMBERS = 9550

COUNTIES = ["吉首市", "泸溪县", "凤凰县", "花垣县", "保靖县", "古丈县", "永顺县", "龙山县"]

# Stems of generated branch names, in the order they are used; "*" stands for the county branches.
POOLS = {
    "organ": [
        "机关第一",
        "机关第二",
        "*",
        "机关第三",
        "信息中心",
        "执法支队",
        "服务中心",
        "培训中心",
        "监测站",
        "稽查支队",
        "研究所",
        "管理所",
        "机关第四",
        "机关第五",
    ],
    "school": [
        "行政",
        "高一年级",
        "高二年级",
        "高三年级",
        "初中部",
        "教研",
        "后勤",
        "第一教工",
        "第二教工",
        "第三教工",
    ],
    "school_admin": ["行政", "教研", "后勤", "第一教工", "第二教工", "第三教工"],
    "college": ["机关", "基础部", "学生第一", "学生第二", "后勤", "继续教育部", "图书馆"],
    "hospital": [
        "行政后勤",
        "门诊",
        "妇产科",
        "儿科",
        "急诊科",
        "护理",
        "药剂科",
        "麻醉科",
        "感染科",
        "体检中心",
        "康复科",
        "眼耳鼻喉科",
    ],
    "enterprise": [
        "机关第一",
        "机关第二",
        "*",
        "营销服务中心",
        "运行维护中心",
        "客户服务中心",
        "工程建设部",
        "物资供应部",
        "财务部",
        "机关第三",
    ],
    "geology": ["机关", "物探分队", "钻探分队", "测试中心", "矿业开发公司", "测绘院"],
    "internal": ["心血管内科", "消化内科", "呼吸内科", "神经内科", "肾内科", "内分泌科"],
    "surgery": ["普外科", "骨科", "泌尿外科", "神经外科", "胸外科"],
    "medtech": ["检验科", "放射科", "超声科", "病理科"],
    "clinic": ["针灸推拿科", "骨伤科", "中医内科", "中医外科"],
    "senior": ["高一年级", "高二年级", "高三年级", "高中教研"],
    "junior": ["初一年级", "初二年级", "初三年级"],
    "teaching": ["机电工程系", "医学护理系", "经济管理系", "信息工程系", "旅游系"],
    "field": ["第一地质分队", "第二地质分队", "第三地质分队", "野外勘查队"],
    "power": ["变电运行工区", "输电工区", "变电检修工区", "调度通信中心"],
    "road": ["吉首公路段", "凤凰公路段", "永顺公路段", "龙山公路段", "花垣公路段"],
    "network": ["网络运行维护", "传输", "无线网络优化", "数据业务"],
}
PROFILE_OF_POOL = {
    "organ": "organ",
    "school": "school",
    "school_admin": "school",
    "college": "school",
    "hospital": "hospital",
    "enterprise": "enterprise",
    "geology": "enterprise",
    "internal": "hospital",
    "surgery": "hospital",
    "medtech": "hospital",
    "clinic": "hospital",
    "senior": "school",
    "junior": "school",
    "teaching": "school",
    "field": "enterprise",
    "power": "enterprise",
    "road": "organ",
    "network": "enterprise",
}
RETIRED_STEM = {
    "school": "离退休教师",
    "school_admin": "离退休教师",
    "college": "离退休教职工",
    "hospital": "离退休职工",
    "enterprise": "离退休职工",
}
# Relative size of a branch's membership by profile.
MEMBER_WEIGHT = {"organ": 1.0, "school": 1.5, "hospital": 1.7, "enterprise": 1.2, "retired": 1.6, "private": 0.5}


@dataclass
class Spec:
    name: str
    kind: str = K.COMMITTEE
    category: str = C.ORGAN
    pool: str = "organ"
    weight: float = 1.0  # share of the generated branches
    county: str = ""  # county branches: the format of their unit, "{c}地方税务局" -> "泸溪县地方税务局党支部"
    named: list[str] = field(default_factory=list)  # branch names given in full
    children: list["Spec"] = field(default_factory=list)
    retired: bool = True  # ends with a 离退休 branch when it has four or more
    prefix: str = ""  # what its branch names start with; a 党总支 uses its unit's name


def gb(name, pool, category=C.INSTITUTION, weight=0.6, prefix=""):
    return Spec(name, K.GENERAL_BRANCH, category, pool, weight, retired=False, prefix=prefix)


def sub(name, pool, category=C.INSTITUTION, weight=1.0, children=(), county=""):
    return Spec(name, K.COMMITTEE, category, pool, weight, county=county, children=list(children))


INST, ORGAN, SOE = C.INSTITUTION, C.ORGAN, C.STATE_ENTERPRISE
TOP = [
    Spec(
        "州委机关党委",
        named=[
            "州委办公室",
            "州委组织部",
            "州委宣传部",
            "州委统战部",
            "州委政法委",
            "州委政策研究室",
            "州委老干部局",
            "州委机要局",
        ],
        weight=1.6,
    ),
    Spec("州人大常委会机关党委"),
    Spec(
        "州人民政府机关党委",
        named=["州政府办公室", "州政府研究室", "州政府金融办", "州政府法制办", "州信访局", "州政府接待处"],
        weight=1.4,
    ),
    Spec("州政协机关党委"),
    Spec("州纪委监察局机关党委"),
    Spec("州中级人民法院机关党委", weight=1.3),
    Spec("州人民检察院机关党委", weight=1.2),
    Spec("州发展和改革委员会党委"),
    Spec("州经济和信息化委员会党委"),
    Spec(
        "州教育局党委",
        children=[
            sub(
                "州民族中学党委",
                "school_admin",
                children=[
                    gb("州民族中学高中部党总支", "senior", prefix="州民族中学"),
                    gb("州民族中学初中部党总支", "junior", prefix="州民族中学"),
                ],
            ),
            sub("州第二民族中学党委", "school"),
            sub(
                "湘西民族职业技术学院党委",
                "college",
                weight=1.4,
                children=[gb("湘西民族职业技术学院教学党总支", "teaching", prefix="湘西民族职业技术学院")],
            ),
        ],
    ),
    Spec("州科学技术局党委", weight=0.8),
    Spec("州民族事务委员会党委", weight=0.8),
    Spec(
        "州公安局党委",
        weight=1.4,
        children=[
            sub("州公安局交通警察支队党委", "organ", ORGAN),
            sub("州公安局经济开发区分局党委", "organ", ORGAN, weight=0.7),
        ],
    ),
    Spec("州民政局党委"),
    Spec("州司法局党委", weight=0.8),
    Spec("州财政局党委"),
    Spec("州人力资源和社会保障局党委", children=[sub("州社会保险基金管理局党委", "organ", INST, weight=0.7)]),
    Spec(
        "州国土资源局党委",
        county="{c}国土资源局",
        children=[sub("州国土资源局直属分局党委", "organ", ORGAN, weight=0.6)],
    ),
    Spec("州环境保护局党委", weight=0.8),
    Spec("州住房和城乡建设局党委"),
    Spec(
        "州交通运输局党委",
        children=[
            sub(
                "州公路管理局党委",
                "organ",
                INST,
                weight=1.2,
                children=[gb("州公路管理局养护党总支", "road", prefix="州公路管理局")],
            ),
            sub("州道路运输管理处党委", "organ", INST, weight=0.8),
        ],
    ),
    Spec("州水利局党委"),
    Spec("州农业局党委", weight=1.1),
    Spec("州林业局党委"),
    Spec("州畜牧水产局党委", weight=0.8),
    Spec("州商务局党委", weight=0.8),
    Spec("州文化局党委", named=["州民族歌舞团", "州图书馆", "州博物馆"]),
    Spec(
        "州卫生局党委",
        children=[
            sub(
                "州人民医院党委",
                "hospital",
                weight=1.6,
                children=[
                    gb("州人民医院内科党总支", "internal", prefix="州人民医院"),
                    gb("州人民医院外科党总支", "surgery", prefix="州人民医院"),
                    gb("州人民医院医技党总支", "medtech", prefix="州人民医院"),
                ],
            ),
            sub(
                "州民族中医院党委",
                "hospital",
                weight=1.2,
                children=[gb("州民族中医院临床党总支", "clinic", prefix="州民族中医院")],
            ),
            sub("州妇幼保健院党委", "hospital", weight=0.8),
            sub("州疾病预防控制中心党委", "organ", weight=0.7),
        ],
    ),
    Spec("州人口和计划生育委员会党委", weight=0.8),
    Spec("州审计局党委", weight=0.8),
    Spec(
        "州国有资产监督管理委员会党委",
        children=[
            sub("州城市建设投资有限公司党委", "enterprise", SOE),
            sub("州国有资产经营有限公司党委", "enterprise", SOE, weight=0.8),
        ],
    ),
    Spec("州地方税务局党委", county="{c}地方税务局", weight=1.3),
    Spec("州国家税务局党委", county="{c}国家税务局", weight=1.3),
    Spec("州工商行政管理局党委", county="{c}工商行政管理局", weight=1.2),
    Spec("州质量技术监督局党委", county="{c}质量技术监督局", weight=0.9),
    Spec("州安全生产监督管理局党委", weight=0.8),
    Spec("州统计局党委", weight=0.7),
    Spec("州食品药品监督管理局党委", weight=0.8),
    Spec("州旅游局党委", weight=0.7),
    Spec("州体育局党委", weight=0.7),
    Spec("州广播电视局党委", children=[sub("州广播电视台党委", "organ", INST)]),
    Spec("团结报社党委", category=INST),
    Spec("州扶贫开发办公室党委", weight=0.7),
    Spec("州住房公积金管理中心党委", category=INST, county="州住房公积金管理中心{c}管理部", weight=0.9),
    Spec(
        "州电业局党委",
        category=SOE,
        pool="enterprise",
        county="{c}供电公司",
        weight=1.4,
        children=[
            sub("州电业局输变电工程公司党委", "enterprise", SOE),
            gb("州电业局生产党总支", "power", SOE, prefix="州电业局"),
        ],
    ),
    Spec(
        "州移动通信分公司党委",
        category=SOE,
        pool="enterprise",
        county="移动通信{c}分公司",
        children=[gb("州移动通信分公司网络党总支", "network", SOE, prefix="州移动通信分公司")],
    ),
    Spec("州电信分公司党委", category=SOE, pool="enterprise", county="电信{c}分公司"),
    Spec("州联通分公司党委", category=SOE, pool="enterprise", county="联通{c}分公司", weight=0.8),
    Spec("州烟草专卖局党委", category=SOE, pool="enterprise", county="{c}烟草专卖局"),
    Spec(
        "省地质矿产勘查开发局405队党委",
        category=INST,
        pool="geology",
        weight=1.2,
        children=[gb("省405队野外地质分队党总支", "field", INST, prefix="省405队")],
    ),
    Spec("州气象局党委", county="{c}气象局", weight=0.8),
    Spec("人民银行州中心支行党委", county="人民银行{c}支行"),
    Spec("农业银行州分行党委", category=SOE, pool="enterprise", county="农业银行{c}支行", weight=1.2),
    Spec("工商银行州分行党委", category=SOE, pool="enterprise", county="工商银行{c}支行"),
    Spec("建设银行州分行党委", category=SOE, pool="enterprise", county="建设银行{c}支行"),
    Spec("中国银行州分行党委", category=SOE, pool="enterprise", county="中国银行{c}支行", weight=0.8),
    Spec("州农村信用合作联社党委", category=SOE, pool="enterprise", county="{c}农村信用合作联社", weight=1.1),
    Spec("州邮政局党委", category=SOE, pool="enterprise", county="{c}邮政局"),
    Spec("州供销合作社党委", weight=0.8),
    Spec("州粮食局党委", weight=0.8),
    Spec("州总工会机关党委", weight=0.7),
    Spec("州委党校党委", category=INST, pool="college", weight=0.8),
    Spec("州规划局党委", weight=0.7),
    Spec("州城市管理行政执法局党委", weight=0.9),
]
# 党总支 of small organs, directly under the working committee.
ROOT_GENERAL_BRANCHES = [
    "州档案局党总支",
    "州机关事务管理局党总支",
    "州科学技术协会党总支",
    "州文学艺术界联合会党总支",
    "州妇女联合会党总支",
    "州残疾人联合会党总支",
    "州物价局党总支",
    "州人民防空办公室党总支",
    "州广播电视大学党总支",
    "州招商合作局党总支",
]
# (name, category, profile) of branches directly under the working committee; its own office first.
ROOT_BRANCHES = [
    ("州直机关工委机关党支部", ORGAN, "organ"),
    ("州地方志办公室党支部", ORGAN, "organ"),
    ("州机构编制委员会办公室党支部", ORGAN, "organ"),
    ("州外事侨务办公室党支部", ORGAN, "organ"),
    ("州社会科学界联合会党支部", ORGAN, "organ"),
    ("州红十字会党支部", C.SOCIAL, "organ"),
    ("州工商业联合会党支部", ORGAN, "organ"),
    ("州归国华侨联合会党支部", ORGAN, "organ"),
    ("共青团州委党支部", ORGAN, "organ"),
    ("州人民政府驻长沙办事处党支部", ORGAN, "organ"),
    ("州人民政府驻北京联络处党支部", ORGAN, "organ"),
    ("州直机关离退休干部党支部", ORGAN, "retired"),
    ("州非公有制企业联合党支部", C.PRIVATE_ECONOMY, "private"),
    ("州社会组织联合党支部", C.SOCIAL, "private"),
]
