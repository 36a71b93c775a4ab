"""Staff pages: create a round (五个好 by default, or over published pledge boards), watch results,
hide an abusive comment with history kept, export XLSX; query counts do not grow with rows."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import HistoryEntry
from campaigns.models import Campaign
from evaluations.models import Rating, Response, Round
from evaluations.services import response_submit_open

from .conftest import all_ratings, make_round

pytestmark = pytest.mark.django_db


def answer(round_, org, rating=Rating.SATISFIED, comment=""):
    return response_submit_open(round=round_, target_org=org, ratings=all_ratings(round_, rating), comment=comment)


def _when(delta_days):
    return (timezone.localtime() + timedelta(days=delta_days)).strftime("%Y-%m-%dT%H:%M")


def test_staff_create_a_round_with_the_five_goods(login, world):
    client = login(world.users.staff_jy)
    page = client.post(
        reverse("evaluations:round_create"),
        {
            "owner": world.jy.pk,
            "title": "2026年第一季度群众评议",
            "source": "orgs",
            "targets": [world.branch_a.pk, world.branch_b.pk],
            "opens_at": _when(0),
            "closes_at": _when(14),
            "allow_open_link": "on",
        },
    )
    round_ = Round.objects.get()
    assert page.status_code == 302 and page["Location"] == round_.get_absolute_url()
    assert [q.text for q in round_.questions.all()] == [
        "领导班子好",
        "党员队伍好",
        "工作机制好",
        "工作业绩好",
        "群众反映好",
        "您的意见和建议",
    ]
    detail = client.get(round_.get_absolute_url()).content.decode()
    assert round_.open_token in detail
    assert HistoryEntry.objects.filter(object_id=str(round_.pk), action="create").exists()


def test_a_round_over_published_pledge_boards(login, world):
    from pledges.models import BoardLink

    campaign = Campaign.objects.create(
        org=world.jy, name="创先争优活动", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    BoardLink.objects.create(org=world.branch_b, campaign=campaign)
    client = login(world.users.staff_jy)
    page = client.post(
        reverse("evaluations:round_create"),
        {
            "owner": world.jy.pk,
            "title": "评诺",
            "campaign": campaign.pk,
            "source": "boards",
            "opens_at": _when(0),
            "closes_at": _when(7),
        },
    )
    assert page.status_code == 302
    assert list(Round.objects.get().targets.all()) == [world.branch_b]


def test_targets_outside_the_owner_are_refused(login, world):
    client = login(world.users.staff_zz)
    page = client.post(
        reverse("evaluations:round_create"),
        {
            "owner": world.jy.pk,
            "title": "越级评议",
            "source": "orgs",
            "targets": [world.hospital.pk],
            "opens_at": _when(0),
            "closes_at": _when(7),
        },
    )
    assert page.status_code == 200
    assert "不在 州教育局党委 之下" in page.content.decode()
    assert not Round.objects.exists()


def test_results_count_and_rate_per_item_and_org(login, world, round_):
    for _ in range(3):
        answer(round_, world.branch_a, Rating.SATISFIED)
    answer(round_, world.branch_a, Rating.DISSATISFIED)
    answer(round_, world.branch_b, Rating.UNKNOWN)
    client = login(world.users.staff_jy)
    page = client.get(reverse("evaluations:results", args=[round_.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    ctx = page.context
    assert ctx["results"].responses == 5
    rows = {r.label: r for r in ctx["results"].orgs}
    assert rows["第一中学党支部"].tally.rate == 0.75
    assert rows["第二中学党支部"].tally.rate is None  # only 不了解: nothing to divide by
    assert "75.0%" in text and "—" in text
    assert 'hx-trigger="every 5s"' in text  # live while open
    assert [r.label for r in ctx["results"].low] == ["第一中学党支部"]
    live = client.get(reverse("evaluations:results", args=[round_.pk]), headers={"HX-Request": "true"})
    assert live.content.decode().lstrip().startswith('<div id="xf-eval-live"')


def test_hiding_an_abusive_comment_keeps_it_in_history_and_out_of_the_export(login, world, round_):
    rude = answer(round_, world.branch_a, comment='=HYPERLINK("http://x") 骂人的话')
    answer(round_, world.branch_a, comment="希望多组织志愿服务")
    client = login(world.users.staff_jy)
    url = reverse("evaluations:comment_hide", args=[round_.pk, rude.pk])
    assert client.post(url, {"hidden": "1"}).status_code == 302
    rude.refresh_from_db()
    assert rude.comment_hidden and rude.hidden_by == world.users.staff_jy
    entry = HistoryEntry.objects.get(object_id=str(rude.pk))
    assert entry.actor == world.users.staff_jy and "comment_hidden" in entry.changes

    book = load_workbook(io.BytesIO(client.get(reverse("evaluations:results_export", args=[round_.pk])).content))
    comments = [row[2] for row in book["意见建议"].iter_rows(min_row=2, values_only=True)]
    assert comments == ["希望多组织志愿服务"]
    sheets = list(book["答卷明细"].iter_rows(min_row=2, values_only=True))
    assert len(sheets) == 2 and sheets[0][2] == "满意"

    client.post(url, {"hidden": "0"})
    book = load_workbook(io.BytesIO(client.get(reverse("evaluations:results_export", args=[round_.pk])).content))
    comments = [row[2] for row in book["意见建议"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x") 骂人的话' in comments  # formula neutralized


def test_a_secretary_does_not_see_a_committee_round(login, world, round_):
    client = login(world.users.secretary_a)
    assert client.get(round_.get_absolute_url()).status_code == 404
    assert round_.title not in client.get(reverse("evaluations:round_list")).content.decode()


def test_questions_locked_after_an_answer_on_the_page(login, world, round_):
    client = login(world.users.staff_jy)
    assert "bi-trash" in client.get(round_.get_absolute_url()).content.decode()
    answer(round_, world.branch_a)
    text = client.get(round_.get_absolute_url()).content.decode()
    assert "bi-trash" not in text and "问卷已固定" in text
    question = round_.questions.first()
    page = client.post(reverse("evaluations:question_remove", args=[round_.pk, question.pk]), follow=True)
    assert "已有人作答" in page.content.decode()
    assert round_.questions.count() == 6


def test_close_now(login, world, round_):
    client = login(world.users.staff_jy)
    client.post(reverse("evaluations:round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.state() == "closed"


def test_round_list_queries_do_not_grow(login, world, django_assert_num_queries):
    make_round(world)
    client = login(world.users.staff_jy)
    url = reverse("evaluations:round_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(49):
        make_round(world, title=f"评议{i}")
    with django_assert_num_queries(len(one)):
        page = client.get(url)
    assert len(page.context["page_obj"]) == 25


def test_results_queries_do_not_grow_with_responses(login, world, round_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answer(round_, world.branch_a, comment="一")
    client = login(world.users.staff_jy)
    url = reverse("evaluations:results", args=[round_.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(49):
        answer(round_, world.branch_b if i % 2 else world.branch_a, Rating.BASIC, comment=f"意见{i}")
    with CaptureQueriesContext(connection) as fifty:
        page = client.get(url)
    assert page.context["results"].responses == 50
    assert len(fifty) == len(one)
    assert Response.objects.count() == 50
