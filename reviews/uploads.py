"""Checks on evidence uploads: photos go through portal.images (re-encoded, no metadata); documents
must be what their extension says, within the size limit, and are stored under a random name.

Nothing from the uploaded name reaches the file system: the stored name is random, and the name
shown to people is the original with any path and unusual characters removed.
"""

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from portal.images import process_image

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 6
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")
# A document's first bytes, and for Office files the part that must be inside the zip.
DOCUMENT_EXTENSIONS = {"pdf": None, "docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ALLOWED = ", ".join(["pdf", "docx", "xlsx", "jpg", "png"])
PHOTO_MAX_SIDE = 1600
THUMBNAIL_SIZE = (240, 180)


@dataclass
class CheckedFile:
    kind: str  # "photo" or "file"
    name: str  # for display
    content: ContentFile
    thumbnail: ContentFile | None = None


def display_name(raw: str) -> str:
    """The last part of the name, without path or control characters, at most 100 characters."""
    base = PurePosixPath((raw or "").replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:  # names that clean down to nothing or to "." / ".."
        cleaned = ""
    if not cleaned:
        return "file"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and len(cleaned) > 100:
        return f"{stem[: 99 - len(ext)]}.{ext}"
    return cleaned[:100]


def extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _check_document(upload, ext: str) -> None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if ext == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("%(name)s is not a PDF file.") % {"name": upload.name})
        return
    if not head.startswith(b"PK\x03\x04"):
        raise ValidationError(_("%(name)s is not a Word or Excel file.") % {"name": upload.name})
    try:
        with zipfile.ZipFile(upload) as archive:
            if DOCUMENT_EXTENSIONS[ext] not in archive.namelist():
                raise ValidationError(_("%(name)s is not a Word or Excel file.") % {"name": upload.name})
    except zipfile.BadZipFile:
        raise ValidationError(_("%(name)s is damaged.") % {"name": upload.name}) from None
    finally:
        upload.seek(0)


def check_upload(upload) -> CheckedFile:
    name = display_name(upload.name)
    ext = extension(name)
    if ext in PHOTO_EXTENSIONS:
        processed = process_image(upload, max_side=PHOTO_MAX_SIDE, thumbnail_size=THUMBNAIL_SIZE)
        stem = name.rpartition(".")[0] or "photo"
        return CheckedFile("photo", f"{stem}.jpg", processed.image, processed.thumbnail)
    if ext not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("%(name)s cannot be uploaded: only %(allowed)s files are accepted.") % {"name": name, "allowed": ALLOWED}
        )
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("%(name)s is too large: at most %(mb)s MB.") % {"name": name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    _check_document(upload, ext)
    upload.seek(0)
    return CheckedFile("file", name, ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.{ext}"))


def check_uploads(uploads) -> list[CheckedFile]:
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("At most %(n)s files at a time.") % {"n": MAX_FILES})
    return [check_upload(u) for u in uploads]
