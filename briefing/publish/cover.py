"""The podcast cover: the user's image, or a plain one drawn here.

Podcast apps want a square JPEG or PNG of 1400 to 3000 pixels (`itunes:image`). Without
a configured cover, briefing draws one (sound-wave bars on a dark square) with the
standard library, so no image library or shipped binary is needed.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIZE = 1400
COVER_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_BACKGROUND = bytes((0x1B, 0x2A, 0x41))
_BARS = bytes((0xF2, 0xA5, 0x41))
_HEIGHTS = (0.18, 0.34, 0.52, 0.7, 0.42, 0.62, 0.3, 0.46, 0.2)  # of the image height


def draw_cover(size: int = SIZE) -> bytes:
    """A PNG: sound-wave bars, centred, on a dark square."""
    bar, gap = size // 20, size // 35
    left = (size - len(_HEIGHTS) * bar - (len(_HEIGHTS) - 1) * gap) // 2
    spans = []  # (top, bottom, x) of each bar
    for i, height in enumerate(_HEIGHTS):
        half = int(size * height) // 2
        spans.append((size // 2 - half, size // 2 + half, left + i * (bar + gap)))
    rows = bytearray()
    for y in range(size):
        row = bytearray(_BACKGROUND * size)
        for top, bottom, x in spans:
            if top <= y < bottom:
                row[x * 3 : (x + bar) * 3] = _BARS * bar
        rows += b"\x00" + row  # filter type 0 (none) for each scanline
    return _png(size, size, bytes(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # "png" or "jpeg"
    width: int
    height: int
    colour: str  # "rgb", "grey", "cmyk", "palette" or "unknown"


_PNG_COLOUR = {0: "grey", 2: "rgb", 3: "palette", 4: "grey", 6: "rgb"}
_JPEG_COLOUR = {1: "grey", 3: "rgb", 4: "cmyk"}  # by component count (YCbCr counts as RGB)
# Start-of-frame markers: SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_info(data: bytes) -> ImageInfo | None:
    """Format, size and colour space of a PNG or JPEG from its header; None otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 26:
        width, height = struct.unpack(">II", data[16:24])
        return ImageInfo("png", width, height, _PNG_COLOUR.get(data[25], "unknown"))
    if data[:2] != b"\xff\xd8":
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length field
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF and pos + 10 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageInfo("jpeg", width, height, _JPEG_COLOUR.get(data[pos + 9], "unknown"))
        if length < 2:
            return None
        pos += 2 + length
    return None
