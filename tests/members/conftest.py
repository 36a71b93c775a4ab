from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture(size=(40, 20), *, fmt="JPEG", exif_orientation=None, name="photo.jpg", color=(200, 30, 30)):
    """An uploaded picture; with an EXIF orientation tag and a camera make, as phones write them."""
    image = Image.new("RGB", size, color)
    buffer = BytesIO()
    kwargs = {}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x010F] = "PhoneMaker"  # Make
        kwargs["exif"] = exif.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def make_picture():
    return picture
