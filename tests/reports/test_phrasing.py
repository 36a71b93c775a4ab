from datetime import date

from reports import phrasing as P


def test_signature_dates_are_written_in_chinese_numerals():
    assert P.chinese_date(date(2010, 11, 11)) == "二〇一〇年十一月十一日"
    assert P.chinese_date(date(2026, 1, 30)) == "二〇二六年一月三十日"
    assert P.chinese_date(date(2009, 10, 1)) == "二〇〇九年十月一日"
    assert P.chinese_date(date(2011, 12, 21)) == "二〇一一年十二月二十一日"


def test_rates_print_like_the_documents_and_never_divide_by_zero():
    assert P.rate(0.95) == "95%"
    assert P.rate(0.875) == "87.5%"
    assert P.rate(2 / 3) == "66.7%"
    assert P.rate(None) == "—"


def test_points_are_counted_in_chinese():
    text = P.enumerate_points(["发展不平衡。", "认识上还有待提高"])
    assert text == "一是发展不平衡；二是认识上还有待提高。"
    assert P.enumerate_points(["甲", "乙"], marker="要") == "一要甲；二要乙。"
    assert P.heading(4, "下阶段工作安排") == "四、下阶段工作安排"
    assert P.listing(["甲", "乙", "丙"], limit=2) == "甲、乙等"


def test_names_with_their_own_quotation_marks_are_not_quoted_again():
    assert P.quoted("三制一卡") == "“三制一卡”"
    assert P.quoted("十佳“党旗下的蒲公英”") == "十佳“党旗下的蒲公英”"
