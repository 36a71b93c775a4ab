"""Committee staff import a roster from their own Excel file: check, cancel, fix, re-upload, confirm."""

import re
from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from imports.models import ImportBatch
from members.models import Education, Gender, Member
from tests.browser.conftest import follow_nav
from tests.factories import make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    # name, gender, birth, education, joined, work unit, phone
    ("黄志刚", "男", date(1978, 3, 12), "本科", "2005.07", "第一中学数学教师", "13907710001"),
    ("林晓燕", "女", date(1986, 11, 2), "硕士研究生", "2012年6月1日", "第一中学教务处副主任", "13907710002"),
    ("马国栋", "男", date(1992, 8, 25), "大专", "2018-06-30", "第一中学后勤干事", "13907710003"),
]


def _ids():
    return [make_id_number(birth, region="532301", female=gender == "女") for _n, gender, birth, *_ in PEOPLE]


def _wrong_check_digit(number: str) -> str:
    right = number[-1]
    wrong = "0" if right != "0" else "1"
    return number[:-1] + wrong


def _roster_xlsx(path, ids):
    """A roster as branches keep them: a title row above the header, their own header words."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["第一中学党支部党员花名册（2025年）"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "姓名", "性别", "身份证号", "文化程度", "入党时间", "工作单位及职务", "手机"])
    for number, (person, id_number) in enumerate(zip(PEOPLE, ids, strict=True), 1):
        name, gender, _birth, education, joined, unit, phone = person
        ws.append([number, name, gender, id_number, education, joined, unit, phone])
    wb.save(path)
    return path


def _upload(page, live_server, path):
    page.goto(f"{live_server.url}/imports/")
    expect(page.locator("#id_kind_0")).to_be_checked()  # 党员花名册 is the default
    page.fill("#org-search", "第一中学")
    choice = page.locator("#org-choices label", has_text="第一中学党支部")
    expect(choice).to_be_visible()
    choice.click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))


def test_staff_import_roster_with_a_wrong_check_digit_then_fixed(
    world, page, live_server, browser_login, shot, tmp_path
):
    ids = _ids()
    bad_ids = [ids[0], _wrong_check_digit(ids[1]), ids[2]]
    browser_login("staff_jy")

    # 1. The file with a wrong check digit: the check shows the row and why, in Chinese.
    _upload(page, live_server, _roster_xlsx(tmp_path / "第一中学花名册.xlsx", bad_ids))
    main = page.locator("main")
    expect(main).to_contain_text("第一中学花名册.xlsx")
    expect(main).to_contain_text("导入到 第一中学党支部")
    expect(main).to_contain_text("表头在第 2 行")
    expect(main).to_contain_text(re.compile(r"未导入的列：\s*序号"))
    error_row = page.locator("tr.xf-row-error")
    expect(error_row).to_have_count(1)
    expect(error_row).to_contain_text("林晓燕")
    expect(error_row.locator(".xf-row-number")).to_have_text("4")  # the row number in the file
    expect(error_row).to_contain_text(f"公民身份号码“{bad_ids[1]}”身份证号码校验位不正确（最后一位应为{ids[1][-1]}）")
    expect(page.locator("tr.xf-row-new")).to_have_count(2)
    expect(page.get_by_text("跳过 1 行有错误的数据")).to_be_visible()
    shot("import-1-preview-with-error")

    # 2. Cancel (after the browser's confirmation): nothing was written.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="取消").click()
    page.wait_for_url(f"{live_server.url}/imports/")
    expect(page.locator(".alert")).to_contain_text("已取消“第一中学花名册.xlsx”的导入，未写入任何数据。")
    assert ImportBatch.objects.get().status == ImportBatch.Status.CANCELLED
    assert not Member.objects.filter(id_number__in=ids).exists()
    shot("import-2-cancelled")

    # 3. The corrected file: a clean check, then the import.
    _upload(page, live_server, _roster_xlsx(tmp_path / "第一中学花名册（修正）.xlsx", ids))
    expect(page.locator("tr.xf-row-new")).to_have_count(3)
    expect(page.locator("tr.xf-row-error")).to_have_count(0)
    expect(page.locator("#skip-errors")).to_have_count(0)
    shot("import-3-preview-clean")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".alert-success")).to_contain_text("导入完成：新增 3，更新 0，无变化 0。")
    expect(page.locator("main .badge.fs-6")).to_have_text("导入完成")
    shot("import-4-done")
    done = ImportBatch.objects.get(status=ImportBatch.Status.DONE)
    assert (done.target_org, done.uploaded_by) == (world.branch_a, world.users.staff_jy)

    # 4. The people are on the roster of the branch.
    follow_nav(page, "党员")
    page.wait_for_url(f"{live_server.url}/members/")
    page.fill("input[name=org_q]", "第一中学")
    page.locator("#org-results a", has_text="第一中学党支部").click()
    page.wait_for_url(re.compile(rf"/members/\?(.*&)?org={world.branch_a.pk}$"))
    expect(page.locator(".xf-chosen-org")).to_contain_text("第一中学党支部")
    rows = page.locator("#roster-rows tbody tr")
    for name, *_ in PEOPLE:
        expect(rows.filter(has_text=name)).to_have_count(1)
    expect(rows).to_have_count(3 + len(world.members_a))
    expect(page.locator("#roster-rows")).to_contain_text("139****0002")  # the roster shows phones masked
    shot("import-5-roster")

    members = {m.name: m for m in Member.objects.filter(id_number__in=ids)}
    assert sorted(members) == sorted(p[0] for p in PEOPLE)
    lin = members["林晓燕"]
    assert lin.org == world.branch_a
    assert lin.id_number == ids[1]
    assert lin.gender == Gender.FEMALE
    assert lin.birth_date == date(1986, 11, 2)
    assert lin.education == Education.POSTGRADUATE
    assert lin.joined_on == date(2012, 6, 1)
    assert lin.work_unit == "第一中学教务处副主任"
    assert lin.phone == "13907710002"
    assert members["黄志刚"].joined_on == date(2005, 7, 1)
