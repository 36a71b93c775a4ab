from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


def test_a_reminder_with_a_key_is_not_sent_twice_while_unread(world):
    user = world.users.secretary_a
    kind = Notification.Kind.ITEM_OVERDUE
    assert notify(recipients=[user], kind=kind, message="承诺事项逾期", key="item-7") == 1
    assert notify(recipients=[user], kind=kind, message="承诺事项逾期", key="item-7") == 0
    Notification.objects.update(read_at="2026-01-01T00:00:00+08:00")
    assert notify(recipients=[user], kind=kind, message="承诺事项逾期", key="item-7") == 1


def test_header_shows_the_unread_count_and_opening_marks_read(world, login):
    user = world.users.secretary_a
    notify(recipients=[user, None], kind=Notification.Kind.APPROVAL_WAITING, message="有1项承诺待审核", url="/members/")
    client = login(user)
    page = client.get(reverse("home")).content.decode()
    assert 'xf-bell-count">1<' in page
    note = Notification.objects.get(recipient=user)
    response = client.post(reverse("notifications:notification_open", args=[note.pk]))
    assert response["Location"] == "/members/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "xf-bell-count" not in client.get(reverse("home")).content.decode()


def test_a_link_to_another_site_is_not_followed(world, login):
    user = world.users.secretary_a
    notify(recipients=[user], kind=Notification.Kind.OTHER, message="x", url="https://example.com/")
    note = Notification.objects.get(recipient=user)
    response = login(user).post(reverse("notifications:notification_open", args=[note.pk]))
    assert response["Location"] == "/"


def test_mark_all_read(world, login):
    user = world.users.secretary_a
    notify(recipients=[user], kind=Notification.Kind.OTHER, message="一")
    notify(recipients=[user], kind=Notification.Kind.OTHER, message="二")
    login(user).post(reverse("notifications:notification_mark_all_read"))
    assert not Notification.objects.unread().exists()
