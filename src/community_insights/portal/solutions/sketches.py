"""A sketch picture made safe to keep: checked to be a real picture, limited in size, re-drawn as PNG.

Why re-draw: a photo of a whiteboard carries metadata (where and when it was
taken, the phone's owner); drawing the pixels into a fresh PNG keeps the
picture and drops the rest. Why limits: a small file can still unpack into an
enormous picture, so both the bytes and the pixels are capped before anything
is decoded in full.
"""

from __future__ import annotations

import io

from community_insights.portal.core.exceptions import ApplicationError

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4000 * 4000
ACCEPTED = ("PNG", "JPEG", "GIF", "WEBP")


def clean_picture(data: bytes) -> bytes:
    """The picture as a fresh PNG, or an ``ApplicationError`` in one plain sentence."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ApplicationError("The selected file is empty.", field="image")
    if len(data) > MAX_BYTES:
        raise ApplicationError("The picture must be smaller than 2 MB.", field="image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            probe.verify()
        if kind not in ACCEPTED:
            raise ApplicationError("The picture must be a PNG, JPEG, GIF or WebP file.", field="image")
        if width * height > MAX_PIXELS:
            raise ApplicationError("The picture must be at most 4000 by 4000 pixels.", field="image")
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ApplicationError(
            "The selected file is not a picture: choose a PNG, JPEG, GIF or WebP file.", field="image"
        ) from None
    return out.getvalue()
