"""Reading a notice from a photo or a PDF (noticebot.documents) on synthetic notices.

The files are drawn by the tests (tests/documents/synthetic.py): 10 notice types, photos with
noise, ±3° skew on a table, 90/180/270° turns, blur, low resolution, low contrast, a partly
visible page, an EXIF-rotated phone photo, scanned PDFs and PDFs with a text layer (52 files).
They are read once per session, two at a time (about 40 s on 2 cores). Print the figures with
``python -m tests.documents.report``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from noticebot.documents import (
    NO_TEXT,
    PDF,
    PNG,
    TOO_LARGE,
    UNREADABLE,
    WRONG_TYPE,
    DocumentError,
    DocumentReading,
    extract_text,
    media_type_of,
    prepare,
    read_notice,
    reading_of,
    skew_angle,
)
from noticebot.reading import Reader
from noticebot.settings import DocumentSettings
from tests.documents.synthetic import NOTICES, Sample, draw_notice, jpeg, png, samples, text_pdf

TODAY = dt.date(2026, 12, 4)
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Debian's tesseract-ocr is not installed"
)
# The digits of every SSN printed on a synthetic notice (full ones and the last four of masked).
SSN_DIGITS = {re.sub(r"\D", "", spec.ssn) for spec in NOTICES}


@pytest.fixture(scope="session")
def reader(recognizer) -> Reader:  # type: ignore[no-untyped-def]
    return Reader(recognizer)


@pytest.fixture(scope="session")
def synthetic_reads(reader: Reader) -> list[tuple[Sample, DocumentReading]]:
    """Every synthetic file read once: OCR two files at a time, then redaction and the reader."""
    files = list(samples())
    with ThreadPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(lambda s: extract_text(s.data, s.media_type), files))
    return [
        (sample, reading_of(text, today=TODAY, reader=reader))
        for sample, text in zip(files, texts, strict=True)
    ]


def right(sample: Sample, reading: DocumentReading) -> bool:
    notice = reading.notice
    return (
        notice is not None
        and notice.code == sample.spec.expected_code
        and notice.notice_date == sample.spec.notice_date
    )


# --- The synthetic set ---------------------------------------------------------------------


@needs_tesseract
def test_the_set_has_at_least_forty_files_of_every_kind() -> None:
    files = list(samples())
    assert len(files) >= 40
    assert {s.media_type for s in files} == {"image/jpeg", "image/png", PDF}
    assert len({s.spec.code for s in files}) >= 8


@needs_tesseract
def test_code_and_notice_date_read_right_on_95_percent(synthetic_reads) -> None:  # type: ignore[no-untyped-def]
    wrong = [s.name for s, reading in synthetic_reads if not right(s, reading)]
    rate = 1 - len(wrong) / len(synthetic_reads)
    assert rate >= 0.95, f"{rate:.1%} read right; wrong: {wrong}"


@needs_tesseract
def test_deadline_amount_and_tax_year_read_on_most(synthetic_reads) -> None:  # type: ignore[no-untyped-def]
    deadline = sum(
        r.notice is not None and r.notice.printed_deadline == s.spec.deadline
        for s, r in synthetic_reads
    )
    amount = sum(
        r.facts.amount == float(s.spec.amount.strip("$").replace(",", ""))
        for s, r in synthetic_reads
    )
    year = sum(s.spec.tax_year in r.facts.tax_years for s, r in synthetic_reads)
    count = len(synthetic_reads)
    assert deadline / count >= 0.9
    assert amount / count >= 0.85
    assert year / count >= 0.9


@needs_tesseract
def test_no_ssn_survives_redaction(synthetic_reads) -> None:  # type: ignore[no-untyped-def]
    for sample, reading in synthetic_reads:
        digits = re.sub(r"\D", "", sample.spec.ssn)
        assert digits not in re.sub(r"\D", "", reading.text.replace("\n", " ").split(
            "Social Security number")[-1][:40]), sample.name
        assert not re.search(r"\b\d{3}-\d{2}-\d{4}\b", reading.text), sample.name
        assert not re.search(r"X{3}-X{2}-\d{4}", reading.text), sample.name
        assert reading.redacted, sample.name


@needs_tesseract
def test_pdf_text_layer_is_used_and_scans_are_read_by_ocr() -> None:
    text = extract_text(text_pdf(NOTICES[0]), PDF)
    assert text.source == "text_layer"
    assert "CP504" in text.text
    scan = next(s for s in samples() if s.name.endswith("-scan.pdf"))
    assert extract_text(scan.data, PDF).source == "ocr"


# --- Checks before anything is decoded -----------------------------------------------------


def test_type_is_told_by_the_bytes_not_the_name() -> None:
    page = png(Image.new("L", (20, 20), 255))
    assert media_type_of(page, "image/png", max_bytes=10**6) == PNG
    assert media_type_of(page, "application/octet-stream", max_bytes=10**6) == PNG
    with pytest.raises(DocumentError) as wrong:
        media_type_of(page, "image/jpeg", max_bytes=10**6)  # says JPEG, is PNG
    assert wrong.value.reason == WRONG_TYPE
    for data, declared in (
        (b"GIF89a" + b"\0" * 20, "image/gif"),
        (b"GIF89a" + b"\0" * 20, "image/png"),  # a GIF renamed .png
        (b"PK\x03\x04 a zip", "application/pdf"),
        (b"<html>", "text/html"),
    ):
        with pytest.raises(DocumentError) as refused:
            media_type_of(data, declared, max_bytes=10**6)
        assert refused.value.reason == WRONG_TYPE


def test_size_limit_is_checked_first() -> None:
    with pytest.raises(DocumentError) as refused:
        extract_text(b"%PDF-" + b"0" * 2000, PDF, settings=DocumentSettings(max_bytes=1000))
    assert refused.value.reason == TOO_LARGE


def test_damaged_files_are_unreadable_not_crashes() -> None:
    for data, declared in ((b"\xff\xd8\xff\xe0garbage", "image/jpeg"),
                           (b"\x89PNG\r\n\x1a\ngarbage", "image/png"),
                           (b"%PDF-1.4\ngarbage", PDF)):
        with pytest.raises(DocumentError) as refused:
            extract_text(data, declared)
        assert refused.value.reason == UNREADABLE


def test_an_image_too_big_in_pixels_is_refused() -> None:
    big = png(Image.new("L", (3000, 3000), 255))
    with pytest.raises(DocumentError) as refused:
        extract_text(big, PNG, settings=DocumentSettings(max_pixels=1_000_000))
    assert refused.value.reason == TOO_LARGE


@needs_tesseract
def test_a_blank_page_has_no_text(reader: Reader) -> None:
    with pytest.raises(DocumentError) as refused:
        read_notice(png(Image.new("L", (1700, 2200), 255)), PNG, today=TODAY, reader=reader)
    assert refused.value.reason in (NO_TEXT, UNREADABLE)


# --- Photo preparation ---------------------------------------------------------------------


def test_small_skew_is_measured() -> None:
    page = draw_notice(NOTICES[2])
    for angle in (-3.0, 2.0, 0.0):
        turned = page.rotate(angle, expand=True, fillcolor=255)
        assert abs(skew_angle(turned) + angle) <= 0.5


def test_exif_orientation_and_small_images_are_handled() -> None:
    page = draw_notice(NOTICES[0]).resize((850, 1100))
    sideways = Image.open(io.BytesIO(jpeg(page.rotate(90, expand=True), orientation=6)))
    ready = prepare(sideways)
    assert ready.mode == "L"
    assert ready.height > ready.width  # upright again
    assert max(ready.size) >= 1600  # upscaled
