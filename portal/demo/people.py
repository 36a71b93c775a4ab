"""Plausible people: name, ID number, birth date and gender that agree, phone, education, dates."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from members.idcard import check_char
from members.models import Education, Gender, Member, Stage

from . import names
from .tree import Named, Node


@dataclass(frozen=True)
class Profile:
    """How the people of one kind of org look: ages, share of women, schooling, jobs, flags."""

    age: tuple[int, int, int]  # low, high, mode at the demo date
    female: float
    education: dict[str, int]
    positions: dict[str, int]
    probationary: float = 0.03
    mobile: float = 0.005
    unemployed: float = 0.0
    retired: bool = False


E = Education
PROFILES = {
    "organ": Profile(
        (24, 59, 44),
        0.35,
        {E.POSTGRADUATE: 8, E.UNIVERSITY: 55, E.COLLEGE: 30, E.SECONDARY: 7},
        {"科员": 30, "副主任科员": 15, "主任科员": 12, "副科长": 12, "科长": 12, "办事员": 8, "副调研员": 4},
    ),
    "school": Profile(
        (23, 59, 40),
        0.55,
        {E.POSTGRADUATE: 4, E.UNIVERSITY: 60, E.COLLEGE: 30, E.SECONDARY: 6},
        {"教师": 60, "班主任": 18, "教研组长": 8, "年级组长": 4, "教导主任": 3, "副校长": 2, "后勤管理员": 5},
        probationary=0.04,
    ),
    "hospital": Profile(
        (24, 59, 40),
        0.6,
        {E.POSTGRADUATE: 10, E.UNIVERSITY: 55, E.COLLEGE: 28, E.SECONDARY: 7},
        {
            "医师": 20,
            "主治医师": 18,
            "副主任医师": 10,
            "主任医师": 4,
            "护士": 14,
            "护师": 12,
            "主管护师": 10,
            "药师": 5,
            "检验师": 5,
            "行政管理员": 6,
        },
    ),
    "enterprise": Profile(
        (23, 58, 40),
        0.35,
        {E.POSTGRADUATE: 4, E.UNIVERSITY: 40, E.COLLEGE: 35, E.SECONDARY: 18, E.JUNIOR: 3},
        {"职员": 30, "工程师": 18, "助理工程师": 12, "技术员": 12, "客户经理": 10, "部门经理": 8, "副经理": 4},
        mobile=0.01,
    ),
    "worksite": Profile(
        (20, 55, 33),
        0.08,
        {E.UNIVERSITY: 15, E.COLLEGE: 30, E.SECONDARY: 40, E.JUNIOR: 15},
        {
            "接触网工": 30,
            "电力线路工": 15,
            "变电安装工": 12,
            "技术员": 10,
            "工班长": 10,
            "安全员": 6,
            "施工员": 7,
            "材料员": 5,
            "作业队长": 3,
        },
        probationary=0.06,
        mobile=0.03,
    ),
    "private": Profile(
        (24, 55, 36),
        0.3,
        {E.POSTGRADUATE: 3, E.UNIVERSITY: 45, E.COLLEGE: 35, E.SECONDARY: 17},
        {"造价工程师": 15, "监理工程师": 15, "设计师": 15, "项目经理": 15, "职员": 30, "副总经理": 5},
        probationary=0.06,
        mobile=0.02,
    ),
    "community": Profile(
        (26, 92, 66),
        0.52,
        {E.UNIVERSITY: 10, E.COLLEGE: 14, E.SECONDARY: 36, E.JUNIOR: 28, E.PRIMARY: 12},
        {"个体经营": 20, "社区居委会委员": 8, "企业职工": 40, "物业管理员": 8, "社区志愿者": 10},
        probationary=0.02,
        mobile=0.05,
        unemployed=0.35,
    ),
    "retired": Profile(
        (57, 92, 70),
        0.4,
        {E.UNIVERSITY: 25, E.COLLEGE: 25, E.SECONDARY: 30, E.JUNIOR: 15, E.PRIMARY: 5},
        {},
        probationary=0.0,
        mobile=0.0,
        retired=True,
    ),
}

# Where the street's retired members used to work (青岛's old factories and port).
QINGDAO_FORMER_EMPLOYERS = [
    "青岛国棉六厂",
    "青岛啤酒厂",
    "四方机车车辆厂",
    "青岛港务局",
    "青岛钢厂",
    "青岛橡胶二厂",
    "青岛第一百货",
    "青岛针织一厂",
    "青岛卷烟厂",
    "市北区供销社",
]


class Weighted:
    def __init__(self, table: dict[str, int]):
        self.items = list(table)
        self.cum = list(accumulate(table.values()))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cum)[0]


class People:
    """Makes unsaved Member rows; every ID number and phone number it hands out is unique."""

    def __init__(self, rng: random.Random, as_of: date):
        self.rng = rng
        self.as_of = as_of
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self._tables: dict = {}

    # -- lookups -------------------------------------------------------------------------------
    def _table(self, key, build) -> Weighted:
        if key not in self._tables:
            self._tables[key] = Weighted(build())
        return self._tables[key]

    def _surnames(self, unit: str) -> Weighted:
        def build():
            table = dict(names.SURNAMES)
            for surname, extra in names.REGIONAL_SURNAMES.get(unit, {}).items():
                table[surname] = table.get(surname, 0) + extra
            return table

        return self._table(("surname", unit), build)

    # -- pieces --------------------------------------------------------------------------------
    def name(self, unit: str, gender: str, birth_year: int) -> str:
        rng = self.rng
        surname = self._surnames(unit).pick(rng)
        female = gender == Gender.FEMALE
        if birth_year < 1965 and rng.random() < 0.35:
            return surname + rng.choice(names.OLD_FEMALE_GIVEN if female else names.OLD_MALE_GIVEN)
        chars = names.FEMALE_CHARS if female else names.MALE_CHARS
        if rng.random() < 0.3:
            return surname + rng.choice(chars)
        first = rng.choice(chars)
        second = rng.choice(chars)
        while second == first:
            second = rng.choice(chars)
        return surname + first + second

    def id_number(self, unit: str, birth: date, gender: str) -> str:
        region = self._table(("region", unit), lambda: names.REGION_CODES[unit]).pick(self.rng)
        odd = gender == Gender.MALE
        while True:
            order = self.rng.randrange(0, 500) * 2 + (1 if odd else 0)
            body = f"{region}{birth:%Y%m%d}{order:03d}"
            number = body + check_char(body)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice(names.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def birth_date(self, age: int) -> date:
        latest = self.as_of.replace(year=self.as_of.year - age)
        return latest - timedelta(days=self.rng.randrange(365))

    def age_of(self, birth: date) -> int:
        years = self.as_of.year - birth.year
        return years - ((self.as_of.month, self.as_of.day) < (birth.month, birth.day))

    # -- a whole person ------------------------------------------------------------------------
    def member(self, unit: str, node: Node, *, stage: str = Stage.FULL, named: Named | None = None) -> Member:
        rng = self.rng
        profile = PROFILES[node.profile]
        if named and named.gender:
            gender = named.gender
        else:
            gender = Gender.FEMALE if rng.random() < profile.female else Gender.MALE
        if named and named.age:
            age = named.age
        elif stage in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE):
            age = int(rng.triangular(19, 38, 26))
        else:
            low, high, mode = profile.age
            age = int(rng.triangular(low, high + 1, mode))
        birth = self.birth_date(age)
        age = self.age_of(birth)
        if stage == Stage.PROBATIONARY and age > 45:
            stage = Stage.FULL
        retire_age = 60 if gender == Gender.MALE else 55
        retired = profile.retired or (node.profile == "community" and age >= retire_age and rng.random() < 0.9)

        member = Member(
            org=node.org,
            name=named.name if named and named.name else self.name(unit, gender, birth.year),
            gender=gender,
            ethnicity=self._table(("ethnicity", unit), lambda: names.ETHNICITIES[unit]).pick(rng),
            birth_date=birth,
            id_number=self.id_number(unit, birth, gender),
            education=self._education(profile, age),
            stage=stage,
            phone=self.phone(),
            is_retired=retired,
            is_frail=(age >= 85 and rng.random() < 0.8) or (age >= 75 and rng.random() < 0.45),
            is_mobile=not retired and rng.random() < profile.mobile,
        )
        member.is_unemployed = not retired and rng.random() < profile.unemployed
        member.work_unit = (named.work_unit if named and named.work_unit else "") or self._work_unit(
            node, profile, member
        )
        if stage in (Stage.FULL, Stage.PROBATIONARY):
            self._party_dates(member, age, stage)
        return member

    def _education(self, profile: Profile, age: int) -> str:
        table = profile.education
        if age >= 68:
            table = {E.COLLEGE: 15, E.SECONDARY: 35, E.JUNIOR: 35, E.PRIMARY: 15}
        return self._table(("education", tuple(table.items())), lambda: table).pick(self.rng)

    def _work_unit(self, node: Node, profile: Profile, member: Member) -> str:
        rng = self.rng
        if member.is_retired:
            if node.profile == "community":
                return f"{rng.choice(QINGDAO_FORMER_EMPLOYERS)}退休职工"
            return f"{node.employer}退休{'教师' if '学' in node.employer else '干部'}"
        if member.is_unemployed:
            return "无固定工作"
        position = self._table(("position", node.profile), lambda: profile.positions).pick(rng)
        if node.profile == "community":
            return position
        return f"{node.employer} {position}"

    def _party_dates(self, member: Member, age: int, stage: str) -> None:
        rng = self.rng
        if stage == Stage.PROBATIONARY:
            member.joined_on = self.as_of - timedelta(days=rng.randrange(20, 350))
            member.confirmed_on = None
            return
        join_age = int(rng.triangular(18, max(19, min(age - 1, 50)), 25))
        joined = member.birth_date + timedelta(days=int(365.25 * join_age) + rng.randrange(300))
        joined = max(joined, date(1946, 7, 1))
        joined = min(joined, self.as_of - timedelta(days=400 + rng.randrange(200)))
        member.joined_on = joined
        member.confirmed_on = joined + timedelta(days=365 + rng.randrange(0, 20))

    def stage_for(self, node: Node) -> str:
        profile = PROFILES[node.profile]
        return Stage.PROBATIONARY if self.rng.random() < profile.probationary else Stage.FULL
