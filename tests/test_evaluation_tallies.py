"""The evaluation tallies equal what grouping the answers gives: after answers (with a code, through the
open link, a code used twice), after a rebuild, after every delete path; the report figures read from
them equal the figures from the answers."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from evaluations import tallies
from evaluations.models import AnswerTally, Rating, Round, TargetTally
from evaluations.services import response_submit_open, response_submit_with_code
from evaluations.stats import Tally
from reports.figures.evaluations import evaluation_figures
from tests.evaluations.conftest import all_ratings, issue_codes, make_round
from tests.factories import make_org

pytestmark = pytest.mark.django_db

RATINGS = list(Rating.values)


def answer(round_, org, ratings=None, comment=""):
    """One sheet; ``ratings`` is a rating for all items, or a list giving one per item in order."""
    questions = list(round_.questions.filter(kind="rating").order_by("position", "id"))
    if ratings is None or isinstance(ratings, str):
        given = {q.pk: ratings or Rating.SATISFIED for q in questions}
    else:
        given = {q.pk: r for q, r in zip(questions, ratings, strict=True)}
    return response_submit_open(round=round_, target_org=org, ratings=given, comment=comment)


def mixed_answers(world, round_):
    answer(round_, world.branch_a, Rating.SATISFIED, comment="好")
    answer(round_, world.branch_a, [Rating.BASIC, Rating.DISSATISFIED, Rating.UNKNOWN, Rating.SATISFIED, Rating.BASIC])
    answer(round_, world.branch_a, Rating.DISSATISFIED)
    answer(round_, world.branch_b, Rating.UNKNOWN, comment="不了解")
    answer(
        round_, world.branch_b, [Rating.SATISFIED, Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED, Rating.UNKNOWN]
    )


def test_tallies_follow_every_answer(world):
    round_ = make_round(world)
    assert tallies.differences(round_) == []
    mixed_answers(world, round_)
    assert tallies.differences(round_) == []
    a = TargetTally.objects.get(round=round_, target=world.branch_a)
    assert (a.responses, a.comments) == (3, 1)
    assert (a.satisfied, a.basic, a.dissatisfied, a.unknown) == (6, 2, 6, 1)
    first = round_.questions.filter(kind="rating").order_by("position", "id").first()
    cell = AnswerTally.objects.get(round=round_, target=world.branch_a, question=first)
    assert (cell.satisfied, cell.basic, cell.dissatisfied, cell.unknown) == (1, 1, 1, 0)


def test_a_code_used_twice_counts_once(world):
    round_ = make_round(world, allow_open_link=False)
    [code] = issue_codes(round_, 1, org=world.branch_a)
    response_submit_with_code(code_text=code, target_org=None, ratings=all_ratings(round_))
    with pytest.raises(ValidationError):
        response_submit_with_code(code_text=code, target_org=None, ratings=all_ratings(round_, Rating.DISSATISFIED))
    tally = TargetTally.objects.get(round=round_, target=world.branch_a)
    assert (tally.responses, tally.satisfied, tally.dissatisfied) == (1, 5, 0)
    assert tallies.differences(round_) == []


def test_a_refused_answer_counts_nothing(world):
    round_ = make_round(world)
    answer(round_, world.branch_a)
    with pytest.raises(ValidationError):  # an item left out: the whole sheet is refused
        response_submit_open(round=round_, target_org=world.branch_a, ratings={})
    assert TargetTally.objects.get(round=round_, target=world.branch_a).responses == 1
    assert tallies.differences(round_) == []


def test_rebuild_restores_tallies_gone_wrong(world):
    round_ = make_round(world)
    other = make_round(world, title="另一轮")
    mixed_answers(world, round_)
    answer(other, world.branch_b, Rating.BASIC)
    TargetTally.objects.update(responses=F("responses") + 7, satisfied=0)
    AnswerTally.objects.filter(round=round_).first().delete()
    assert tallies.differences(round_) and tallies.differences(other)
    tallies.rebuild(round_)
    assert tallies.differences(round_) == []
    assert tallies.differences(other)  # only the round asked for
    call_command("rebuild_evaluation_tallies")
    assert tallies.differences(other) == []
    call_command("rebuild_evaluation_tallies", "--check")


def test_the_check_command_fails_on_a_difference(world):
    round_ = make_round(world)
    answer(round_, world.branch_a)
    TargetTally.objects.update(comments=3)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_evaluation_tallies", "--check", "--round", str(round_.pk))


def test_deleting_a_round_takes_its_tallies(world):
    round_ = make_round(world)
    kept = make_round(world, title="另一轮")
    mixed_answers(world, round_)
    answer(kept, world.branch_a)
    round_.delete()
    assert not TargetTally.objects.filter(round_id=round_.pk).exists()
    assert not AnswerTally.objects.filter(round_id=round_.pk).exists()
    assert tallies.differences(kept) == []


def test_deleting_an_answered_question_in_the_admin_keeps_the_org_totals_exact(world):
    round_ = make_round(world)
    mixed_answers(world, round_)
    round_.questions.filter(kind="rating").order_by("position", "id")[1].delete()
    assert tallies.differences(round_) == []


def test_the_demo_reset_leaves_no_tallies(world):
    round_ = make_round(world)
    mixed_answers(world, round_)
    Round.objects.all().delete()
    assert not TargetTally.objects.exists() and not AnswerTally.objects.exists()


def _figures_from_answers(org, start, end):
    """The report figures as they were computed before the tallies: every answer grouped."""
    from django.db.models import Count, Q

    from evaluations.models import Answer, Response

    rounds = Round.objects.filter(targets__path__startswith=org.path).distinct().order_by("opens_at", "id")
    overall, responses, per_org = Tally(), 0, []
    for round_ in rounds:
        grouped = {
            row["response__target_org"]: Tally(*(row[c] for c in RATINGS))
            for row in Answer.objects.filter(response__round=round_)
            .values("response__target_org")
            .annotate(**{c: Count("pk", filter=Q(rating=c)) for c in RATINGS})
        }
        for target in sorted(round_.targets.all(), key=lambda o: o.path):
            if not target.path.startswith(org.path):
                continue
            tally = grouped.get(target.pk, Tally())
            overall.add(tally)
            responses += Response.objects.filter(round=round_, target_org=target).count()
            per_org.append((target.pk, tally.counts(), tally.rate))
    return rounds.count(), responses, overall, per_org


def test_report_figures_from_tallies_equal_the_answers(world):
    first = make_round(world)
    second = make_round(world, owner=world.zz, targets=[world.branch_a, world.hospital], by=world.users.staff_zz)
    mixed_answers(world, first)
    answer(second, world.branch_a, Rating.BASIC)
    answer(second, world.hospital, Rating.DISSATISFIED)
    today = timezone.localdate()
    for org in (world.zz, world.jy, world.branch_a, world.wj):
        figures = evaluation_figures(org, None, today - timedelta(days=30), today + timedelta(days=30))
        rounds, responses, overall, per_org = _figures_from_answers(org, None, None)
        assert figures.rounds == rounds
        assert figures.responses == responses
        assert figures.overall == overall and figures.overall.rate == overall.rate
        assert [(r.id, r.tally.counts(), r.tally.rate) for r in figures.orgs] == per_org
        low = sorted((row for row in per_org if row[2] is not None and row[2] < 0.8), key=lambda row: row[2])
        assert [(r.id, r.tally.counts(), r.tally.rate) for r in figures.low] == low
    jy = evaluation_figures(world.jy, None, today - timedelta(days=30), today + timedelta(days=30))
    assert [r.label for r in jy.low] == ["第一中学党支部", "第二中学党支部"]  # 8 of 14 judged: 57%; 3 of 4


# --- the results page ---------------------------------------------------------------------------


def _results_from_answers(round_):
    """The results page's numbers as computed before the tallies: every answer grouped (the old stats.py)."""
    from django.db.models import Count, Q

    from evaluations.models import Answer, Response

    questions = [q for q in round_.questions.all() if q.kind == "rating"]
    grouped = (
        Answer.objects.filter(response__round=round_)
        .values("response__target_org", "question")
        .order_by()
        .annotate(**{c: Count("pk", filter=Q(rating=c)) for c in RATINGS})
    )
    per_org = dict(
        Response.objects.filter(round=round_)
        .values("target_org")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("target_org", "n")
    )
    q_rows = {q.pk: (q.text, Tally()) for q in questions}
    orgs = {o.pk: (o.short_name or o.name, per_org.get(o.pk, 0), Tally(), {}) for o in round_.targets.all()}
    overall = Tally()
    for item in grouped:
        tally = Tally(*(item[c] for c in RATINGS))
        q_rows[item["question"]][1].add(tally)
        org = orgs[item["response__target_org"]]
        org[2].add(tally)
        org[3][item["question"]] = tally
        overall.add(tally)
    comments = Response.objects.filter(round=round_).exclude(comment="").count()
    return {
        "responses": sum(per_org.values()),
        "comments": comments,
        "overall": overall.counts(),
        "questions": [(text, t.counts(), t.rate) for text, t in q_rows.values()],
        "orgs": sorted(
            (label, n, t.counts(), t.rate, [cells.get(q.pk, Tally()).counts() for q in questions])
            for label, n, t, cells in orgs.values()
        ),
        "low": sorted(label for label, _n, t, _c in orgs.values() if t.rate is not None and t.rate < 0.8),
    }


def _results_shown(results):
    return {
        "responses": results.responses,
        "comments": results.comments,
        "overall": results.overall.counts(),
        "questions": [(q.label, q.tally.counts(), q.tally.rate) for q in results.questions],
        "orgs": sorted(
            (r.label, r.responses, r.tally.counts(), r.tally.rate, [c.counts() for c in r.cell_list])
            for r in results.orgs
        ),
        "low": sorted(r.label for r in results.low),
    }


def test_the_results_page_shows_what_the_answers_say(login, world):
    round_ = make_round(world)
    mixed_answers(world, round_)
    answer(round_, world.branch_b, Rating.SATISFIED, comment="很好")
    page = login(world.users.staff_jy).get(reverse("evaluations:results", args=[round_.pk]))
    results = page.context["results"]
    assert _results_shown(results) == _results_from_answers(round_)
    assert results.low_count == 1 and results.targets == 2
    text = page.content.decode()
    assert "57.1%" in text  # 第一中学党支部: (6 + 2) ÷ (6 + 2 + 6)


def _many_branches(world, n, start=0):
    return [make_org(f"测试第{i:02d}支部", parent=world.jy, code=f"ZZ-JY-T{i:02d}") for i in range(start, start + n)]


def _page_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?sort=rate", "?low=1&sort=-rate", "?q=支部&sort=responses"])
def test_results_queries_do_not_grow_with_the_orgs(login, world, django_assert_num_queries, query):
    few = make_round(world, targets=_many_branches(world, 3), title="三个")
    many = make_round(world, targets=_many_branches(world, 30, start=3), title="三十个")
    for round_ in (few, many):
        for i, org in enumerate(round_.targets.all()):
            answer(round_, org, Rating.DISSATISFIED if i % 3 == 0 else Rating.SATISFIED, comment=f"意见{i}")
    client = login(world.users.staff_jy)
    client.get(reverse("evaluations:results", args=[few.pk]) + query)
    three = _page_queries(client, reverse("evaluations:results", args=[few.pk]) + query)
    with django_assert_num_queries(three):
        page = client.get(reverse("evaluations:results", args=[many.pk]) + query)
    assert len(page.context["results"].orgs) == (10 if "low" in query else 30)


def test_results_page_fifty_orgs_a_page_with_search_sort_and_the_low_filter(login, world):
    branches = _many_branches(world, 55)
    round_ = make_round(world, targets=branches)
    answer(round_, branches[40], Rating.DISSATISFIED)
    answer(round_, branches[7], [Rating.SATISFIED] * 4 + [Rating.DISSATISFIED])  # one item low: 0%
    answer(round_, branches[3], Rating.SATISFIED)
    client = login(world.users.staff_jy)
    url = reverse("evaluations:results", args=[round_.pk])
    results = client.get(url).context["results"]
    assert len(results.orgs) == 50 and results.page.paginator.num_pages == 2 and results.targets == 55
    assert [r.label for r in client.get(url + "?opage=2").context["results"].orgs][0] == "测试第50支部"
    worst = client.get(url + "?sort=rate").context["results"].orgs
    assert [r.label for r in worst[:3]] == ["测试第40支部", "测试第07支部", "测试第03支部"]
    assert worst[-1].tally.rate is None  # nobody answered: last
    best = client.get(url + "?sort=-rate").context["results"].orgs
    assert best[0].label == "测试第03支部"
    low = client.get(url + "?low=1").context["results"].orgs
    assert [r.label for r in low] == ["测试第07支部", "测试第40支部"]  # overall or an item below 80%
    assert [r.label for r in client.get(url + "?q=第07").context["results"].orgs] == ["测试第07支部"]


# --- listing a low result for rectification -------------------------------------------------------


def test_a_low_result_is_listed_for_rectification_once(login, world):
    from audit.models import HistoryEntry
    from evaluations.models import RectificationLink
    from reviews.models import RectificationItem, Source

    round_ = make_round(world)
    mixed_answers(world, round_)
    answer(round_, world.branch_b, Rating.SATISFIED)
    client = login(world.users.staff_jy)
    results_url = reverse("evaluations:results", args=[round_.pk])
    text = client.get(results_url).content.decode()
    url = reverse("evaluations:result_rectify", args=[round_.pk, world.branch_a.pk])
    assert url in text and "列入整改台账" in text
    form = client.get(url)
    assert form.status_code == 200
    problem = form.context["form"].initial["problem"]
    assert "第一中学党支部" in problem and "57.1%" in problem and round_.title in problem
    assert "低于 80% 的项目：领导班子好 66.7%、党员队伍好 33.3%" in problem  # items below, with their rates

    response = client.post(url, {"problem": problem, "deadline": "2099-01-31"})
    item = RectificationItem.objects.get()
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    assert (item.org, item.source, item.problem, str(item.deadline)) == (
        world.branch_a,
        Source.EVALUATION,
        problem,
        "2099-01-31",
    )
    assert RectificationLink.objects.get().item == item
    assert HistoryEntry.objects.filter(object_id=str(item.pk), action=HistoryEntry.Action.CREATE).exists()

    again = client.post(url, {"problem": "再点一次", "deadline": "2099-01-31"})
    assert again.status_code == 302 and again.url == item.get_absolute_url()
    assert RectificationItem.objects.count() == 1
    assert client.get(url).url == item.get_absolute_url()
    text = client.get(results_url).content.decode()
    assert reverse("reviews:item_detail", args=[item.pk]) in text and "已列入整改台账" in text


def test_a_result_not_below_the_threshold_is_not_listed(login, world):
    from reviews.models import RectificationItem

    round_ = make_round(world)
    answer(round_, world.branch_b, Rating.SATISFIED)
    client = login(world.users.staff_jy)
    url = reverse("evaluations:result_rectify", args=[round_.pk, world.branch_b.pk])
    assert client.post(url, {"problem": "x", "deadline": "2099-01-31"}).status_code == 302
    assert not RectificationItem.objects.exists()
    assert url not in client.get(reverse("evaluations:results", args=[round_.pk])).content.decode()


def test_a_sibling_branchs_secretary_cannot_list_it(login, world):
    from reviews.models import RectificationItem

    round_ = make_round(world)
    mixed_answers(world, round_)
    url = reverse("evaluations:result_rectify", args=[round_.pk, world.branch_a.pk])
    for user in (world.users.secretary_b, world.users.secretary_a, world.users.staff_zjl):
        client = login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"problem": "x", "deadline": "2099-01-31"}).status_code == 404
    # An org the round does not evaluate is "not found" too, even to its manager.
    other = reverse("evaluations:result_rectify", args=[round_.pk, world.hospital.pk])
    assert login(world.users.staff_zz).get(other).status_code == 404
    assert not RectificationItem.objects.exists()


def test_the_service_refuses_a_user_who_does_not_manage_the_org(world):
    from django.core.exceptions import PermissionDenied

    from evaluations.services import rectify_result

    round_ = make_round(world)
    mixed_answers(world, round_)
    with pytest.raises(PermissionDenied):
        rectify_result(round=round_, org=world.branch_a, by=world.users.secretary_b)
    item, created = rectify_result(round=round_, org=world.branch_a, by=world.users.secretary_a)
    assert created and item.org == world.branch_a
    assert rectify_result(round=round_, org=world.branch_a, by=world.users.staff_jy) == (item, False)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_answers_about_one_org_all_count(world):
    """Twenty sheets at the same moment, through the open link: each adds to the same tally rows in the
    database (no read-modify-write), so none is lost."""
    import threading

    from django.db import close_old_connections, connection

    round_ = make_round(world)
    n = 20
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i):
        try:
            barrier.wait()
            answer(round_, world.branch_a, RATINGS[i % 4], comment="意见" if i % 2 else "")
            result = "ok"
        except Exception as error:  # noqa: BLE001 - reported below
            result = repr(error)
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * n
    tally = TargetTally.objects.get(round=round_, target=world.branch_a)
    assert (tally.responses, tally.comments, tally.satisfied, tally.unknown) == (n, n // 2, 25, 25)
    assert tallies.differences(round_) == []


# --- the seeds write answers past the service: their tallies come from rebuild -----------------------


def test_seed_demo_tallies_equal_the_answers(db):
    from io import StringIO

    from django.test import override_settings

    with override_settings(DEMO_DATABASE=True):
        call_command("seed_demo", stdout=StringIO())
    rounds = list(Round.objects.all())
    assert rounds and TargetTally.objects.exists()
    for round_ in rounds:
        assert tallies.differences(round_) == []


def test_seed_scale_tallies_equal_the_answers(db):
    from io import StringIO

    from django.test import override_settings

    with override_settings(DEMO_DATABASE=True):
        call_command("seed_scale", "--small", stdout=StringIO())
    [round_] = Round.objects.all()
    assert TargetTally.objects.filter(round=round_).count() > 1
    assert tallies.differences(round_) == []


def test_the_admin_keeps_a_rounds_orgs_once_answered(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root_b", password="x-Passw0rd!")
    client.force_login(admin)
    round_ = make_round(world)
    url = reverse("admin:evaluations_round_change", args=[round_.pk])
    assert 'name="targets"' in client.get(url).content.decode()
    answer(round_, world.branch_a)
    assert 'name="targets"' not in client.get(url).content.decode()  # shown, not editable
