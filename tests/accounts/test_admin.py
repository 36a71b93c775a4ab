from django.urls import reverse

from audit.models import HistoryEntry
from members.models import Member


def test_admin_is_for_superusers_only(world, login):
    for user in (world.users.staff_zz, world.users.secretary_a, world.users.member_a):
        user.is_staff = True  # even Django's staff flag does not open it
        user.save()
        response = login(user).get(reverse("admin:index"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
    assert login(world.users.admin).get(reverse("admin:index")).status_code == 200


def test_an_edit_in_the_admin_leaves_a_history_row(world, login):
    member = world.members_a[1]
    client = login(world.users.admin)
    url = reverse("admin:members_member_change", args=[member.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name in ("photo", "photo_thumbnail") or value is None:
            continue
        data[name] = value
    data.update(
        {
            "phone": "13700000001",
            "stage_steps-TOTAL_FORMS": "0",
            "stage_steps-INITIAL_FORMS": "0",
            "stage_steps-MIN_NUM_FORMS": "0",
            "stage_steps-MAX_NUM_FORMS": "1000",
        }
    )
    data = {k: v for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Member.objects.get(pk=member.pk).phone == "13700000001"
    entry = HistoryEntry.objects.filter(object_id=str(member.pk), source=HistoryEntry.Source.ADMIN).get()
    assert entry.changes["phone"]["new"] == "137****0001"  # personal information is kept masked
    assert entry.actor == world.users.admin
