"""Logins for people: one click per member or a whole roster, shown once, changed at first login."""

import re

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import User
from audit.services import history_for
from members.models import Member
from tests.factories import MemberFactory


def issue(client, member):
    return client.post(reverse("members:issue_login", args=[member.pk]))


def shown_password(response) -> str:
    return re.search(r'data-testid="password">([^<]+)<', response.content.decode()).group(1)


def shown_usernames(response) -> list[str]:
    return re.findall(r'data-testid="username">([^<]+)<', response.content.decode())


def test_a_secretary_gives_a_login_named_after_the_phone(world, login):
    member = world.members_a[1]
    member.phone = "139 1234 5678"
    member.save()
    client = login(world.users.secretary_a)
    assert client.get(reverse("members:issue_login", args=[member.pk])).status_code == 200  # confirmation first
    response = issue(client, member)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    member.refresh_from_db()
    assert member.user.username == "13912345678"
    assert member.user.must_change_password
    assert member.user.check_password(shown_password(response))
    entry = history_for(member).first()
    assert entry.actor == world.users.secretary_a
    assert "13912345678" in entry.note


def test_the_password_is_never_shown_again(world, login):
    member = world.members_a[1]
    client = login(world.users.secretary_a)
    password = shown_password(issue(client, member))
    assert password not in client.get(member.get_absolute_url()).content.decode()
    assert password not in str(list(history_for(member).values_list("changes", "note")))


def test_a_taken_username_gets_a_suffix(world, login):
    first, second = world.members_a[1], world.members_a[2]
    Member.objects.filter(pk__in=[first.pk, second.pk]).update(phone="13800001111")
    User.objects.create_user(username="13800001111-2", password="x")
    client = login(world.users.secretary_a)
    issue(client, Member.objects.get(pk=first.pk))
    issue(client, Member.objects.get(pk=second.pk))
    names = set(Member.objects.filter(pk__in=[first.pk, second.pk]).values_list("user__username", flat=True))
    assert names == {"13800001111", "13800001111-3"}


def test_without_a_phone_the_username_comes_from_the_record_number(world, login):
    member = world.members_a[1]
    Member.objects.filter(pk=member.pk).update(phone="")
    issue(login(world.users.secretary_a), Member.objects.get(pk=member.pk))
    assert Member.objects.get(pk=member.pk).user.username == f"m{member.pk}"


def test_first_login_forces_a_password_change(world, login, client):
    member = world.members_a[1]
    password = shown_password(issue(login(world.users.secretary_a), member))
    username = Member.objects.get(pk=member.pk).user.username
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    response = client.get(reverse("members:me"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Xianfeng-2024-wo", "new_password2": "Xianfeng-2024-wo"},
    )
    assert response.status_code == 302
    assert client.get(reverse("members:me")).status_code == 200
    assert not User.objects.get(username=username).must_change_password


def test_a_reset_replaces_the_old_password_and_unlocks(world, login, client):
    from django.utils import timezone

    member = world.members_a[0]  # has the login member_a
    User.objects.filter(pk=member.user_id).update(locked_until=timezone.now() + timezone.timedelta(minutes=10))
    response = issue(login(world.users.secretary_a), member)
    password = shown_password(response)
    user = User.objects.get(username="member_a")
    assert not user.check_password("pass-1234-word")
    assert user.check_password(password)
    assert user.must_change_password and user.locked_until is None
    assert "member_a" in shown_usernames(response)


def test_the_whole_roster_at_once_skips_those_with_a_login(world, login):
    MemberFactory.create_batch(3, org=world.group_a)
    client = login(world.users.secretary_a)
    url = reverse("members:issue_logins", args=[world.branch_a.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert confirm.context["waiting"] == 2 + 3
    response = client.post(url)
    assert len(shown_usernames(response)) == 5
    assert "member_a" not in shown_usernames(response)
    assert not Member.objects.filter(org__path__startswith=world.branch_a.path, user__isnull=True).exists()
    assert User.objects.get(username="member_a").check_password("pass-1234-word")  # untouched


def test_committee_staff_give_logins_below_them(world, login):
    response = login(world.users.staff_jy).post(reverse("members:issue_logins", args=[world.branch_b.pk]))
    assert len(shown_usernames(response)) == 2


def test_committee_staff_reset_a_secretary_below_them(world, login, client):
    staff = login(world.users.staff_jy)
    assert staff.get(reverse("accounts:role_logins")).status_code == 200
    response = staff.post(reverse("accounts:reset_password", args=[world.users.secretary_a.pk]))
    password = shown_password(response)
    user = User.objects.get(username="secretary_a")
    assert user.check_password(password) and user.must_change_password


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("secretary_a", "staff_jy"),
        ("secretary_a", "secretary_b"),
        ("staff_jy", "staff_zz"),
        ("staff_zjl", "secretary_a"),
    ],
)
def test_nobody_resets_someone_above_or_beside_them(world, login, who, target):
    target_user = getattr(world.users, target)
    response = login(getattr(world.users, who)).post(reverse("accounts:reset_password", args=[target_user.pk]))
    assert response.status_code == 404
    assert User.objects.get(pk=target_user.pk).check_password("pass-1234-word")


def test_a_secretary_with_a_role_elsewhere_cannot_be_taken_over(world):
    from tests.factories import grant

    grant(world.users.secretary_a, world.hospital, "secretary")
    assert not services.can_reset_user(world.users.staff_jy, world.users.secretary_a)
    assert services.can_reset_user(world.users.staff_zz, world.users.secretary_a)


def test_a_roster_too_big_for_one_request_is_refused(world, login, monkeypatch):
    from members import views

    monkeypatch.setattr(views, "BULK_LOGIN_LIMIT", 1)
    client = login(world.users.secretary_a)
    url = reverse("members:issue_logins", args=[world.branch_a.pk])
    assert "最多" in client.get(url).content.decode()
    client.post(url)
    assert Member.objects.filter(org=world.branch_a, user__isnull=True).count() == 2
