"""Every write to an audited record leaves a history row, whichever path made it.

The check does not trust signals (a queryset ``update()`` or ``bulk_update`` sends none): it takes
the audited tables before and after an action, and every row created, changed (in a field the
history shows) or deleted must have a matching history row written by the action.

Write paths: every form and action of the URL conf posted as a manager of the object (the
form's own values sent back with the text fields changed), the services, the roster import,
bulk operations (issuing logins, closing a selection, reordering questions), and the admin.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.forms import BaseForm, BaseFormSet, FileField
from django.urls import reverse

from activities.models import Activity, ComplianceRule
from appraisals.models import AppraisalEntry, AppraisalRound, Candidate, SelectionRound
from audit.models import HistoryEntry
from audit.services import IGNORED_FIELDS
from branches.models import Area, ContactPoint, LeadershipPost, Organization, RoleAssignment
from campaigns.models import Campaign, Carrier, Phase
from evaluations.models import Question, Round, SlipBatch
from members.models import Member
from pledges.models import BoardLink, Pledge
from reports.models import Report
from reviews.models import RectificationItem, Review
from tests.test_url_access import CASES, env  # noqa: F401  (env is the fixture of B's objects)

A = HistoryEntry.Action
ALL = {A.CREATE, A.UPDATE, A.DELETE}
# model -> the actions that must leave a row. Where fewer than all, why:
AUDITED = {
    Organization: ALL,
    Member: ALL,
    RoleAssignment: ALL,
    LeadershipPost: ALL,
    ContactPoint: ALL,
    Area: ALL,
    Campaign: ALL,
    Phase: ALL,
    Carrier: ALL,
    Pledge: ALL,
    BoardLink: ALL,
    Activity: ALL,
    ComplianceRule: ALL,
    Review: ALL,
    RectificationItem: ALL,
    AppraisalRound: ALL,
    AppraisalEntry: ALL,
    SelectionRound: ALL,
    Candidate: ALL,
    Report: ALL,
    Round: ALL,
    Question: ALL,
    # The PDF of code slips is made by a background task: its progress is not a person's change.
    SlipBatch: {A.CREATE},
}
# Fields that follow from others (a counter, a position renumbered from dates) or are the
# machinery's own bookkeeping; a change only there needs no row.
DERIVED = {"position", "last_login", "status_changed_at", "progress_percent"}


def state():
    rows = {}
    for model in AUDITED:
        names = [f.attname for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS | DERIVED]
        for values in model._base_manager.values_list("pk", *names):
            rows[(model, values[0])] = values[1:]
    return rows


class Watch:
    def __init__(self):
        self.before = state()
        self.mark = HistoryEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def missing(self):
        """(model, pk, action) for every audited write the action made without a history row."""
        after = state()
        written = {}
        for entry in HistoryEntry.objects.filter(id__gt=self.mark):
            written.setdefault((entry.content_type_id, entry.object_id), set()).add(entry.action)
        gaps = []
        for key in self.before.keys() | after.keys():
            model, pk = key
            if key not in self.before:
                action = A.CREATE
            elif key not in after:
                action = A.DELETE
            elif self.before[key] != after[key]:
                action = A.UPDATE
            else:
                continue
            if action not in AUDITED[model]:
                continue
            actions = written.get((ContentType.objects.get_for_model(model).pk, str(pk)), set())
            # A create may be followed by updates within the same action; one row covers it.
            if not actions or (action == A.DELETE and A.DELETE not in actions):
                gaps.append(f"{model.__name__} {pk} {action}")
        return sorted(gaps)

    def changed(self):
        after = state()
        return {k for k in self.before.keys() | after.keys() if self.before.get(k) != after.get(k)}


# --- forms and actions through the views ------------------------------------------------------


def form_data(response):
    """What the page's forms would send back untouched, with text changed so there is a change."""
    data = {}
    context = response.context
    if context is None:
        return data
    seen = []
    for layer in context if isinstance(context, list) else [context]:
        for value in layer.flatten().values():
            for candidate in value if isinstance(value, list) else [value]:
                # The admin wraps its form (AdminForm.form) and inlines (InlineAdminFormSet.formset).
                candidate = getattr(candidate, "form", None) or getattr(candidate, "formset", None) or candidate
                if isinstance(candidate, BaseForm | BaseFormSet) and candidate not in seen:
                    seen.append(candidate)
    for form in seen:
        forms = [form]
        if isinstance(form, BaseFormSet):
            management = form.management_form
            forms = [management, *form.forms]
        for f in forms:
            for bound in f:
                value = bound.value()
                if value is None or value is False:
                    continue
                field = bound.field
                if isinstance(field, FileField):
                    continue
                if hasattr(field, "choices") or isinstance(value, list | tuple):
                    data[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
                elif isinstance(value, str) and value and type(field).__name__ == "CharField" and free_text(bound):
                    data[bound.html_name] = value + "改"
                else:
                    data[bound.html_name] = value
    return data


def free_text(bound) -> bool:
    """Fields where any words are fine (no format to break): notes, titles, names."""
    return bound.field.widget.__class__.__name__ == "Textarea" or bound.name in ("name", "title")


MANAGER_OF_B = "staff_jy"  # manages 州教育局党委's subtree: branch B and everything of it


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.kind == "object"])
def test_every_form_and_action_leaves_history(name, env, client):  # noqa: F811
    client.force_login(getattr(env.w.users, MANAGER_OF_B))
    client.raise_request_exception = False  # downloads of files the env does not store
    url = reverse(name, kwargs=CASES[name].kwargs(env))
    response = client.get(url)
    data = form_data(response) if response.status_code == 200 else {}
    watch = Watch()
    client.post(url, data)
    assert watch.missing() == [], f"POST {url} wrote without history"


# --- services, import, bulk and admin ---------------------------------------------------------


def test_the_roster_import_leaves_a_row_per_member(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports import services
    from tests.factories import make_id_number
    from tests.imports.conftest import ROSTER_HEADER, xlsx_bytes

    settings.MEDIA_ROOT = tmp_path
    rows = [[i, name, "男", make_id_number(), "正式党员", "2010-06-01", ""] for i, name in enumerate(["甲一", "乙二"])]
    rows.append([3, world.members_a[1].name, "女", world.members_a[1].id_number, "正式党员", "2011-07-01", ""])
    batch = services.batch_upload(
        kind="roster",
        upload=SimpleUploadedFile("花名册.xlsx", xlsx_bytes([ROSTER_HEADER, *rows])),
        target_org=world.branch_a,
        by=world.users.secretary_a,
    )
    services.batch_preview(batch=batch)
    watch = Watch()
    batch.refresh_from_db()
    services.batch_confirm(batch=batch, skip_errors=True, by=world.users.secretary_a)
    assert len(watch.changed()) >= 2
    assert watch.missing() == []


def test_bulk_operations_leave_history(env):  # noqa: F811
    from accounts import services as account_services
    from appraisals import services as appraisal_services
    from evaluations import services as evaluation_services

    w = env.w
    watch = Watch()
    account_services.members_issue_logins(members=Member.objects.filter(org=w.branch_b), by=w.users.secretary_b)
    appraisal_services.selection_start(selection=env.selection_b, by=w.users.secretary_b)
    env.candidate_b.outcome = "pending"
    env.candidate_b.save()
    watch = Watch()
    appraisal_services.selection_close(
        selection=SelectionRound.objects.get(pk=env.selection_b.pk), by=w.users.secretary_b
    )
    assert watch.missing() == []
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    fresh = evaluation_services.round_create(
        owner=w.branch_b,
        title="未作答的评议",
        campaign=None,
        targets=[w.branch_b],
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=9),
        allow_open_link=False,
        by=w.users.secretary_b,
    )
    question = fresh.questions.order_by("position").last()
    watch = Watch()
    evaluation_services.question_move(question=question, up=True, by=w.users.secretary_b)
    assert watch.missing() == []
    # Positions are left out of the table diff (a phase's follows its dates), but a question's
    # place is chosen by hand: the move is in both questions' history.
    moved = HistoryEntry.objects.filter(id__gt=watch.mark, object_id__in=[str(q.pk) for q in fresh.questions.all()])
    assert moved.count() == 2 and all("position" in e.changes for e in moved)


def test_admin_changes_leave_history(world, client):
    client.force_login(world.users.admin)
    for model, obj in ((Member, world.members_a[1]), (Organization, world.branch_a), (RoleAssignment, None)):
        obj = obj or RoleAssignment.objects.first()
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        response = client.get(url)
        assert response.status_code == 200
        data = form_data(response)
        watch = Watch()
        response = client.post(url, data)
        assert watch.missing() == [], url
        assert model is RoleAssignment or watch.changed(), (
            f"{url}: the admin form saved nothing ({response.status_code})"
        )
    member = world.members_a[2]
    watch = Watch()
    client.post(reverse("admin:members_member_delete", args=[member.pk]), {"post": "yes"})
    assert not Member.objects.filter(pk=member.pk).exists()
    assert watch.missing() == []
