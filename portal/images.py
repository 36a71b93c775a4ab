"""Uploaded pictures (member photos, evidence photos): only real JPEG/PNG/WebP images are kept,
re-encoded without any metadata.

An upload is checked before anything is stored: its size, that Pillow can parse it as one of
the allowed formats, and its pixel count (a small file can unpack into gigabytes: a
decompression bomb). The picture is turned upright by its EXIF orientation and re-encoded,
which drops EXIF (GPS position, camera serial) and any other embedded data.
"""

import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
# A 3:4 ID photo is far below this; phone cameras reach ~50 megapixels.
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 88


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile


def _reject_size(upload) -> None:
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The photo is too large: at most %(mb)s MB.") % {"mb": f"{limit / (1024 * 1024):g}"}, code="too_large"
        )


def _open(upload) -> Image.Image:
    """Open, verify, and reopen (verify() leaves the image unusable) with the pixel limit enforced."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            upload.seek(0)
            probe = Image.open(upload, formats=ALLOWED_FORMATS)
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The picture has too many pixels (%(w)s × %(h)s); at most %(max)s million.")
                    % {"w": width, "h": height, "max": MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            probe.verify()
            upload.seek(0)
            image = Image.open(upload, formats=ALLOWED_FORMATS)
            _load_whole(image)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(
                _("The picture has too many pixels; at most %(max)s million.") % {"max": MAX_PIXELS // 1_000_000},
                code="too_many_pixels",
            ) from None
        except UnidentifiedImageError:
            raise ValidationError(_("Only JPEG, PNG or WebP pictures can be uploaded."), code="format") from None
        except (OSError, SyntaxError, ValueError):
            raise ValidationError(_("The file is not a valid picture or it is damaged."), code="invalid") from None
    return image


def _load_whole(image: Image.Image) -> None:
    """Load every pixel, refusing a file cut short. WeasyPrint sets Pillow's global
    LOAD_TRUNCATED_IMAGES on import, which would otherwise let half a photo through once any PDF
    has been rendered in the same process."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG; transparent areas become white, as on a printed photo."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, name: str) -> ContentFile:
    buffer = BytesIO()
    # No exif= / icc_profile= arguments: the new file carries pixels only.
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name=name)


def process_image(upload, *, max_side: int, thumbnail_size: tuple[int, int]) -> ProcessedImage:
    """Check an uploaded file and return the upright, metadata-free picture (no side longer than
    ``max_side``) and a thumbnail cropped to ``thumbnail_size``; ValidationError in Chinese."""
    _reject_size(upload)
    image = _open(upload)
    upright = _flatten(ImageOps.exif_transpose(image))
    stored = upright.copy()
    stored.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    thumbnail = ImageOps.fit(upright, thumbnail_size, Image.Resampling.LANCZOS)
    stem = uuid.uuid4().hex
    return ProcessedImage(image=_jpeg(stored, f"{stem}.jpg"), thumbnail=_jpeg(thumbnail, f"{stem}.jpg"))
