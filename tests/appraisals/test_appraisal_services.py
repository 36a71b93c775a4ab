"""民主评议党员: phases in order, secret peer grading, mass opinion, the branch's decision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from appraisals import services
from appraisals.models import AppraisalEntry, AppraisalPhase, AppraisalRound, Ballot, Grade, PeerTally
from notifications.models import Notification

from .conftest import entries_by_name, grade_others


def tallies(appraisal_round) -> dict[str, dict[str, int]]:
    result = {}
    for t in PeerTally.objects.filter(entry__round=appraisal_round).select_related("entry__member"):
        result.setdefault(t.entry.member.name, {})[t.grade] = t.count
    return result


def test_opening_lists_every_party_member_of_the_branch_and_its_groups(world, round_a):
    from tests.factories import MemberFactory

    assert sorted(entries_by_name(round_a)) == sorted(m.name for m in world.members_a)
    MemberFactory(org=world.group_a, name="党小组成员")
    second = services.appraisal_open(org=world.branch_a, year=round_a.year - 1, by=world.users.secretary_a)
    assert "党小组成员" in entries_by_name(second)


def test_only_managers_open_and_only_branches_once_a_year(world, round_a):
    with pytest.raises(PermissionDenied):
        services.appraisal_open(org=world.branch_b, year=round_a.year, by=world.users.secretary_a)
    with pytest.raises(ValidationError) as error:
        services.appraisal_open(org=world.branch_a, year=round_a.year, by=world.users.secretary_a)
    assert "year" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.appraisal_open(org=world.jy, year=round_a.year, by=world.users.staff_jy)
    assert "org" in error.value.error_dict


def test_peer_grading_leaves_no_row_that_ties_a_grade_to_its_voter(world, at_peer, voters):
    # The schema itself: the ballot has no grade, the tally no voter and no time.
    ballot_fields = {f.name for f in Ballot._meta.concrete_fields}
    tally_fields = {f.name for f in PeerTally._meta.concrete_fields}
    assert ballot_fields == {"id", "round", "voter"}
    assert tally_fields == {"id", "entry", "grade", "count"}
    assert not any(isinstance(f, models.DateTimeField | models.DateField) for f in PeerTally._meta.concrete_fields)

    rows_before = PeerTally.objects.count()
    ids_before = set(PeerTally.objects.values_list("id", flat=True))
    grade_others(at_peer, voters[0], lambda name: Grade.EXCELLENT)
    grade_others(at_peer, voters[1], lambda name: Grade.BASIC)
    # A ballot adds no tally rows (it only counts up), so neither row order nor ids tell voters apart.
    assert PeerTally.objects.count() == rows_before
    assert set(PeerTally.objects.values_list("id", flat=True)) == ids_before
    assert tallies(at_peer)["赵敏"] == {
        Grade.EXCELLENT: 1,
        Grade.QUALIFIED: 0,
        Grade.BASIC: 1,
        Grade.UNQUALIFIED: 0,
    }
    assert Ballot.objects.filter(round=at_peer).count() == 2
    # Nothing in the history says who gave which grade either.
    from audit.models import HistoryEntry

    assert not HistoryEntry.objects.filter(actor__in=voters[:2]).exists()


def test_a_member_grades_once_never_themselves_and_only_their_branch(world, at_peer, voters):
    me = voters[0]
    entries = entries_by_name(at_peer)
    own = entries[me.member.name]
    others = {e.pk: Grade.QUALIFIED for name, e in entries.items() if name != me.member.name}
    with pytest.raises(ValidationError, match="不能给自己"):
        services.peer_grading_submit(appraisal_round=at_peer, grades={**others, own.pk: Grade.EXCELLENT}, by=me)
    services.appraisal_open(org=world.branch_b, year=at_peer.year, by=world.users.secretary_b)
    outsider = AppraisalEntry.objects.filter(round__org=world.branch_b).first()
    with pytest.raises(ValidationError, match="本支部"):
        services.peer_grading_submit(appraisal_round=at_peer, grades={**others, outsider.pk: Grade.EXCELLENT}, by=me)
    missing = dict(list(others.items())[:1])
    with pytest.raises(ValidationError, match="每一名党员"):
        services.peer_grading_submit(appraisal_round=at_peer, grades=missing, by=me)
    assert not Ballot.objects.exists()

    services.peer_grading_submit(appraisal_round=at_peer, grades=others, by=me)
    with pytest.raises(ValidationError, match="已提交过"):
        services.peer_grading_submit(appraisal_round=at_peer, grades=others, by=me)
    assert sum(tallies(at_peer)["刘建国"].values()) == 1


def test_a_member_of_another_branch_cannot_vote(world, at_peer):
    from tests.factories import UserFactory

    outsider = world.members_b[0]
    outsider.user = UserFactory(username="sunli")
    outsider.save()
    with pytest.raises(PermissionDenied):
        services.peer_grading_submit(appraisal_round=at_peer, grades={}, by=outsider.user)


def test_phases_run_in_order_and_notify_the_voters(world, round_a, voters):
    secretary = world.users.secretary_a
    with pytest.raises(ValidationError):
        services.appraisal_move(appraisal_round=round_a, action="close_peer", by=secretary)
    with pytest.raises(ValidationError, match="互评尚未开始"):
        grade_others(round_a, voters[0], lambda name: Grade.QUALIFIED)
    with pytest.raises(PermissionDenied):
        services.appraisal_move(appraisal_round=round_a, action="open_peer", by=world.users.secretary_b)
    services.appraisal_move(appraisal_round=round_a, action="open_peer", by=secretary)
    assert Notification.objects.filter(recipient__in=voters).count() == 3
    entry = entries_by_name(round_a)["张党员"]
    with pytest.raises(ValidationError, match="互评开始前"):
        services.self_appraisal_submit(
            entry=entry, text="本年度认真学习，按时参加三会一课，兑现了全部承诺事项。", by=voters[0]
        )
    services.appraisal_move(appraisal_round=round_a, action="close_peer", by=secretary)
    with pytest.raises(ValidationError, match="互评尚未开始或已经结束"):
        grade_others(round_a, voters[1], lambda name: Grade.QUALIFIED)


def test_self_appraisal_is_the_members_own(world, round_a, voters):
    entries = entries_by_name(round_a)
    text = "本年度认真学习党的理论，按时参加三会一课，兑现了年初承诺的全部事项。"
    with pytest.raises(PermissionDenied):
        services.self_appraisal_submit(entry=entries["刘建国"], text=text, by=voters[0])
    with pytest.raises(PermissionDenied):
        services.self_appraisal_submit(entry=entries["刘建国"], text=text, by=world.users.secretary_a)
    with pytest.raises(ValidationError):
        services.self_appraisal_submit(entry=entries["张党员"], text="很好", by=voters[0])
    services.self_appraisal_submit(entry=entries["张党员"], text=text, by=voters[0])
    assert AppraisalEntry.objects.get(pk=entries["张党员"].pk).has_self_appraisal


def test_the_branch_decides_only_after_peer_grading_closes_and_closes_when_all_are_decided(world, at_peer):
    secretary = world.users.secretary_a
    entries = entries_by_name(at_peer)

    def decide(name, grade=Grade.QUALIFIED, votes=(3, 0, 0), by=secretary):
        entry = AppraisalEntry.objects.select_related("round__org", "member").get(pk=entries[name].pk)
        return services.appraisal_decide(
            entry=entry, grade=grade, votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2], by=by
        )

    with pytest.raises(ValidationError, match="互评结束后"):
        decide("张党员")
    services.appraisal_move(appraisal_round=at_peer, action="close_peer", by=secretary)
    with pytest.raises(PermissionDenied):
        decide("张党员", by=world.users.secretary_b)
    with pytest.raises(PermissionDenied):
        decide("张党员", by=world.users.member_a)
    with pytest.raises(ValidationError) as error:
        decide("张党员", votes=(3, 1, 0))
    assert "votes_for" in error.value.error_dict
    decide("张党员", Grade.EXCELLENT, (3, 0, 0))
    with pytest.raises(ValidationError, match="2 名党员尚未评定"):
        services.appraisal_move(appraisal_round=at_peer, action="close", by=secretary)
    decide("刘建国")
    decide("赵敏", Grade.BASIC, (2, 1, 0))
    closed = services.appraisal_move(appraisal_round=at_peer, action="close", by=world.users.staff_jy)
    assert closed.phase == AppraisalPhase.CLOSED
    assert AppraisalRound.objects.get(pk=at_peer.pk).entries.filter(grade=Grade.EXCELLENT).count() == 1
    with pytest.raises(ValidationError):
        decide("赵敏", Grade.QUALIFIED)


def test_mass_opinion_is_entered_by_the_branch(world, round_a):
    entry = entries_by_name(round_a)["赵敏"]
    counts = {"mass_excellent": 5, "mass_qualified": 12, "mass_basic": 1, "mass_unqualified": 0}
    with pytest.raises(PermissionDenied):
        services.mass_opinion_record(entry=entry, counts=counts, by=world.users.member_a)
    services.mass_opinion_record(entry=entry, counts=counts, by=world.users.secretary_a)
    entry.refresh_from_db()
    assert entry.mass_counts == [5, 12, 1, 0] and entry.mass_total == 18
