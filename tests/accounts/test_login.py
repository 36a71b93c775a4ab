"""Logging in and out, lock-out after repeated failures, and changing one's password."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.accounts.conftest import PASSWORD

LOGIN = reverse("accounts:login")


def test_the_login_page_is_open_and_everything_else_is_not(db, client):
    assert client.get(LOGIN).status_code == 200
    response = client.get(reverse("members:member_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_right_password_logs_in_and_logout_ends_it(world, client, try_login):
    response = try_login("secretary_a")
    assert response.status_code == 302
    assert client.get(reverse("members:member_list")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("members:member_list")).status_code == 302


def test_a_wrong_password_says_so_in_chinese(world, try_login):
    response = try_login("secretary_a", "wrong")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_account_even_for_the_right_password(world, try_login, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_MINUTES = 15
    for _ in range(3):
        try_login("secretary_a", "wrong")
    response = try_login("secretary_a", PASSWORD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已被锁定" in page and "15 分钟" in page
    assert "_auth_user_id" not in response.wsgi_request.session


def test_failures_below_the_limit_do_not_lock(world, try_login, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        try_login("secretary_a", "wrong")
    assert try_login("secretary_a").status_code == 302


def test_the_lock_ends_after_the_window(world, try_login, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        try_login("secretary_a", "wrong")
    user = User.objects.get(username="secretary_a")
    assert user.locked_until is not None
    # The window has passed.
    User.objects.filter(pk=user.pk).update(
        locked_until=timezone.now() - timedelta(seconds=1), last_failed_login=timezone.now() - timedelta(minutes=16)
    )
    assert try_login("secretary_a").status_code == 302
    user.refresh_from_db()
    assert user.locked_until is None and user.failed_login_count == 0


def test_failures_spread_beyond_the_window_do_not_add_up(world, try_login, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        try_login("secretary_a", "wrong")
    User.objects.filter(username="secretary_a").update(last_failed_login=timezone.now() - timedelta(minutes=60))
    try_login("secretary_a", "wrong")
    assert User.objects.get(username="secretary_a").locked_until is None


def test_unknown_usernames_look_like_wrong_passwords(world, try_login):
    page = try_login("nobody-here", "wrong").content.decode()
    assert "用户名或密码不正确" in page


def test_changing_ones_own_password(world, login):
    client = login(world.users.secretary_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Hongqi-2024-piao", "new_password2": "Hongqi-2024-piao"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="secretary_a")
    assert user.check_password("Hongqi-2024-piao")
    # Still logged in after the change.
    assert client.get(reverse("members:member_list")).status_code == 200


def test_a_weak_new_password_is_refused_in_chinese(world, login):
    response = login(world.users.secretary_a).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    assert User.objects.get(username="secretary_a").check_password(PASSWORD)
