"""Pages: who sees what, the ballot end to end, the honour roll's reach, the export, query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from appraisals import services
from appraisals.models import AppraisalEntry, Ballot, Grade, PeerTally, Title
from tests.factories import MemberFactory, make_org

from .conftest import entries_by_name, pass_steps, started


def test_a_member_hands_in_a_ballot_and_cannot_vote_twice(client, world, at_peer, voters):
    client.force_login(voters[0])
    page = client.get(reverse("appraisals:vote", args=[at_peer.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "刘建国" in text and "赵敏" in text
    assert f'name="grade_{entries_by_name(at_peer)["张党员"].pk}"' not in text  # not themselves
    entries = entries_by_name(at_peer)
    data = {f"grade_{entries['刘建国'].pk}": Grade.EXCELLENT, f"grade_{entries['赵敏'].pk}": Grade.QUALIFIED}
    response = client.post(reverse("appraisals:vote", args=[at_peer.pk]), data)
    assert response.status_code == 302
    assert PeerTally.objects.get(entry=entries["刘建国"], grade=Grade.EXCELLENT).count == 1
    again = client.post(reverse("appraisals:vote", args=[at_peer.pk]), data, follow=True)
    assert "已提交过" in again.content.decode()
    assert PeerTally.objects.get(entry=entries["刘建国"], grade=Grade.EXCELLENT).count == 1
    assert Ballot.objects.count() == 1


def test_an_incomplete_ballot_is_shown_again_and_counts_nothing(client, world, at_peer, voters):
    client.force_login(voters[0])
    entries = entries_by_name(at_peer)
    response = client.post(
        reverse("appraisals:vote", args=[at_peer.pk]), {f"grade_{entries['刘建国'].pk}": "excellent"}
    )
    assert response.status_code == 400
    assert "请为每一名党员选择等次" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_member_sees_their_own_result_and_nobody_elses(client, world, at_peer, voters):
    entries = entries_by_name(at_peer)
    client.force_login(voters[0])
    assert client.get(reverse("appraisals:entry_detail", args=[entries["张党员"].pk])).status_code == 200
    assert client.get(reverse("appraisals:entry_detail", args=[entries["刘建国"].pk])).status_code == 404
    assert client.get(reverse("appraisals:round_detail", args=[at_peer.pk])).status_code == 404
    mine = client.get(reverse("appraisals:mine"))
    assert mine.status_code == 200
    assert reverse("appraisals:vote", args=[at_peer.pk]) in mine.content.decode()
    # A member of branch B cannot open branch A's ballot.
    outsider = world.members_b[0]
    from tests.factories import UserFactory

    outsider.user = UserFactory(username="sunli")
    outsider.save()
    client.force_login(outsider.user)
    assert client.get(reverse("appraisals:vote", args=[at_peer.pk])).status_code == 404


def test_the_secretary_sees_the_sheet_with_tallies_but_never_ballots(client, world, at_peer, voters):
    entries = entries_by_name(at_peer)
    services.peer_grading_submit(
        appraisal_round=at_peer,
        grades={entries["刘建国"].pk: Grade.EXCELLENT, entries["赵敏"].pk: Grade.BASIC},
        by=voters[0],
    )
    client.force_login(world.users.secretary_a)
    page = client.get(reverse("appraisals:round_detail", args=[at_peer.pk])).content.decode()
    assert 'data-testid="voted">1 / 3<' in page
    # The sheet never names who has voted: only the count.
    assert page.count("张党员") == 1
    assert client.get(reverse("appraisals:round_detail", args=[at_peer.pk])).status_code == 200
    client.force_login(world.users.secretary_b)
    assert client.get(reverse("appraisals:round_detail", args=[at_peer.pk])).status_code == 404


def test_the_secretary_decides_from_the_entry_page(client, world, at_peer):
    services.appraisal_move(appraisal_round=at_peer, action="close_peer", by=world.users.secretary_a)
    entry = entries_by_name(at_peer)["赵敏"]
    client.force_login(world.users.secretary_a)
    url = reverse("appraisals:entry_decide", args=[entry.pk])
    bad = client.post(url, {"grade": "excellent", "votes_for": 9, "votes_against": 0, "votes_abstain": 0})
    assert bad.status_code == 400 and "超过了参评党员人数" in bad.content.decode()
    ok = client.post(url, {"grade": "excellent", "votes_for": 3, "votes_against": 0, "votes_abstain": 0})
    assert ok.status_code == 302
    assert AppraisalEntry.objects.get(pk=entry.pk).grade == Grade.EXCELLENT
    client.force_login(world.users.member_a)
    assert client.post(url, {"grade": "unqualified", "votes_for": 3}).status_code == 404


def test_staff_see_the_distribution_of_their_subtree_and_export_it(client, world, at_peer):
    services.appraisal_move(appraisal_round=at_peer, action="close_peer", by=world.users.secretary_a)
    for name, grade in (("张党员", Grade.EXCELLENT), ("刘建国", Grade.QUALIFIED)):
        entry = AppraisalEntry.objects.get(pk=entries_by_name(at_peer)[name].pk)
        services.appraisal_decide(
            entry=entry, grade=grade, votes_for=3, votes_against=0, votes_abstain=0, by=world.users.staff_jy
        )
    client.force_login(world.users.staff_jy)
    page = client.get(reverse("appraisals:distribution"), {"org": world.jy.pk, "year": at_peer.year})
    text = page.content.decode()
    assert "1 个党支部评议党员 3 名，其中优秀 1 名、合格 1 名、基本合格 0 名、不合格 0 名" in text
    assert "1 个党支部本年度尚未开展民主评议" in text  # branch B
    export = client.get(reverse("appraisals:distribution_export"), {"org": world.jy.pk, "year": at_peer.year})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "第一中学党支部" and rows[1][2:7] == (3, 1, 1, 0, 0)
    client.force_login(world.users.staff_zjl)
    assert client.get(reverse("appraisals:distribution"), {"org": world.jy.pk}).status_code == 404
    client.force_login(world.users.member_a)
    assert client.get(reverse("appraisals:distribution")).status_code == 404


def test_the_honour_roll_is_published_down_the_tree_and_not_sideways(client, world, selection_jy):
    staff = world.users.staff_jy
    candidate = services.candidate_add(
        selection=selection_jy, member=world.members_a[1], by=staff, deeds="带头义务辅导"
    )
    started(selection_jy, staff)
    pass_steps(candidate, list(selection_jy.steps.order_by("position")), staff)
    url = reverse("appraisals:honour_roll")
    for user in (world.users.member_a, world.users.secretary_b, world.users.staff_zz):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "刘建国" in page and "优秀共产党员 <strong>1</strong>" in page, user
    # The working papers (votes, opinions) are not published: a member cannot open the round.
    client.force_login(world.users.member_a)
    assert client.get(reverse("appraisals:selection_detail", args=[selection_jy.pk])).status_code == 404
    client.force_login(world.users.staff_zjl)
    assert "刘建国" not in client.get(url).content.decode()


def test_decide_page_refuses_a_step_out_of_order(client, world, selection_jy):
    staff = world.users.staff_jy
    candidate = services.candidate_add(selection=selection_jy, member=world.members_a[1], by=staff)
    started(selection_jy, staff)
    steps = list(selection_jy.steps.order_by("position"))
    client.force_login(staff)
    url = reverse("appraisals:candidate_decide", args=[selection_jy.pk, candidate.pk])
    data = {"opinion": "同意", "votes_for": 10, "votes_against": 0, "votes_abstain": 0, "passed": "1"}
    client.post(url, {**data, "step": steps[1].pk})
    assert not candidate.decisions.exists()
    assert client.post(url, {**data, "step": steps[0].pk}).status_code == 302
    assert list(candidate.decisions.values_list("step__name", flat=True)) == ["民主推荐"]


def test_creating_a_selection_and_nominating(client, world, year):
    client.force_login(world.users.staff_jy)
    response = client.post(
        reverse("appraisals:selection_create"),
        {"owner": world.jy.pk, "title": Title.MODEL_BRANCH, "year": year, "criteria": "", "candidate_kind": ""},
    )
    assert response.status_code == 302
    selection = world.jy.selection_rounds.get()
    add = client.post(reverse("appraisals:candidate_add", args=[selection.pk]), {"org": world.branch_a.pk})
    assert add.status_code == 302 and selection.candidates.get().unit == world.branch_a
    assert (
        client.post(reverse("appraisals:candidate_add", args=[selection.pk]), {"org": world.hospital.pk}).status_code
        == 400
    )


def _count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["round_list", "selection_list", "honour_roll"])
def test_list_query_counts_do_not_grow(client, world, year, name):
    staff = world.users.staff_jy
    client.force_login(staff)
    counts = []
    made = 0
    for total in (1, 50):
        while made < total:
            if name == "round_list":
                branch = make_org(f"测试党支部{made}", parent=world.jy)
                MemberFactory(org=branch)
                services.appraisal_open(org=branch, year=year, by=staff)
            else:
                sel = services.selection_create(owner=world.jy, title=Title.EXCELLENT_MEMBER, year=year, by=staff)
                if name == "honour_roll":
                    member = MemberFactory(org=world.branch_a)
                    cand = services.candidate_add(selection=sel, member=member, by=staff)
                    started(sel, staff)
                    pass_steps(cand, list(sel.steps.order_by("position")), staff)
            made += 1
        counts.append(_count_queries(client, reverse(f"appraisals:{name}")))
    assert counts[0] == counts[1], counts


def test_the_sheet_query_count_does_not_grow_with_members(client, world, year):
    counts = []
    for size in (1, 50):
        branch = make_org(f"规模{size}党支部", parent=world.jy)
        members = [MemberFactory(org=branch) for _ in range(size)]
        appraisal_round = services.appraisal_open(org=branch, year=year, by=world.users.staff_jy)
        client.force_login(world.users.staff_jy)
        counts.append(_count_queries(client, reverse("appraisals:round_detail", args=[appraisal_round.pk])))
        assert members
    assert counts[0] == counts[1], counts
