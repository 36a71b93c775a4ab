import functools

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from branches.access import scope_for


def navigation(request):
    """The header's menu, by what the user's roles let them do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    from reviews.permissions import shows_reviews

    items, groups = _menu(
        bool(scope.is_superuser),
        bool(scope.manage_paths),
        bool(scope.read_paths),
        bool(scope.member_id),
        shows_reviews(user, scope),
        bool(user.is_superuser),
        get_script_prefix(),
        get_language(),
    )
    from notifications.models import Notification

    unread = Notification.objects.for_user(user).unread().count()
    return {"nav_items": items, "nav_groups": groups, "scope": scope, "unread_notifications": unread}


@functools.lru_cache(maxsize=128)
def _menu(everything, manages, reads, is_member, reviews, is_superuser, script_prefix, language):
    """(items, groups) for one combination of what a user may do, in one language: a handful of
    combinations exist, so the menu, its URLs and its translated labels are made once per process
    for each, not on every request."""
    items = [("home", _("Home"), reverse("home"), "bi-house")]
    if everything or reads:
        items.append(("orgs", _("Organizations"), reverse("branches:org_tree"), "bi-diagram-3"))
    if everything or manages:
        items.append(("members", _("Members"), reverse("members:member_list"), "bi-people"))
        items.append(("imports", _("Import"), reverse("imports:start"), "bi-upload"))
    if everything or reads or is_member:
        # Campaigns run above a branch reach its secretary and members too (read-only).
        items.append(("campaigns", _("Campaigns"), reverse("campaigns:campaign_list"), "bi-flag"))
    if everything or manages:
        items.append(("pledges", pgettext_lazy("nav", "Pledges"), reverse("pledges:pledge_list"), "bi-megaphone"))
    elif is_member:
        items.append(("pledges", pgettext_lazy("nav", "Pledges"), reverse("pledges:mine"), "bi-megaphone"))
    if everything or reads or is_member:
        # Readers of orgs get the log; a member only their own attendance.
        url = reverse("activities:activity_list" if everything or reads else "activities:mine")
        items.append(("activities", pgettext_lazy("nav", "Activities"), url, "bi-calendar-check"))
    if everything or manages:
        # 群众评议: staff run rounds; the public answers without logging in.
        items.append(("evaluations", _("Mass evaluation"), reverse("evaluations:round_list"), "bi-clipboard-check"))
    if reviews:
        label = pgettext_lazy("nav", "Reviews and rectification")
        items.append(("reviews", label, reverse("reviews:review_list"), "bi-chat-quote"))
    if everything or reads or is_member:
        # Readers of orgs get the branch sheets; a member their own appraisal and ballot.
        readers = everything or reads
        url = reverse("appraisals:round_list" if readers else "appraisals:mine")
        items.append(("appraisals", pgettext_lazy("nav", "Member appraisal"), url, "bi-card-checklist"))
        url = reverse("appraisals:selection_list" if readers else "appraisals:honour_roll")
        items.append(("exemplars", pgettext_lazy("nav", "Exemplars"), url, "bi-award"))
    if everything or manages:
        # Committee staff (and secretaries for their branch): the figures of their scope, and reports.
        items.append(("dashboard", pgettext_lazy("nav", "Statistics"), reverse("reports:dashboard"), "bi-bar-chart"))
        items.append(
            ("reports", pgettext_lazy("nav", "Reports"), reverse("reports:report_list"), "bi-file-earmark-text")
        )
    if is_member:
        items.append(("me", _("My record"), reverse("members:me"), "bi-person-badge"))
    if is_superuser:
        items.append(("admin", _("Admin"), reverse("admin:index"), "bi-gear"))
    items = [(key, str(label), url, icon) for key, label, url, icon in items]
    groups = [(key, str(label), url, icon, tuple(children)) for key, label, url, icon, children in group_items(items)]
    return tuple(items), tuple(groups)


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
