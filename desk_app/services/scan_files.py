"""The bytes of scanned pages, before they reach a file: what the scanner wrote (PDF, JPEG, PNG,
TIFF, told apart by their signature), split into single pages in order, and a page turned.
Nothing here touches the database; services/digitise.py files the pages on a file's lines.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from desk_app.domain.digitising import JPEG, PDF, PNG, TIFF
from desk_app.errors import ValidationError

# A file handed in larger than this is refused before it is read (a scan is a few megabytes).
MAX_INPUT_BYTES = 200 * 1024 * 1024


def media_type_of(data: bytes) -> str | None:
    """PDF, JPEG, PNG or TIFF by the bytes' signature (a file's name can lie); None otherwise."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    return None


def split_pages(data: bytes, name: str = "") -> list[tuple[bytes, str]]:
    """The single pages in `data`, in order, each with its media type; ValidationError for a
    file that is none of PDF, JPEG, PNG, TIFF or that cannot be read."""
    label = f"Tệp {name}" if name else "Tệp"
    kind = media_type_of(data)
    if kind is None:
        raise ValidationError(f"{label} không phải PDF, JPEG, PNG hay TIFF.", field="pages")
    try:
        if kind == PDF:
            return _pdf_pages(data)
        if kind == TIFF:
            return _tiff_pages(data)
        _check_picture(data)
    except ValidationError:
        raise
    except Exception as exc:  # every reader's own error: the file is damaged
        raise ValidationError(f"{label} bị hỏng, không đọc được: {exc}", field="pages") from None
    return [(data, kind)]


def _pdf_pages(data: bytes) -> list[tuple[bytes, str]]:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) == 0:
        raise ValidationError("Tệp PDF không có trang nào.", field="pages")
    if len(reader.pages) == 1:
        return [(data, PDF)]  # kept as it is: the same scan twice is the same page
    out = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append((buffer.getvalue(), PDF))
    return out


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # type: ignore[attr-defined]
    return buffer.getvalue()


def _tiff_pages(data: bytes) -> list[tuple[bytes, str]]:
    from PIL import Image, ImageSequence

    with Image.open(io.BytesIO(data)) as image:
        if getattr(image, "n_frames", 1) == 1:
            image.load()  # a damaged file fails here, not in the viewer
            return [(data, TIFF)]  # kept as it is, like a one-page PDF
        return [(_png(frame.copy()), PNG) for frame in ImageSequence.Iterator(image)]


def _check_picture(data: bytes) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.verify()


def read_sources(paths: Iterable[Path]) -> list[tuple[bytes, str]]:
    """The bytes of each file at `paths` with its name, refusing what is no file."""
    out = []
    for path in paths:
        try:
            if path.stat().st_size > MAX_INPUT_BYTES:
                raise ValidationError(f"Tệp {path.name} quá lớn để là một bản quét.")
            out.append((path.read_bytes(), path.name))
        except OSError as exc:
            raise ValidationError(
                f"Không đọc được tệp {path}: {exc.strerror or exc}.", field="pages"
            ) from None
    return out


def turn(data: bytes, media_type: str, turns: int) -> tuple[bytes, str]:
    """The page turned, and its media type (a TIFF turned becomes a PNG)."""
    if media_type == PDF:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        for pdf_page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(pdf_page)
            writer.pages[-1].rotate(90 * turns)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue(), PDF
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        # PIL turns anticlockwise; the officer's "rotate right" is clockwise.
        turned = image.rotate(-90 * turns, expand=True)
        buffer = io.BytesIO()
        if media_type == JPEG:
            turned.save(buffer, format="JPEG", quality=95)
            return buffer.getvalue(), JPEG
        turned.save(buffer, format="PNG")
    return buffer.getvalue(), PNG
