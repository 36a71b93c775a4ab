"""``{{ member.photo|file_url }}``: the signed, expiring URL of an uploaded file (portal/media.py).

Every template that shows an upload takes its URL from here, never from ``.url``: MEDIA_ROOT is
not served by plain path.
"""

from django import template

from portal import media

register = template.Library()


@register.filter
def file_url(file) -> str:
    return media.file_url(file)
