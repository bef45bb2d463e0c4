"""Real files for tests: a PDF rendered by WeasyPrint and a PNG, made once per run."""

from __future__ import annotations

import functools
import io

from weasyprint import HTML


@functools.cache
def pdf_bytes(text: str = "Kết quả giải quyết thủ tục hành chính") -> bytes:
    """A one-page A4 PDF saying ``text`` (Vietnamese letters included)."""
    html = f"<html lang='vi'><body><h1>{text}</h1><p>haicap</p></body></html>"
    rendered: bytes = HTML(string=html).write_pdf()
    return rendered


@functools.cache
def png_bytes() -> bytes:
    """A 2×2 PNG, written by hand so no imaging package is needed."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()
