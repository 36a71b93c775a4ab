"""Fulfilment (践诺): dated progress notes that move an item's percentage, with photos as evidence."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.images import process_image

from .. import workflow
from ..models import EvidencePhoto, Pledge, ProgressUpdate
from .pledging import _locked, pledge_snapshot, record

MAX_PHOTOS = 6
PHOTO_MAX_SIDE = 1600  # enough to read a notice board on the photo
THUMBNAIL_SIZE = (240, 180)


@transaction.atomic
def progress_record(*, pledge: Pledge, on, text: str, by, item=None, percent=None, photos=()) -> ProgressUpdate:
    """Add a progress note; with an item and a percentage, the item moves (100% marks it done on ``on``)."""
    pledge = _locked(pledge)
    if not workflow.may_record_progress(by, pledge):
        raise PermissionDenied
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Say what was done.")
    if on > timezone.localdate():
        errors["on"] = _("The date cannot be in the future.")
    elif pledge.published_at and on < timezone.localdate(pledge.published_at):
        errors["on"] = _("Progress is recorded from the day the pledge was published.")
    if item is not None and item.pledge_id != pledge.pk:
        errors["item"] = _("Choose an item of this pledge.")
    if percent is not None and item is None:
        errors["percent"] = _("Choose the item whose progress this is.")
    elif percent is not None and not 0 <= percent <= 100:
        errors["percent"] = _("Progress is between 0 and 100%.")
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(n)s photos per update.") % {"n": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    processed = []
    for upload in photos:
        try:
            processed.append(process_image(upload, max_side=PHOTO_MAX_SIDE, thumbnail_size=THUMBNAIL_SIZE))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
    before = pledge_snapshot(pledge)
    update = ProgressUpdate.objects.create(pledge=pledge, item=item, on=on, text=text, percent=percent, by=by)
    if item is not None and percent is not None:
        item.percent = percent
        item.done_on = on if percent == 100 else None
        item.save(update_fields=["percent", "done_on"])
    stored = []
    try:
        for picture in processed:
            photo = EvidencePhoto(update=update)
            photo.image.save(picture.image.name, picture.image, save=False)
            stored.append(photo.image)
            photo.thumbnail.save(picture.thumbnail.name, picture.thumbnail, save=False)
            stored.append(photo.thumbnail)
            photo.save()
        pledge.save(update_fields=["updated_at"])
        record(pledge, before, by=by, note=_("Progress: %(text)s") % {"text": text[:150]})
    except Exception:
        # The rows roll back with the transaction; the files would stay behind.
        for file in stored:
            file.storage.delete(file.name)
        raise
    return update
