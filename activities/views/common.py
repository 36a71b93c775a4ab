from django.http import Http404
from django.utils.translation import pgettext_lazy

from branches.access import scope_for

from ..models import ActivityKind

# Two to four characters, for calendar chips on a phone.
SHORT_KIND = {
    ActivityKind.ASSEMBLY: pgettext_lazy("activity short", "General meeting"),
    ActivityKind.COMMITTEE: pgettext_lazy("activity short", "Committee"),
    ActivityKind.GROUP: pgettext_lazy("activity short", "Group"),
    ActivityKind.LECTURE: pgettext_lazy("activity short", "Lecture"),
    ActivityKind.THEME_DAY: pgettext_lazy("activity short", "Party day"),
    ActivityKind.LIFE_MEETING: pgettext_lazy("activity short", "Life meeting"),
    ActivityKind.STUDY: pgettext_lazy("activity short", "Study"),
    ActivityKind.VOLUNTEER: pgettext_lazy("activity short", "Volunteer"),
    ActivityKind.OTHER: pgettext_lazy("activity short", "Other"),
}


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def may_read_orgs(user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.read_paths)


def may_manage_any(user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.manage_paths)


def require_reader(user) -> None:
    if not may_read_orgs(user):
        raise Http404
