"""Text of a notice sent as a photo or a PDF, read on this machine, then redacted and read.

``extract_text(data, media_type)`` takes the file's bytes and the media type the channel declared:

1. **Kind**: JPEG, PNG and PDF only, told by the file's first bytes (its magic number), never by
   its name; a declared type that is not one of them, or that the bytes contradict, is refused.
   Over ``DocumentSettings.max_bytes`` is refused before anything is decoded.
2. **PDF**: the text layer of its first ``max_pages`` pages (pypdf) when it has one; a scanned
   PDF's pages are rendered to images (PDFium, through pypdfium2, from the bytes) and read as
   photos.
3. **Photo**: EXIF orientation, grayscale, autocontrast, small images upscaled and big ones
   reduced, a small-angle deskew (the angle whose rows of ink are sharpest), then Tesseract OCR
   (Debian's ``tesseract-ocr``); a page that does not read well upright is tried at 90, 180 and
   270 degrees on a reduced copy and read again in the orientation with the best confidence.
   (Tesseract's own orientation detection, ``--psm 0``, was tried and dropped: it answered 90
   degrees for pages turned 90, 180 and 270 degrees in the synthetic set.)

Everything stays in memory: the ``tesseract`` program gets the prepared page through its
standard input (an uncompressed PGM) and answers on its standard output, so neither the file
sent by the person nor any image made from it is ever written to disk. (pytesseract, the usual
binding, writes the image to a temporary file and is limited to an old release by Rasa 3.6's
``packaging`` pin; calling the program directly avoids both.)

``read_notice(data, media_type, today=...)`` then redacts the text with ``noticebot.privacy``
(the same redaction as a typed message) before anything else sees it, and reads the redacted
text with the project's reader (``noticebot.reading``), as if it had been typed.

This module is part of the domain layer: it never imports Rasa.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image, ImageOps

from noticebot.privacy import redact
from noticebot.reading import MessageFacts, NoticeMention, Reader
from noticebot.settings import DocumentSettings, get_settings

logger = logging.getLogger(__name__)

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
MEDIA_TYPES = (JPEG, PNG, PDF)
# Other spellings of the same types, and the declared types that say nothing (Telegram and
# Slack send some files as "application/octet-stream"): the bytes decide then.
_ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "image/x-png": PNG, "application/x-pdf": PDF}
_UNKNOWN_TYPES = ("", "application/octet-stream", "binary/octet-stream")

# Why a file could not be read (``DocumentError.reason``).
TOO_LARGE = "too_large"
WRONG_TYPE = "wrong_type"
UNREADABLE = "unreadable"
NO_TEXT = "no_text"

# Fewer letters and digits than this in a PDF's text layer: a scan, read by OCR.
MIN_TEXT_LAYER_CHARS = 40
# Photos are read at this width (pixels; a letter page at about 200-250 dpi).
TARGET_WIDTH = 2000
MIN_WIDTH = 1600  # narrower: upscaled to TARGET_WIDTH
MAX_WIDTH = 2600  # wider: reduced to TARGET_WIDTH
PDF_RENDER_DPI = 200
# Deskew: the angles tried (degrees), on a reduced copy of this width.
DESKEW_ANGLES = tuple(a / 2 for a in range(-12, 13))  # -6 to 6 degrees by 0.5
DESKEW_WIDTH = 800
# A read whose mean word confidence is at least this keeps its orientation without trying others.
GOOD_CONFIDENCE = 70.0
# The long side (pixels) of the reduced copy on which the right angles are compared.
ORIENTATION_LONG_SIDE = 1100
TESSERACT = shutil.which("tesseract") or "tesseract"
# PDFium is not thread-safe: one rendering at a time in this process (the channels read files in
# worker threads).
_PDFIUM = threading.Lock()


class DocumentError(ValueError):
    """A file that cannot be read; ``reason`` is one of TOO_LARGE, WRONG_TYPE, UNREADABLE,
    NO_TEXT (the conversation's kind message depends on it)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class DocumentText:
    """The text of a file (not yet redacted), how it was obtained and how long it took."""

    text: str
    media_type: str
    source: str  # "text_layer" or "ocr"
    pages: int
    seconds_per_page: tuple[float, ...] = ()


@dataclass(frozen=True)
class DocumentReading:
    """What a file says: its redacted text and the facts the reader found in it."""

    text: str  # redacted
    redacted: tuple[str, ...]  # the kinds of numbers removed (noticebot.privacy)
    facts: MessageFacts
    source: str
    pages: int
    seconds_per_page: tuple[float, ...] = field(default=())

    @property
    def notice(self) -> NoticeMention | None:
        """The notice the file is (the first one named), if any."""
        return self.facts.notices[0] if self.facts.notices else None

    @property
    def found_anything(self) -> bool:
        """Whether a notice code was read (dates alone cannot be read back usefully)."""
        return self.notice is not None


def sniff(data: bytes) -> str | None:
    """The media type the first bytes show (JPEG, PNG or PDF), else ``None``."""
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    # A PDF may have a few bytes of garbage before its header; readers accept 1024.
    if b"%PDF-" in data[:1024]:
        return PDF
    return None


def media_type_of(data: bytes, declared: str | None, *, max_bytes: int) -> str:
    """Check a file before anything decodes it: its size, then its type (declared and real)."""
    if len(data) > max_bytes:
        raise DocumentError(TOO_LARGE, f"file of {len(data)} bytes, over {max_bytes}")
    if not data:
        raise DocumentError(UNREADABLE, "empty file")
    stated = (declared or "").split(";")[0].strip().lower()
    stated = _ALIASES.get(stated, stated)
    if stated not in MEDIA_TYPES and stated not in _UNKNOWN_TYPES:
        raise DocumentError(WRONG_TYPE, f"declared type {stated!r} is not JPEG, PNG or PDF")
    actual = sniff(data)
    if actual is None:
        raise DocumentError(WRONG_TYPE, "the bytes are not a JPEG, PNG or PDF")
    if stated in MEDIA_TYPES and stated != actual:
        raise DocumentError(WRONG_TYPE, f"declared {stated} but the bytes are {actual}")
    return actual


def extract_text(
    data: bytes, media_type: str | None, *, settings: DocumentSettings | None = None
) -> DocumentText:
    """The text of a JPEG, PNG or PDF (see the module's docstring); raises ``DocumentError``."""
    limits = settings or get_settings().documents
    kind = media_type_of(data, media_type, max_bytes=limits.max_bytes)
    if kind == PDF:
        return _pdf_text(data, limits)
    started = time.perf_counter()
    image = _open_image(data, limits)
    text = ocr_image(image, timeout=limits.ocr_timeout)
    return DocumentText(text, kind, "ocr", 1, (time.perf_counter() - started,))


def read_notice(
    data: bytes,
    media_type: str | None,
    *,
    today: dt.date,
    reader: Reader | None = None,
    settings: DocumentSettings | None = None,
) -> DocumentReading:
    """Extract the text, redact it (before anything else sees it), then read it as a message."""
    document = extract_text(data, media_type, settings=settings)
    return reading_of(document, today=today, reader=reader)


def reading_of(
    document: DocumentText, *, today: dt.date, reader: Reader | None = None
) -> DocumentReading:
    """Redact an extracted text (before anything else sees it), then read it as a message."""
    redaction = redact(document.text)
    text = redaction.text
    if not any(c.isalnum() for c in text):
        raise DocumentError(NO_TEXT, "no text found in the file")
    facts = (reader or Reader()).read(text, today=today)
    return DocumentReading(
        text=text,
        redacted=redaction.kinds,
        facts=facts,
        source=document.source,
        pages=document.pages,
        seconds_per_page=document.seconds_per_page,
    )


# --- PDF -----------------------------------------------------------------------------------


def _pdf_text(data: bytes, limits: DocumentSettings) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted:
            pdf.decrypt("")
        pages = pdf.pages[: limits.max_pages]
        layer = "\n".join((page.extract_text() or "") for page in pages)
        count = len(pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise DocumentError(UNREADABLE, f"unreadable PDF: {type(error).__name__}") from None
    except Exception as error:  # pypdf raises many kinds on a damaged file
        logger.info("PDF text layer unreadable (%s); trying to render it", type(error).__name__)
        layer, count = "", 0
    if sum(c.isalnum() for c in layer) >= MIN_TEXT_LAYER_CHARS:
        return DocumentText(layer, PDF, "text_layer", count)
    texts: list[str] = []
    timings: list[float] = []
    with _PDFIUM:  # rendered first, then read by OCR outside the lock
        pages_images = list(_rendered_pages(data, limits))
    for image in pages_images:
        started = time.perf_counter()
        texts.append(ocr_image(image, timeout=limits.ocr_timeout))
        timings.append(time.perf_counter() - started)
    return DocumentText("\n".join(texts), PDF, "ocr", len(texts), tuple(timings))


def _rendered_pages(data: bytes, limits: DocumentSettings) -> Iterator[Image.Image]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise DocumentError(UNREADABLE, "unreadable PDF") from None
    try:
        for index in range(min(len(pdf), limits.max_pages)):
            page = pdf[index]
            width, height = page.get_size()
            scale = PDF_RENDER_DPI / 72
            if width * height * scale * scale > limits.max_pixels:
                scale = (limits.max_pixels / (width * height)) ** 0.5
            bitmap = page.render(scale=scale, grayscale=True)
            yield bitmap.to_pil().convert("L")
            bitmap.close()
            page.close()
    finally:
        pdf.close()


# --- Photos ---------------------------------------------------------------------------------


def _open_image(data: bytes, limits: DocumentSettings) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > limits.max_pixels:
            raise DocumentError(TOO_LARGE, f"image of {width}x{height} pixels")
        image.load()
    except DocumentError:
        raise
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise DocumentError(UNREADABLE, "unreadable image") from None
    return image


def prepare(image: Image.Image) -> Image.Image:
    """A photo made ready for OCR: upright as the camera said (EXIF), grayscale, contrast
    stretched, about TARGET_WIDTH pixels wide, small skew removed. Rotation by right angles is
    left to ``ocr_image`` (it needs Tesseract)."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    gray = image.convert("L")
    gray = ImageOps.autocontrast(gray, cutoff=1)
    long_side = max(gray.size)
    if long_side < MIN_WIDTH or long_side > MAX_WIDTH:
        factor = TARGET_WIDTH / long_side
        gray = gray.resize(
            (max(1, round(gray.width * factor)), max(1, round(gray.height * factor))),
            Image.Resampling.LANCZOS,
        )
    angle = skew_angle(gray)
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return gray


def skew_angle(gray: Image.Image) -> float:
    """The small rotation (degrees, counter-clockwise) that makes the text lines horizontal:
    the angle whose row profile of dark pixels is the most peaked."""
    import numpy as np

    factor = DESKEW_WIDTH / max(gray.size)
    small = gray.resize(
        (max(1, round(gray.width * factor)), max(1, round(gray.height * factor))),
        Image.Resampling.BILINEAR,
    )
    ink = small.point(lambda value: 255 if value < 140 else 0)
    best_angle, best_score = 0.0, -1.0
    for angle in DESKEW_ANGLES:
        rows = np.asarray(ink.rotate(angle, expand=False, fillcolor=0), dtype=np.float32).sum(1)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle


@dataclass(frozen=True)
class _Read:
    text: str
    confidence: float
    words: int


def _run_tesseract(image: Image.Image, arguments: list[str], *, timeout: float) -> str:
    """Run Debian's ``tesseract`` on ``image``, sent through its standard input as an
    uncompressed PGM (no file is written), and return its standard output."""
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PPM")
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread is fastest per page
    try:
        done = subprocess.run(
            [TESSERACT, "stdin", "stdout", "-l", "eng", *arguments],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=timeout,
            env=environment,
            check=False,
        )
    except FileNotFoundError:
        raise DocumentError(UNREADABLE, "tesseract is not installed (apt-get install "
                            "tesseract-ocr)") from None
    except subprocess.TimeoutExpired:
        raise DocumentError(UNREADABLE, f"OCR took over {timeout:g} s") from None
    if done.returncode != 0:
        raise _TesseractError(done.stderr.decode("utf-8", "replace").strip()[-200:])
    return done.stdout.decode("utf-8", "replace")


class _TesseractError(RuntimeError):
    """Tesseract exited with an error (its message is in the exception)."""


def _tesseract(image: Image.Image, *, timeout: float) -> _Read:
    try:
        tsv = _run_tesseract(image, ["--psm", "3", "tsv"], timeout=timeout)
    except _TesseractError as error:
        raise DocumentError(UNREADABLE, f"OCR failed: {error}") from None
    lines: dict[tuple[int, int, int, int], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        try:
            key = (int(cells[1]), int(cells[2]), int(cells[3]), int(cells[4]))
            confidence = float(cells[10])
        except ValueError:
            continue
        lines.setdefault(key, []).append(cells[11].strip())
        if confidence >= 0:
            confidences.append(confidence)
    text = "\n".join(" ".join(words) for _, words in sorted(lines.items()))
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return _Read(text, mean, len(confidences))


def _quality(read: _Read) -> float:
    """Confident words count: a sideways page reads as few words with low confidence."""
    return read.confidence * min(read.words, 200)


def _good(read: _Read) -> bool:
    return read.confidence >= GOOD_CONFIDENCE and read.words >= 20


def _reduced(image: Image.Image, long_side: int) -> Image.Image:
    factor = long_side / max(image.size)
    if factor >= 1:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def ocr_image(image: Image.Image, *, timeout: float = 20.0) -> str:
    """The text of a photo or a rendered page (see the module's docstring).

    A page read upright with good confidence is done in one Tesseract run. Otherwise the other
    right angles are tried on a reduced copy (fast), and the page is read again, full size, in
    the orientation that read best (the first read is kept when it stays the best).
    """
    page = prepare(image)
    first = _tesseract(page, timeout=timeout)
    if _good(first):
        return first.text
    small = _reduced(page, ORIENTATION_LONG_SIDE)
    trials: dict[int, float] = {}
    for angle in (180, 90, 270):  # upside down first: the commonest mistake after upright
        trial = _tesseract(small.rotate(angle, expand=True), timeout=timeout)
        trials[angle] = _quality(trial)
        if _good(trial):
            break
    best = max(trials, key=lambda angle: trials[angle])
    # PIL turns counter-clockwise; the turned page is deskewed again (its lines were vertical).
    turned = _tesseract(prepare(page.rotate(best, expand=True)), timeout=timeout)
    return turned.text if _quality(turned) > _quality(first) else first.text
