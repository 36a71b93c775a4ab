"""The sentences a report is written in: Chinese by nature, in the style of the units' own documents.

Every template of a sentence the drafting writes lives here, so that wording is changed in one place
and the drafting code only chooses which sentence to say and fills in computed numbers. Numbers are
written in Arabic digits as the documents do ("81个党委", "践诺率95%"); dates of signature in Chinese
numerals ("二〇一〇年十一月十一日").
"""

from __future__ import annotations

from datetime import date

DIGITS = "〇一二三四五六七八九"
ORDINALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals, as months, days and enumerations are written (十一, 二十, 三十一)."""
    if n < 0 or n > 99:
        raise ValueError(n)
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


def chinese_date(day: date) -> str:
    """二〇一〇年十一月十一日: the year digit by digit, month and day as numbers (GB/T 9704 signature date)."""
    year = "".join(DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def arabic_date(day: date) -> str:
    """2010年6月30日, as dates are written inside the body of the documents."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_label(day: date) -> str:
    return f"{day.year}年{day.month}月"


def rate(value: float | None) -> str:
    """A ratio as the documents print it: 95%, 87.5%; None (nothing to divide by) as a dash."""
    if value is None:
        return "—"
    pct = round(value * 100, 1)
    return f"{pct:.0f}%" if pct == int(pct) else f"{pct:.1f}%"


def heading(index: int, text: str) -> str:
    """一、进展情况及主要作法"""
    return f"{chinese_number(index)}、{text}"


def enumerate_points(points: list[str], marker: str = "是") -> str:
    """一是……；二是……。 (marker 是) or 一要……；二要…… (marker 要)."""
    parts = [f"{chinese_number(i)}{marker}{p.rstrip('。；;')}" for i, p in enumerate(points, start=1)]
    return "；".join(parts) + "。" if parts else ""


def quoted(name: str) -> str:
    """“name”, unless the name carries its own quotation marks (十佳“党旗下的蒲公英”)."""
    return name if "“" in name or "”" in name else f"“{name}”"


def listing(names: list[str], *, limit: int = 5) -> str:
    """甲、乙、丙等5个 … the first few names, and 等 when there are more."""
    shown = "、".join(names[:limit])
    return f"{shown}等" if len(names) > limit else shown


# --------------------------------------------------------------------------------------------
# Organizations and members
# --------------------------------------------------------------------------------------------
# The words the documents count organizations with: "81个党委、21个总支、557个支部".
KIND_WORDS = (("committees", "党委"), ("general_branches", "总支"), ("branches", "支部"))

ORG_COUNT = "{n}个{word}"
MEMBER_COUNT = "{n}名党员"
# 州直: "州直81个党委、21个总支、557个支部、9550名党员按照州委统一安排部署……"
PARTICIPATION = "目前，{org}{counts}参加了本次活动"
PARTICIPATION_NO_ORGS = "目前，{org}{members}参加了本次活动"
# 教育局: "局党委辖14个支部，436名党员。教育系统隶属乡镇(办)党委的基层党组织63个，党员993人。共计1429名党员参加……"
PARTS_DIRECT = "{org}辖{counts}，{members}名党员"
PARTS_BELOW = "隶属{committees}个下级党（工）委的基层党组织{orgs}个，党员{members}人"
PARTS_TOTAL = "共计{members}名党员参加了本次{campaign}"
NO_MEMBERS = "{org}目前尚未录入党员名册，参加人数无从统计。"
PROBATIONARY = "其中正式党员{full}名、预备党员{probationary}名；另有入党积极分子{activists}名、发展对象{candidates}名。"
CATEGORY_SPREAD = "按分类指导的要求，{parts}。"
CATEGORY_PART = "{category}{n}个"

# --------------------------------------------------------------------------------------------
# Campaign
# --------------------------------------------------------------------------------------------
CAMPAIGN_PHASES = "按照活动安排，{campaign}分{n}个阶段推进：{phases}。"
CAMPAIGN_PHASE_DONE = "已完成{phases}等工作"
CAMPAIGN_PHASE_NOW = "目前正处于{phase}阶段（{start}至{end}）"
CAMPAIGN_CARRIERS = "活动中搭建了{carriers}等载体，为党组织和党员创先争优提供了平台。"
NEXT_PHASE = "{start}至{end}，集中开展{phase}工作"

# --------------------------------------------------------------------------------------------
# Pledges: "共作出承诺X项，已践诺Y项，践诺率Z%"
# --------------------------------------------------------------------------------------------
PLEDGE_MADE = "{members}名党员、{orgs}个党组织作出公开承诺，经审核确定{approved}份"
PLEDGE_ITEMS = "共作出承诺{items}项，已践诺{done}项，践诺率{rate}"
PLEDGE_JUDGED = "已评诺的{closed}份承诺中，全部兑现{kept}份，兑现率{rate}"
PLEDGE_PARTICIPATION = "党员承诺率{rate}"
PLEDGE_NONE = "{campaign}中，{org}尚无公开承诺，践诺情况暂无从统计。"
PLEDGE_OVERDUE = "{branches}个支部有逾期未兑现的承诺事项{items}项"
PLEDGE_SILENT = "{n}个支部尚无党员作出公开承诺"

# --------------------------------------------------------------------------------------------
# Activities and 三会一课
# --------------------------------------------------------------------------------------------
ACTIVITY_TOTAL = "{start}至{end}，各级党组织共开展各类活动{n}次，其中“三会一课”{three}次"
ACTIVITY_BUSIEST = "活动最集中的是{month}，达{n}次"
ACTIVITY_NONE = "{start}至{end}，{org}尚未登记开展的活动。"
COMPLIANCE = "在应落实“三会一课”制度的{checked}个支部中，{met}个支部按规定落实，落实率{rate}"
COMPLIANCE_NONE = "本期尚无需要考核“三会一课”的支部"
COMPARE_UP = "{what}由{before}提高到{after}"
COMPARE_DOWN = "{what}由{before}下降到{after}"
COMPARE_SAME = "{what}与上期持平，为{after}"
ACTIVITIES_COMPARED = "比上期（{start}至{end}）的{before}次{change}"

# --------------------------------------------------------------------------------------------
# Leader reviews, rectification, mass evaluation, appraisal and exemplars
# --------------------------------------------------------------------------------------------
REVIEWS_HELD = "各级党组织负责人按照隶属关系开展领导点评{n}次（{methods}）"
REVIEWS_COVERAGE = "{orgs}个党组织、{members}名党员接受了点评，党组织点评覆盖率{rate}"
REVIEWS_NONE = "本期尚未开展领导点评"
RECTIFICATION_RATE = "建立整改台账和挂牌销号制度，本期挂牌问题{listed}个，已销号{struck}个，整改落实率{rate}"
RECTIFICATION_NONE = "本期没有挂牌整改的问题"
EVALUATION = (
    "组织开展群众评议{rounds}轮，收回评议{responses}份，群众满意率{rate}"
    "（满意{satisfied}人次、基本满意{basic}人次、不满意{dissatisfied}人次、不了解{unknown}人次）"
)
EVALUATION_NONE = "本期尚未开展群众评议"
APPRAISAL = (
    "{year}年民主评议党员中，{decided}名党员已评定等次，其中优秀{excellent}名、合格{qualified}名、"
    "基本合格{basic}名、不合格{unqualified}名，优秀率{rate}"
)
EXEMPLARS = "选树表彰先进典型{n}个（名），其中{parts}"
EXEMPLAR_PART = "{label}{n}个（名）"

# --------------------------------------------------------------------------------------------
# Problems (from the lagging branches) and the next stage
# --------------------------------------------------------------------------------------------
PROBLEMS_OPEN = "在{campaign}中，存在的主要困难和问题是："
UNEVEN = "发展不平衡。{org}下属{branches}个党(总)支部中，{details}，分类指导上存在差距，需要进一步加强"
UNEVEN_NO_ACTIVITY = "{n}个支部本期没有开展活动（{names}）"
UNEVEN_SHORT = "{n}个支部未按规定落实“三会一课”制度"
UNEVEN_OVERDUE = "{n}个支部有逾期未兑现的承诺事项{items}项"
UNEVEN_SILENT = "{n}个支部尚无党员作出公开承诺"
UNEVEN_LOW_SATISFACTION = "{n}个党组织群众满意率低于{threshold}"
UNEVEN_OVERDUE_RECTIFICATION = "{n}个党组织有逾期未整改的问题{items}个"
PROBLEMS_NONE = "从本期数据看，各支部活动开展、承诺兑现均较为均衡，未发现明显的薄弱环节，但仍需防止出现前热后冷的现象"
AWARENESS = "认识上还有待提高。个别支部创先争优活动和业务工作结合得不够紧密，活动的形式和内容创新不够"

NEXT_OPEN = "按照上级党组织的统一部署，结合{org}实际情况，下阶段将主要做好以下几项工作。"
NEXT_PHASES = "强势推进争创活动。按照活动安排，{phases}，确保争创活动的各项目标任务要求真正落到实处"
NEXT_CAMPAIGN_ENDS = "强势推进争创活动。{campaign}将于{end}结束，要做好总结评估工作，确保各项目标任务落到实处"
NEXT_LAGGING = "加强分类指导。对{names}等{n}个薄弱支部逐一分析原因，由联点领导上门督导，限期改进"
NEXT_OVERDUE = "抓好承诺兑现。对逾期未兑现的{items}项承诺事项，督促责任人限期兑现，兑现情况纳入领导点评和群众评议"
NEXT_EXEMPLARS = (
    "搞好典型示范。通过树立、宣传活动中涌现出来的先进典型，在全系统形成学习先进、崇尚先进、争当先进的良好风气"
)
NEXT_LEADING = "强化引领作用。引领基层党组织发挥战斗堡垒作用，引领党员发挥先锋模范作用，形成“创先争优促发展”的良好氛围"

# --------------------------------------------------------------------------------------------
# Openings and closings by kind of document
# --------------------------------------------------------------------------------------------
PROGRESS_TITLE = "{campaign}推进会汇报材料"
PROGRESS_OPENING = (
    "{campaign}开展以来，{org}高度重视，积极谋划，精心组织，有序有效地推进创先争优活动，各项工作取得阶段性成效。"
    "现将{start}至{end}的进展情况汇报如下。"
)
EXPERIENCE_TITLE = "依托载体创先争优 推动{campaign}显实效"
EXPERIENCE_OPENING = (
    "{campaign}开展以来，{org}坚持把创先争优与中心工作结合起来，以载体建设为抓手，"
    "不断丰富活动内涵，有力推动了各项工作的开展。"
)
SPEECH_TITLE = "深入开展创先争优活动 推动各项工作科学发展"
SPEECH_SUBTITLE = "——在{org}{campaign}推进会上的讲话"
SPEECH_ADDRESS = "同志们："
SPEECH_OPENING = (
    "今天召开{org}{campaign}推进会，主要任务是总结交流活动开展以来的经验和做法，分析存在的问题，"
    "并对下一阶段的工作进行再部署、再鼓劲、再升温。"
)
SPEECH_SINCE = (
    "{campaign}自{month}部署以来，{counts}按照统一安排部署，结合行业和岗位实际，"
    "扎实推进创先争优活动开展，取得了良好的效果。"
)
SPEECH_PROBLEMS = "总的来说，前一段的活动进展顺利，富有成效，但也存在一些不可忽视的问题。"
SPEECH_CLOSING = (
    "同志们：“创建先进、争当优秀”是基层党组织和党员的鲜明特征和不懈追求。我们要以创先争优活动为契机，"
    "通过党组织和党员创先争优，带动全体干部和群众创先争优，推动各项工作再上新台阶。"
)
