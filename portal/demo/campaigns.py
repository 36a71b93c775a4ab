"""One campaign per demo unit, running today, with the six phases and the carriers its report names.

The org and member data stand in late 2010 (``ctx.as_of``); the campaigns are dated around the real
today (``ctx.today``) so that a phase is in progress whenever the demo is opened: about ten months
behind, about five ahead. Each report says which step its unit had reached; that phase is today's.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from audit.models import HistoryEntry
from audit.services import build_entries
from campaigns.models import DEFAULT_PHASES, Campaign, Carrier, Phase, PhaseKind
from campaigns.services import created_changes, split_period

from .context import HISTORY_NOTE, SeedContext


@dataclass(frozen=True)
class DemoCampaign:
    unit: str  # unit key
    name: str
    description: str
    current: str  # the PhaseKind in progress today
    carriers: tuple[tuple[str, str], ...]


CAMPAIGNS = [
    DemoCampaign(
        "zhenjiang",
        "“党旗下的蒲公英”助推创先争优活动",
        "将街道“党旗下的蒲公英”党建品牌创建与“创先争优”活动结合起来，品牌引领，双向促进，实现双创双赢。",
        PhaseKind.MASS_EVALUATION,
        (
            (
                "四争四创",
                "争当“蒲公英”带头学习、文明创建、服务民生、维护稳定先锋，创增智提能、弘文明德、富民强街、长治久安之优",
            ),
            ("楼院先锋", "在各社区楼院制作公示栏，公布党员姓名、承诺事项、服务电话，成立楼院便民服务队"),
            ("蒲公英移动学堂", "蒲公英讲坛、移动学堂读书包、蒲公英电子党校，送学到户"),
            ("十佳“党旗下的蒲公英”", "民主推荐、民主评议、支部申报、社区党组织考核、街道党工委审批五个步骤评选"),
        ),
    ),
    DemoCampaign(
        "yixing",
        "建设系统深入开展创先争优活动",
        "紧紧扣住“建设富裕和谐秀美新宜兴，建设全省科学发展新亮点”中心主题，"
        "全力推进重点工程建设、扎实推进村镇建设、致力推动建筑产业转型升级、"
        "提升城市规范化管理水平、加快推进公共安全应急体系建设。",
        PhaseKind.MASS_EVALUATION,
        (
            ("学《廉政准则》，做勤廉公仆", "以主题教育拉开创先争优活动的序幕"),
            ("三走进、三服务", "走进基层、结对帮扶经济薄弱村，切实解决基层的困难和需求"),
            ("三承诺", "根据不同支部的职责任务、不同岗位党员特点，围绕“三承诺”开展公开承诺"),
            ("学先进、比创新、看实效", "创先争优主题征文和演讲比赛，树立身边的先进典型"),
        ),
    ),
    DemoCampaign(
        "dianhua",
        "深入开展创先争优活动",
        "按照总公司党委和集团公司党委部署，制定公司《创先争优活动实施方案》，"
        "将党建活动融入到生产经营中，创新载体、注重效果。",
        PhaseKind.MASS_EVALUATION,
        (
            ("挑战新时速，砥砺再奋进", "查找与高铁要求不相适应的问题，边查边改"),
            ("四强四优", "项目党建年：作业队党支部凝聚保障力强、党员岗位技能优"),
            ("党员技术比武", "党员技术业务练兵、比武，党群干部业务比武"),
            ("创先争优示范工程", "选树“基层示范党委”“示范党支部”“党员示范岗”，以点带面"),
        ),
    ),
    DemoCampaign(
        "hancheng",
        "教育系统深入开展创先争优活动",
        "学先进作表率，抓党建促发展，努力办人民满意的教育。",
        PhaseKind.LEADER_REVIEW,
        (
            (
                "三学三比三争",
                "学理论、学业务、学先进；比学习、比能力、比创新；争创先进基层党组织、争当好干部、争当优秀共产党员",
            ),
            ("一校一品", "各基层党组织自主设计、创建有影响、具有长效性的品牌活动项目"),
            ("两培两带", "把党员培养成名师，把名师培养成党员；支部带党员，党员带教师"),
            ("一旗一岗一承诺", "每个党员办公桌上一面党旗，每个岗位一个目标责任示范岗，设立并公示党员承诺书"),
        ),
    ),
    DemoCampaign(
        "zhouzhi",
        "州直机关创先争优活动",
        "以“三制一卡”为抓手，党组织“全覆盖”，党员“全参与”，开门创先进、开放争优秀。",
        PhaseKind.LEADER_REVIEW,
        (
            ("三制一卡", "州直机关党建工作模式，领导点评的内容之一"),
            ("党员先锋岗、责任区", "设置党员先锋岗、责任区，让创先争优成为党员岗位成才的“催化剂”"),
            ("五个好、五个先锋", "党组织创建“五个好”，党员争做创业发展、爱岗敬业、诚信自律、促进和谐、奉献爱心先锋"),
            ("征求意见月", "印发调查问卷、发送手机信息、开通网上信息、专线电话、召开座谈会"),
        ),
    ),
]


def plan_phases(rng: random.Random, today, current: str) -> tuple:
    """The period and phases: today inside ``current``, the phases before and after it sharing
    the rest of the period evenly."""
    starts_on = today - timedelta(days=rng.randint(295, 310))
    ends_on = today + timedelta(days=rng.randint(145, 160))
    index = DEFAULT_PHASES.index(current)
    current_start = today - timedelta(days=rng.randint(15, 35))
    current_end = today + timedelta(days=rng.randint(20, 40))
    before = split_period(starts_on, current_start - timedelta(days=1), DEFAULT_PHASES[:index])
    (now,) = split_period(current_start, current_end, [current])
    after = split_period(current_end + timedelta(days=1), ends_on, DEFAULT_PHASES[index + 1 :])
    return starts_on, ends_on, [*before, now, *after]


def write_campaigns(ctx: SeedContext) -> str:
    # Its own random source, so adding this step does not change what the later steps draw.
    rng = random.Random(f"{ctx.seed}-campaigns")
    made = []
    for spec in CAMPAIGNS:
        unit = ctx.units.get(spec.unit)
        if unit is None:
            continue
        starts_on, ends_on, phases = plan_phases(rng, ctx.today, spec.current)
        campaign = Campaign.objects.create(
            org=unit.root.org, name=spec.name, description=spec.description, starts_on=starts_on, ends_on=ends_on
        )
        phase_rows = Phase.objects.bulk_create(
            Phase(campaign=campaign, position=i, kind=p.kind, name=p.name, starts_on=p.starts_on, ends_on=p.ends_on)
            for i, p in enumerate(phases)
        )
        carrier_rows = Carrier.objects.bulk_create(
            Carrier(campaign=campaign, name=name, description=text) for name, text in spec.carriers
        )
        made.append((campaign, phase_rows, carrier_rows))
    entries = build_entries(
        (
            (campaign, HistoryEntry.Action.CREATE, created_changes(campaign, phase_rows, carrier_rows))
            for campaign, phase_rows, carrier_rows in made
        ),
        actor=None,
        source=HistoryEntry.Source.SYSTEM,
        note=HISTORY_NOTE,
    )
    HistoryEntry.objects.bulk_create(entries)
    carriers = sum(len(c) for *_, c in made)
    return f"{len(made)} 项主题活动，{carriers} 个载体"
