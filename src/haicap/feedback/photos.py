"""Photos attached to reports: JPEG or PNG by their content (not their name), bounded in bytes
and pixels, and re-encoded from the pixels alone so no metadata survives (EXIF, GPS, text)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from haicap.core.errors import Invalid

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
MAX_PIXELS = 40_000_000
MAX_PHOTOS = 3


@dataclass(frozen=True)
class CleanPhoto:
    content_type: str
    data: bytes
    width: int
    height: int


def clean(raw: bytes) -> CleanPhoto:
    """The photo without its metadata; Invalid when it is not a JPEG or PNG or too big."""
    limit = settings.FEEDBACK_PHOTO_MAX_BYTES
    if len(raw) > limit:
        raise Invalid(
            _("The photo is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            field="media",
        )
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format or ""
            width, height = probe.size
            if kind not in FORMATS:
                raise Invalid(_("A photo must be a JPEG or PNG image."), field="media")
            if width * height > MAX_PIXELS:
                raise Invalid(_("The photo has too many pixels."), field="media")
            probe.load()
            # Keep the picture the right way up, then drop what the EXIF said.
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise Invalid(_("A photo must be a JPEG or PNG image."), field="media") from exc
    # A fresh image from the raw pixels carries no info, EXIF, ICC or text chunk at all.
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        pixels.putpalette(image.getpalette() or [])
    out = io.BytesIO()
    if kind == "JPEG":
        if pixels.mode not in ("RGB", "L"):
            pixels = pixels.convert("RGB")
        pixels.save(out, "JPEG", quality=88, optimize=True)
    else:
        pixels.save(out, "PNG", optimize=True)
    return CleanPhoto(FORMATS[kind], out.getvalue(), pixels.width, pixels.height)
