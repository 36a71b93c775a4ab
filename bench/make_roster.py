"""Write a large messy-but-valid roster XLSX, as rosters arrive from many hands.

    .venv/bin/python bench/make_roster.py [--rows 20000] [--out /tmp/roster-20000.xlsx]

A title row above the header, header aliases (身份证号, 手机, 入党时间), dates in every form the
import accepts (2010.06, 2010年6月1日, 2010-6-1, 20100601, date cells, Excel serial numbers),
full-width digits, padded names, lower-case x, and a blank row every 500 rows. Members are spread
over the branches ``bench/import_roster.py`` creates (BENCH-01 .. BENCH-20, by name or by code).
"""

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from members.idcard import check_char  # noqa: E402

BRANCHES = 20
HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "身份证号",
    "文化程度",
    "人员类别",
    "入党时间",
    "转正时间",
    "所在支部",
    "工作单位及职务",
    "手机",
    "流动党员",
    "离退休",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅志文玉兰海燕春雷"
EDUCATION = ["大学本科", "大专", "研究生", "高中", "中专", "初中", "本科"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def branch_name(n: int) -> str:
    return f"基准第{n:02d}党支部"


def id_number(serial: int, birth: date) -> str:
    body = f"3205{serial % 100:02d}{birth:%Y%m%d}{serial % 1000:03d}"
    return body + check_char(body)


def messy_date(day: date, rng: random.Random):
    form = rng.randrange(7)
    if form == 0:
        return f"{day.year}.{day.month:02d}"  # the 1st of the month
    if form == 1:
        return f"{day.year}年{day.month}月{day.day}日"
    if form == 2:
        return f"{day.year}-{day.month}-{day.day}"
    if form == 3:
        return f"{day:%Y%m%d}"
    if form == 4:
        return day  # a date cell
    if form == 5:
        return (day - date(1899, 12, 30)).days  # an Excel serial number in a number cell
    return f"{day.year}/{day.month}/{day.day}"


def rows(count: int, seed: int = 20101111):
    rng = random.Random(seed)
    used = set()
    for n in range(1, count + 1):
        while True:
            birth = date(1940, 1, 1) + timedelta(days=rng.randrange(60 * 365))
            number = id_number(rng.randrange(100_000), birth)
            if number not in used:
                used.add(number)
                break
        male = int(number[16]) % 2 == 1
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if len(name) == 2 and rng.random() < 0.3:
            name = f"{name[0]}  {name[1]}"  # padded to line up with three-character names
        joined = birth + timedelta(days=365 * 20 + rng.randrange(3650))
        joined = min(joined, date(2024, 6, 1))
        probationary = rng.random() < 0.05
        branch = 1 + n % BRANCHES
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        yield [
            n,
            f" {name} " if rng.random() < 0.1 else name,
            "男" if male else "女",
            "汉族" if rng.random() < 0.9 else "回族",
            f"{birth.year}.{birth.month:02d}" if rng.random() < 0.5 else "",
            number.lower() if rng.random() < 0.1 else number,
            rng.choice(EDUCATION),
            "预备党员" if probationary else "正式党员",
            messy_date(joined, rng),
            "" if probationary else messy_date(min(joined + timedelta(days=366), date(2025, 6, 1)), rng),
            branch_name(branch) if rng.random() < 0.8 else f"BENCH-{branch:02d}",
            f"第{branch}车间 技术员",
            phone.translate(FULLWIDTH) if rng.random() < 0.05 else phone,
            "是" if rng.random() < 0.03 else "",
            "√" if rng.random() < 0.1 else "否",
        ]


def write(path: Path, count: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["基准公司党委党员花名册（统计截至2025年6月）"])
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
        if row[0] % 500 == 0:
            sheet.append([])
    workbook.save(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/roster-20000.xlsx"))
    args = parser.parse_args()
    write(args.out, args.rows)
    print(f"wrote {args.rows} rows to {args.out}")


if __name__ == "__main__":
    main()
