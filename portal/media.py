"""Uploaded pictures (members' photos, activity and evidence photos, their thumbnails) reach a browser
only through a signed, expiring URL: ``/files/<signed>/``.

Pages get such URLs from the ``file_url`` template filter (portal/templatetags/files.py), so only a
page that has already passed the access rule can hand one out; a storage path guessed or copied from
elsewhere opens nothing, and nginx serves no /media/ location. The signature covers the storage path
and an expiry bucketed to the hour, so a page shows the same URL for an hour (the browser's cache
keeps working) and a URL stays good for one to two hours. Files with views of their own
(rectification attachments, rendered reports, import files) keep those views.

In production ``XIANFENG_MEDIA_ACCEL`` names an nginx ``internal`` location that maps to MEDIA_ROOT:
this view then only checks the signature and answers with ``X-Accel-Redirect``, and nginx sends the
bytes (docs/deployment.md).
"""

import functools
import mimetypes
import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from django.views.decorators.http import require_GET

SALT = "portal.media.file"
BUCKET_SECONDS = 3600
# A file answer is a picture, never a page: nothing in it may run or load anything else.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def sign(name: str, *, now: float | None = None) -> str:
    """The token for a storage path: valid until the end of the hour after the current one."""
    now = time.time() if now is None else now
    expires = (int(now) // BUCKET_SECONDS + 2) * BUCKET_SECONDS
    return _signer().sign_object([name, expires])


def unsign(token: str, *, now: float | None = None) -> tuple[str, int]:
    """(storage path, expiry) of a token; Http404 for a bad or expired one, as for a missing file."""
    try:
        name, expires = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise Http404 from error
    now = time.time() if now is None else now
    if not isinstance(name, str) or not isinstance(expires, int) or expires <= now:
        raise Http404
    return name, expires


def file_url(file) -> str:
    """The signed URL of a FieldFile (or a storage path); empty for an empty field."""
    name = getattr(file, "name", file)
    if not name:
        return ""
    return _url_head(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF) + sign(str(name)) + "/"


@functools.cache
def _url_head(script_prefix: str, urlconf: str) -> str:
    # reverse() costs more than the signature; a page of 50 thumbnails would pay it 50 times.
    return reverse("media_file", args=["-"], urlconf=urlconf).removesuffix("-/")


class SignedFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT on disk whose ``.url`` is the signed /files/ URL too: what still asks a file for its
    URL (the admin's file widgets) gets one that works and expires, never a plain path."""

    def url(self, name):
        return file_url(name)


@login_not_required  # the signature is the permission: pages that passed the access rule hand it out
@require_GET
def serve_file(request, signed):
    name, expires = unsign(signed)
    try:
        if not default_storage.exists(name):
            raise Http404
    except SuspiciousFileOperation as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    accel = getattr(settings, "MEDIA_ACCEL", "")
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    # Private: the URL was handed to one reader; cached no longer than it is valid.
    response["Cache-Control"] = f"private, max-age={max(0, expires - int(time.time()))}"
    response["Content-Security-Policy"] = FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    if not content_type.startswith("image/"):
        response["Content-Disposition"] = "attachment"
    return response
