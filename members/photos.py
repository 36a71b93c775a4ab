"""Member photos: a portrait of ID-photo shape, through the shared picture checks (portal.images)."""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from portal.images import process_image

STORED_MAX_SIDE = 1200  # a portrait on a roster needs no more
THUMBNAIL_SIZE = (150, 200)  # 3:4, the shape of an ID photo


@dataclass(frozen=True)
class ProcessedPhoto:
    photo: ContentFile
    thumbnail: ContentFile


def process_photo(upload) -> ProcessedPhoto:
    processed = process_image(upload, max_side=STORED_MAX_SIDE, thumbnail_size=THUMBNAIL_SIZE)
    return ProcessedPhoto(photo=processed.image, thumbnail=processed.thumbnail)
