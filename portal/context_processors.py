from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.access import scope_for


def navigation(request):
    """The header's menu, by what the user's roles let them do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    items = [("home", _("Home"), reverse("home"), "bi-house")]
    if scope.is_superuser or scope.read_paths:
        items.append(("orgs", _("Organizations"), reverse("branches:org_tree"), "bi-diagram-3"))
    if scope.is_superuser or scope.manage_paths:
        items.append(("members", _("Members"), reverse("members:member_list"), "bi-people"))
        items.append(("imports", _("Import"), reverse("imports:start"), "bi-upload"))
    if not scope.is_empty:
        # Campaigns run above a branch reach its secretary and members too (read-only).
        items.append(("campaigns", _("Campaigns"), reverse("campaigns:campaign_list"), "bi-flag"))
    if scope.is_superuser or scope.manage_paths:
        items.append(("pledges", pgettext_lazy("nav", "Pledges"), reverse("pledges:pledge_list"), "bi-megaphone"))
    elif scope.member_id:
        items.append(("pledges", pgettext_lazy("nav", "Pledges"), reverse("pledges:mine"), "bi-megaphone"))
    if scope.is_superuser or scope.read_paths or scope.member_id:
        # Readers of orgs get the log; a member only their own attendance.
        url = reverse("activities:activity_list" if scope.is_superuser or scope.read_paths else "activities:mine")
        items.append(("activities", pgettext_lazy("nav", "Activities"), url, "bi-calendar-check"))
    if scope.is_superuser or scope.manage_paths:
        # 群众评议: staff run rounds; the public answers without logging in.
        items.append(("evaluations", _("Mass evaluation"), reverse("evaluations:round_list"), "bi-clipboard-check"))
    from reviews.permissions import shows_reviews

    if shows_reviews(user, scope):
        label = pgettext_lazy("nav", "Reviews and rectification")
        items.append(("reviews", label, reverse("reviews:review_list"), "bi-chat-quote"))
    if scope.is_superuser or scope.read_paths or scope.member_id:
        # Readers of orgs get the branch sheets; a member their own appraisal and ballot.
        readers = scope.is_superuser or scope.read_paths
        url = reverse("appraisals:round_list" if readers else "appraisals:mine")
        items.append(("appraisals", pgettext_lazy("nav", "Member appraisal"), url, "bi-card-checklist"))
        url = reverse("appraisals:selection_list" if readers else "appraisals:honour_roll")
        items.append(("exemplars", pgettext_lazy("nav", "Exemplars"), url, "bi-award"))
    if scope.is_superuser or scope.manage_paths:
        # Committee staff (and secretaries for their branch): the figures of their scope, and reports.
        items.append(("dashboard", pgettext_lazy("nav", "Statistics"), reverse("reports:dashboard"), "bi-bar-chart"))
        items.append(
            ("reports", pgettext_lazy("nav", "Reports"), reverse("reports:report_list"), "bi-file-earmark-text")
        )
    if scope.member_id:
        items.append(("me", _("My record"), reverse("members:me"), "bi-person-badge"))
    if user.is_superuser:
        items.append(("admin", _("Admin"), reverse("admin:index"), "bi-gear"))
    from notifications.models import Notification

    unread = Notification.objects.for_user(user).unread().count()
    return {"nav_items": items, "nav_groups": group_items(items), "scope": scope, "unread_notifications": unread}


# The header's menus: items of one kind of work together, so the bar fits one line on a laptop.
NAV_GROUPS = [
    (
        "org_work",
        pgettext_lazy("nav group", "Organizations and members"),
        "bi-diagram-3",
        ("orgs", "members", "imports"),
    ),
    ("campaign_work", pgettext_lazy("nav group", "Campaign"), "bi-flag", ("campaigns", "pledges", "activities")),
    (
        "review_work",
        pgettext_lazy("nav group", "Reviews and appraisal"),
        "bi-chat-quote",
        ("reviews", "evaluations", "appraisals", "exemplars"),
    ),
    ("report_work", pgettext_lazy("nav group", "Statistics and reports"), "bi-bar-chart", ("dashboard", "reports")),
]


def group_items(items):
    """[(key, label, url, icon, children)]: a group with one visible item is shown as that item."""
    by_key = {item[0]: item for item in items}
    grouped, placed = [], set()
    for item in items:
        key = item[0]
        if key in placed:
            continue
        group = next((g for g in NAV_GROUPS if key in g[3]), None)
        if group is None:
            grouped.append((*item, ()))
            continue
        children = [by_key[k] for k in group[3] if k in by_key]
        placed.update(child[0] for child in children)
        if len(children) == 1:
            grouped.append((*children[0], ()))
        else:
            grouped.append((group[0], group[1], "", group[2], tuple(children)))
    return grouped
