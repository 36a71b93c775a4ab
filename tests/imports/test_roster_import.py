"""Roster import through the services the page and the command share."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import HistoryEntry
from audit.services import history_for
from members.idcard import check_char
from members.models import Member, Stage
from tests.factories import MemberFactory, make_id_number
from tests.imports.conftest import ROSTER_HEADER, by_row, csv_bytes

BIRTH = date(1985, 3, 1)


def test_a_messy_roster_is_read_as_its_author_meant(world, ids, check, confirm):
    a, b, c, d = ids(4)
    rows = [
        [
            "姓名",
            "性别",
            "出生年月",
            "公民身份号码",
            "党员类别",
            "入党日期",
            "转正时间",
            "所在支部",
            "联系电话",
            "流动党员",
            "离退休",
        ],
        [
            " 张  三 ",
            "男",
            "1985.03",
            a.lower().replace("X", "x"),
            "正式党员",
            40330,
            "2011年6月1日",
            "第一中学党支部",
            "１３９ ０００ ０１１１１",
            "√",
            "否",
        ],
        [],
        ["李四", "", "", b, "预备", "2023-6-1", "", "ZZ-JY-02", "13900002222", "", ""],
        [None, None, None, None, None, None, None, None, None, None, None],
        ["王五", "男", "1985年3月1日", c, "发展对象", "", "", "", "", "", "是"],
        ["赵六", "男", date(1985, 3, 1), d, "", "2010.06", "2011.06", "第一党小组", "", "", ""],
    ]
    batch = check(rows, title_rows=[["州教育局党委党员花名册"], ["填报单位：州教育局党委", None, None, "2025年"]])
    assert batch.counts == {"new": 4, "update": 0, "unchanged": 0, "error": 0}, batch.report
    assert batch.layout["header_row"] == 3
    assert [r["row"] for r in batch.report] == [4, 6, 8, 9]  # numbers as the user sees them in Excel
    assert not Member.objects.filter(id_number__in=[a, b, c, d]).exists()  # the check writes nothing

    confirm(batch)
    zhang = Member.objects.get(id_number=a)
    assert (zhang.name, zhang.org, zhang.joined_on, zhang.confirmed_on) == (
        "张三",
        world.branch_a,
        date(2010, 6, 1),
        date(2011, 6, 1),
    )
    assert (zhang.phone, zhang.is_mobile, zhang.is_retired, zhang.birth_date) == ("13900001111", True, False, BIRTH)
    li = Member.objects.get(id_number=b)
    assert (li.org, li.stage, li.gender, li.birth_date) == (world.branch_b, Stage.PROBATIONARY, "male", BIRTH)
    wang = Member.objects.get(id_number=c)
    assert (wang.org, wang.stage, wang.is_retired) == (world.jy, Stage.CANDIDATE, True)
    zhao = Member.objects.get(id_number=d)
    assert (zhao.org, zhao.stage, zhao.joined_on) == (world.group_a, Stage.FULL, date(2010, 6, 1))


def test_gbk_and_bom_csv_files_read_the_same(world, ids, check):
    a, b = ids(2)
    rows = [["姓名", "身份证", "手机"], ["张三", a, "13900001111"], ["李四", b, ""]]
    for encoding, name in (("gbk", "gbk.csv"), ("utf-8-sig", "bom.csv"), ("utf-8", "plain.csv")):
        batch = check(None, data=csv_bytes(rows, encoding=encoding), name=name)
        assert batch.counts["new"] == 2, (encoding, batch.report)
        assert [r["key"]["name"] for r in batch.report] == ["张三", "李四"]


def test_bad_check_digit_names_the_expected_character(world, check):
    good = make_id_number(BIRTH)
    wrong = "0" if good[-1] != "0" else "1"
    batch = check([["姓名", "身份证号"], ["张三", good[:-1] + wrong]])
    [message] = by_row(batch)[2]["messages"]
    assert good[:-1] + wrong in message
    assert f"should be {check_char(good[:17])}" in message


def test_birth_date_or_gender_that_contradicts_the_id_is_an_error(world, ids, check):
    a, b = ids(2)
    batch = check([["姓名", "性别", "出生日期", "身份证号"], ["张三", "男", "1986-03-01", a], ["李四", "女", "", b]])
    rows = by_row(batch)
    assert "1985-03-01" in rows[2]["messages"][0]
    assert "女" in rows[3]["messages"][0]


def test_duplicates_within_the_file_name_the_first_row(world, ids, check):
    [a] = ids(1)
    batch = check([["姓名", "身份证号"], ["张三", a], ["张三", a.lower()]])
    rows = by_row(batch)
    assert rows[2]["status"] == "new"
    assert rows[3]["status"] == "error" and "row 2" in rows[3]["messages"][0]


def test_an_id_stored_by_excel_as_a_number_is_explained(world, check):
    number = make_id_number(BIRTH)
    batch = check([["姓名", "身份证号"], ["张三", float(number[:17])]])
    assert "number" in by_row(batch)[2]["messages"][0]


def test_unknown_org_and_org_outside_the_subtree_are_errors(world, ids, check):
    a, b = ids(2)
    batch = check([["姓名", "身份证号", "所在党组织"], ["张三", a, "不存在的支部"], ["李四", b, "人民医院党支部"]])
    rows = by_row(batch)
    assert rows[2]["status"] == rows[3]["status"] == "error"
    assert "不存在的支部" in rows[2]["messages"][0] and "州教育局党委" in rows[2]["messages"][0]
    assert "人民医院党支部" in rows[3]["messages"][0]


def test_nothing_is_written_when_rows_are_in_error_unless_left_out(world, ids, check, confirm):
    a, b = ids(2)
    batch = check([["姓名", "身份证号"], ["张三", a], ["李四", b[:-1] + ("0" if b[-1] != "0" else "1")]])
    assert batch.counts["error"] == 1
    before = Member.objects.count()
    with pytest.raises(ValidationError, match="1 rows have errors"):
        confirm(batch)
    assert Member.objects.count() == before and batch.status == "previewed"

    confirm(batch, skip_errors=True)
    assert batch.status == "done"
    assert Member.objects.count() == before + 1
    assert Member.objects.filter(id_number=a).exists()


def test_reimport_updates_without_duplicating_and_keeps_history(world, ids, check, confirm):
    [a] = ids(1)
    first = confirm(check([["姓名", "身份证号", "手机"], ["张三", a, "13900001111"]]))
    assert first.counts["new"] == 1
    member = Member.objects.get(id_number=a)

    again = check([["姓名", "身份证号", "手机"], ["张三", a, "13900001111"]])
    assert again.counts["unchanged"] == 1

    changed = check([["姓名", "身份证号", "手机"], ["张三", a, "13911112222"]])
    assert changed.counts["update"] == 1
    # The stored preview and the history hold phones masked (个人信息保护法).
    assert changed.report[0]["changes"] == [["phone", "139****1111", "139****2222"]]
    confirm(changed)
    assert Member.objects.filter(id_number=a).count() == 1
    member.refresh_from_db()
    assert member.phone == "13911112222"
    update, create = history_for(member)
    assert (update.action, update.source, update.actor) == ("update", "import", world.users.staff_jy)
    assert update.changes["phone"] == {"label": "phone", "old": "139****1111", "new": "139****2222"}
    assert create.action == "create" and create.changes["name"]["new"] == "张三"


def test_existing_member_outside_the_users_subtrees_cannot_be_touched(world, check):
    outsider = world.hospital_members[0]
    batch = check([["姓名", "身份证号"], [outsider.name, outsider.id_number]])
    assert batch.counts["error"] == 1
    assert "do not manage" in batch.report[0]["messages"][0]


def test_existing_member_stays_in_their_branch_when_the_file_names_no_org(world, check, confirm):
    member = world.members_a[1]
    batch = confirm(check([["姓名", "身份证号", "手机"], [member.name, member.id_number, "13800000000"]]))
    member.refresh_from_db()
    assert (batch.counts["update"], member.org, member.phone) == (1, world.branch_a, "13800000000")


def test_rows_whose_errors_appear_after_the_check_stop_the_import(world, ids, check, confirm):
    a, b = ids(2)
    batch = check([["姓名", "身份证号"], ["张三", a], ["李四", b]])
    MemberFactory(org=world.hospital, id_number=b)  # someone else put 李四 into a branch we do not manage
    confirm(batch, skip_errors=True)
    assert batch.status == "previewed" and batch.counts["error"] == 1
    assert "changed" in batch.error_message
    assert not Member.objects.filter(id_number=a).exists()


def test_history_entries_are_written_for_every_imported_row(world, ids, check, confirm):
    numbers = ids(5)
    confirm(check([["姓名", "身份证号"], *[[f"党员{i}", n] for i, n in enumerate(numbers)]]))
    assert HistoryEntry.objects.filter(source="import", action="create").count() == 5
    assert set(ROSTER_HEADER)  # the shared header stays importable (used by view tests)


def test_messages_are_in_chinese_and_name_the_field_and_value(world, ids, check, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    [a] = ids(1)
    batch = check([["姓名", "身份证号", "入党时间", "流动党员"], ["张三", a, "2099-01-01", "也许"]])
    messages = batch.report[0]["messages"]
    assert "入党日期“2099-01-01”晚于今天。" in messages
    assert "流动党员“也许”不是“是/否”，请填是或否（也可填√，或留空）。" in messages
