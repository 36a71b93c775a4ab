"""The activity list as XLSX, with the same filters as the page; writing and formula neutralizing
come from the roster export (imports.exports)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Carrier
from imports.exports import write_xlsx
from imports.readers import Column

COLUMNS = [
    Column("held_on", _("Date")),
    Column("starts_at", _("Start time")),
    Column("org", _("Organization")),
    Column("kind", pgettext_lazy("activity", "Type")),
    Column("title", _("Topic")),
    Column("place", _("Place")),
    Column("host", _("Host")),
    Column("recorder", _("Recorder")),
    Column("expected", _("Expected")),
    Column("present", _("Present")),
    Column("leave", _("On leave")),
    Column("absent", _("Absent")),
    Column("carriers", _("Carriers")),
    Column("minutes", _("Minutes")),
]
CHUNK = 2000


def rows(queryset):
    """One list per activity; counts from the attendance rows, carriers prefetched per chunk."""
    queryset = (
        queryset.with_counts()
        .select_related("org")
        .prefetch_related(Prefetch("carriers", queryset=Carrier.objects.order_by("name")))
        .order_by("-held_on", "-id")
    )
    for activity in queryset.iterator(chunk_size=CHUNK):
        yield [
            activity.held_on,
            activity.starts_at.strftime("%H:%M") if activity.starts_at else "",
            activity.org.name,
            str(activity.get_kind_display()),
            activity.title,
            activity.place,
            activity.host_name,
            activity.recorder_name,
            activity.expected_count,
            activity.present_count,
            activity.leave_count,
            activity.expected_count - activity.present_count - activity.leave_count,
            "、".join(c.name for c in activity.carriers.all()),
            activity.minutes,
        ]


def activities_xlsx(queryset, *, title: str) -> bytes:
    return write_xlsx(COLUMNS, rows(queryset), title=title)
