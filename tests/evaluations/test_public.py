"""The public side: a slip's QR address or the typed code opens the questionnaire and nothing else;
used, expired and unknown codes get a clear page; the open link is rate limited and once per browser."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Code, Rating, Response

from .conftest import issue_codes, make_round

pytestmark = pytest.mark.django_db


def answers(round_, rating=Rating.SATISFIED, **extra):
    data = {f"q{q.pk}": rating for q in round_.questions.filter(kind="rating")}
    data.update(extra)
    return data


def test_a_slip_address_shows_the_questionnaire_and_nothing_of_the_portal(client, world, round_):
    (code,) = issue_codes(round_, org=world.branch_a)
    page = client.get(reverse("evaluations:answer_code", args=[code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "领导班子好" in text and "群众反映好" in text
    assert "第一中学党支部" in text  # the org the slip was printed for
    assert "第二中学党支部" not in text  # no other org, no menu, no login
    assert "navbar-nav" not in text and "退出" not in text
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]


def test_answering_with_a_code_then_trying_again(client, world, round_):
    (code,) = issue_codes(round_)
    url = reverse("evaluations:answer_code", args=[code])
    sent = client.post(url, answers(round_, target_org=world.branch_b.pk, comment="支部联系群众还不够"))
    assert sent.status_code == 302 and sent["Location"] == reverse("evaluations:answer_thanks")
    assert "感谢" in client.get(sent["Location"]).content.decode()
    response = Response.objects.get()
    assert (response.target_org, response.comment) == (world.branch_b, "支部联系群众还不够")
    again = client.get(url)
    assert again.status_code == 410
    assert "已经使用过" in again.content.decode()


def test_a_missing_rating_shows_the_form_again_with_the_answers_kept(client, world, round_):
    (code,) = issue_codes(round_)
    data = answers(round_, target_org=world.branch_a.pk)
    first = round_.questions.filter(kind="rating").first()
    del data[f"q{first.pk}"]
    page = client.post(reverse("evaluations:answer_code", args=[code]), data)
    assert page.status_code == 200
    assert "请选择一项" in page.content.decode()
    assert not Response.objects.exists()
    assert Code.objects.get().used is False


def test_expired_and_unknown_codes_get_their_own_message(client, world):
    now = timezone.now()
    past = make_round(world, opens=now - timedelta(days=9), closes=now - timedelta(days=2))
    (code,) = issue_codes(past)
    page = client.get(reverse("evaluations:answer_code", args=[code]))
    assert page.status_code == 410 and "已结束" in page.content.decode()
    page = client.get(reverse("evaluations:answer_code", args=["ABCDEFGH"]))
    assert page.status_code == 404 and "没有找到评议码" in page.content.decode()


def test_typing_a_code(client, world, round_):
    (code,) = issue_codes(round_)
    page = client.post(reverse("evaluations:answer_start"), {"code": f"{code[:4]} {code[4:]}".lower()})
    assert page.status_code == 302
    assert page["Location"] == reverse("evaluations:answer_code", args=[code])
    page = client.post(reverse("evaluations:answer_start"), {"code": "ZZZZ-ZZZZ"})
    assert page.status_code == 200 and "没有找到评议码" in page.content.decode()


def test_guessing_codes_is_stopped(client, settings, round_):
    settings.EVALUATION_CODE_MISS_LIMIT = 3
    for guess in ("AAAAAAAA", "BBBBBBBB", "CCCCCCCC"):
        assert client.get(reverse("evaluations:answer_code", args=[guess])).status_code == 404
    page = client.get(reverse("evaluations:answer_code", args=["DDDDDDDD"]))
    assert page.status_code == 429
    assert "尝试次数过多" in page.content.decode()
    # Another address is not affected.
    other = client.get(reverse("evaluations:answer_code", args=["EEEEEEEE"]), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


def test_open_link_once_per_browser(client, world, round_):
    url = reverse("evaluations:answer_open", args=[round_.open_token])
    assert client.get(url).status_code == 200
    sent = client.post(url, answers(round_, Rating.BASIC, target_org=world.branch_a.pk))
    assert sent.status_code == 302
    page = client.get(url)
    assert "已提交过" in page.content.decode()
    assert client.post(url, answers(round_, target_org=world.branch_a.pk)).status_code == 200
    assert Response.objects.count() == 1


def test_open_link_is_rate_limited_per_address(client, settings, world, round_):
    settings.EVALUATION_OPEN_LINK_LIMIT = 2
    url = reverse("evaluations:answer_open", args=[round_.open_token])
    for _ in range(2):
        client.cookies.clear()  # a new browser each time, same address
        assert client.post(url, answers(round_, target_org=world.branch_a.pk)).status_code == 302
    client.cookies.clear()
    page = client.post(url, answers(round_, target_org=world.branch_a.pk))
    assert page.status_code == 429 and "尝试次数过多" in page.content.decode()
    assert Response.objects.count() == 2


def test_no_open_link_when_the_round_does_not_want_one(client, world):
    round_ = make_round(world, allow_open_link=False)
    assert client.get(reverse("evaluations:answer_open", args=[round_.open_token])).status_code == 404


def test_a_single_org_round_needs_no_choice(client, world):
    round_ = make_round(world, targets=[world.branch_a])
    url = reverse("evaluations:answer_open", args=[round_.open_token])
    assert 'name="target_org"' not in client.get(url).content.decode()
    assert client.post(url, answers(round_)).status_code == 302
    assert Response.objects.get().target_org == world.branch_a
