"""Synthetic IRS-like notices drawn by Pillow: photos (with phone-photo defects) and PDFs.

Nothing here is a real notice or a real person: names, addresses and SSNs are made up, the
layout only imitates an IRS notice's (header top left, the notice box top right with the code,
date, tax year and a masked SSN, the name and address, then the amount due and the date to pay
or respond by). Used by tests/documents and bench/ocr.py.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PAGE = (1700, 2200)  # a letter page at 200 dpi


@dataclass(frozen=True)
class NoticeSpec:
    """What a synthetic notice prints (and what reading it must find)."""

    code: str  # as printed ("CP504", "Letter 1058")
    expected_code: str  # canonical (noticebot.nlp.canonical_notice_code)
    title: str
    notice_date: dt.date
    deadline: dt.date
    deadline_words: str  # "Pay by", "Respond by", "Reply by"
    amount: str  # "$4,312.18"
    tax_year: int
    name: str
    address: tuple[str, str]
    ssn: str  # as printed: masked ("XXX-XX-1234") or, on a few, a full one


NOTICES: tuple[NoticeSpec, ...] = (
    NoticeSpec("CP504", "CP504", "Notice of intent to seize (levy) your property or rights",
               dt.date(2026, 11, 2), dt.date(2026, 12, 2), "Respond by", "$4,312.18", 2024,
               "JORDAN A SAMPLE", ("123 MAPLE ST", "SPRINGFIELD, IL 62704-1234"), "XXX-XX-4821"),
    NoticeSpec("CP14", "CP14", "Balance due: you have unpaid taxes",
               dt.date(2026, 10, 19), dt.date(2026, 11, 9), "Pay by", "$812.40", 2025,
               "CASEY R EXAMPLE", ("48 OAK AVE APT 2", "DAYTON, OH 45402"), "XXX-XX-7730"),
    NoticeSpec("CP501", "CP501", "Reminder: you have a balance due",
               dt.date(2026, 9, 8), dt.date(2026, 9, 28), "Pay by", "$2,150.00", 2024,
               "MORGAN T PLACEHOLDER", ("9 RIVER RD", "AUSTIN, TX 78701"), "XXX-XX-3306"),
    NoticeSpec("CP503", "CP503", "Second reminder: we haven't heard from you",
               dt.date(2026, 8, 3), dt.date(2026, 8, 24), "Pay by", "$9,876.54", 2023,
               "RILEY K DEMO", ("700 PINE BLVD", "MADISON, WI 53703-2211"), "XXX-XX-5190"),
    NoticeSpec("CP90", "CP90", "Final notice: intent to seize your property",
               dt.date(2026, 7, 13), dt.date(2026, 8, 12), "Respond by", "$15,402.77", 2022,
               "AVERY L TESTCASE", ("31 ELM CT", "BOISE, ID 83702"), "XXX-XX-6612"),
    NoticeSpec("LT11", "LT11", "Final notice of intent to levy and your right to a hearing",
               dt.date(2026, 6, 1), dt.date(2026, 7, 1), "Reply by", "$7,030.00", 2023,
               "QUINN P FICTION", ("5 HARBOR WAY", "PORTLAND, ME 04101"), "123-45-6789"),
    NoticeSpec("Letter 1058", "LTR1058", "Final notice: notice of intent to levy",
               dt.date(2026, 10, 5), dt.date(2026, 11, 4), "Reply by", "$21,318.09", 2021,
               "DREW M IMAGINARY", ("2200 CEDAR LN", "RENO, NV 89501"), "XXX-XX-2047"),
    NoticeSpec("CP523", "CP523", "Notice of intent to terminate your installment agreement",
               dt.date(2026, 5, 11), dt.date(2026, 6, 1), "Respond by", "$3,404.60", 2024,
               "SAGE W INVENTED", ("64 BIRCH ST", "TUCSON, AZ 85701"), "XXX-XX-9054"),
    NoticeSpec("CP521", "CP521", "Installment agreement reminder",
               dt.date(2026, 4, 6), dt.date(2026, 4, 27), "Pay by", "$250.00", 2025,
               "ROWAN J MADEUP", ("1 LAKE DR", "OMAHA, NE 68102"), "XXX-XX-1468"),
    NoticeSpec("CP297", "CP297", "Notice of levy and notice of your right to a hearing",
               dt.date(2026, 3, 2), dt.date(2026, 4, 1), "Respond by", "$6,789.01", 2022,
               "BLAKE N NOTREAL", ("88 SUMMIT AVE", "TULSA, OK 74103-4410"), "987-65-4321"),
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled scalable font: the same on every machine (no system fonts needed).
    return ImageFont.load_default(size=size)


def _long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def notice_lines(spec: NoticeSpec) -> list[tuple[str, int, int, int, bool]]:
    """(text, x, y, size, bold) of every line printed on the page."""
    left, right_box = 110, 1060
    lines = [
        ("Department of the Treasury", left, 110, 34, True),
        ("Internal Revenue Service", left, 155, 34, True),
        ("Kansas City, MO 64999-0025", left, 200, 30, False),
        (f"Notice {spec.code}" if spec.code.startswith("CP") or spec.code.startswith("LT")
         else spec.code, right_box, 110, 40, True),
        (f"Tax year {spec.tax_year}", right_box, 170, 30, False),
        (f"Notice date {_long_date(spec.notice_date)}", right_box, 215, 30, False),
        (f"Social Security number {spec.ssn}", right_box, 260, 30, False),
        ("To contact us Phone 800-829-1040", right_box, 305, 30, False),
        ("Page 1 of 4", right_box, 350, 30, False),
        (spec.name, left, 420, 30, False),
        (spec.address[0], left, 462, 30, False),
        (spec.address[1], left, 504, 30, False),
        (spec.title, left, 640, 40, True),
        (f"Amount due: {spec.amount}", left, 730, 36, True),
        (f"{spec.deadline_words}: {_long_date(spec.deadline)}", left, 790, 36, True),
        ("Our records show you have unpaid taxes for the tax year shown above.", left, 900, 30,
         False),
        ("If you already paid your balance in full or arranged a payment plan, you can", left,
         945, 30, False),
        ("ignore this notice. If you can't pay the amount due, pay what you can now and", left,
         990, 30, False),
        ("make a payment plan. Pay online or call us at the number shown above.", left, 1035, 30,
         False),
        ("Billing summary", left, 1150, 34, True),
        ("Amount you owed", left, 1210, 30, False),
        ("Failure-to-pay penalty", left, 1255, 30, False),
        ("Interest charges", left, 1300, 30, False),
        (f"Amount due by {_long_date(spec.deadline)}", left, 1345, 30, True),
        (spec.amount, 1300, 1345, 30, True),
    ]
    return lines


def draw_notice(spec: NoticeSpec) -> Image.Image:
    """The notice as a clean grayscale page."""
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    for text, x, y, size, bold in notice_lines(spec):
        draw.text((x, y), text, fill=0, font=_font(size), stroke_width=1 if bold else 0,
                  stroke_fill=0)
    draw.rectangle((1030, 90, 1620, 395), outline=0, width=2)
    draw.line((110, 1395, 1620, 1395), fill=0, width=2)
    return page


# --- Phone-photo defects ---------------------------------------------------------------------


def _on_table(page: Image.Image, rng: random.Random, angle: float) -> Image.Image:
    """The page photographed on a darker table, turned a little, lit unevenly."""
    rgb = page.convert("RGB")
    turned = rgb.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                        fillcolor=(92, 74, 58))
    margin = 120
    table = Image.new("RGB", (turned.width + 2 * margin, turned.height + 2 * margin),
                      (92, 74, 58))
    table.paste(turned, (margin + rng.randint(-40, 40), margin + rng.randint(-40, 40)))
    return table


def _noise(image: Image.Image, rng: random.Random, amount: int = 40) -> Image.Image:
    noise = Image.effect_noise(image.size, amount).convert(image.mode if image.mode == "L"
                                                             else "L")
    if image.mode != "L":
        noise = noise.convert(image.mode)
    return Image.blend(image, noise, 0.25)


def _low_contrast(image: Image.Image) -> Image.Image:
    # A dim photo: black is dark gray, white is mid gray.
    return image.point(lambda v: 70 + v * 90 // 255)


def _low_resolution(image: Image.Image, width: int = 850) -> Image.Image:
    factor = width / image.width
    return image.resize((width, round(image.height * factor)), Image.Resampling.BILINEAR)


def _partly_visible(image: Image.Image) -> Image.Image:
    # The top of the page only, its left edge cut off: the code and dates are still in it.
    return image.crop((60, 0, image.width, int(image.height * 0.42)))


Variant = Callable[[Image.Image, random.Random], Image.Image]

VARIANTS: dict[str, Variant] = {
    "clean": lambda page, rng: page,
    "noise": lambda page, rng: _noise(page, rng),
    "skew_plus3": lambda page, rng: _on_table(page, rng, 3.0),
    "skew_minus3": lambda page, rng: _on_table(page, rng, -3.0),
    "rot90": lambda page, rng: page.rotate(90, expand=True),
    "rot180": lambda page, rng: page.rotate(180, expand=True),
    "rot270_table": lambda page, rng: _on_table(page, rng, 270.0 + rng.uniform(-1.5, 1.5)),
    "blur": lambda page, rng: page.filter(ImageFilter.GaussianBlur(2.0)),
    "low_resolution": lambda page, rng: _low_resolution(page),
    "low_contrast": lambda page, rng: _low_contrast(page),
    "dim_noisy_skewed": lambda page, rng: _noise(
        _low_contrast(_on_table(page, rng, rng.uniform(-2.5, 2.5))), rng, 30),
    "partly_visible": lambda page, rng: _partly_visible(page),
}


def jpeg(image: Image.Image, quality: int = 80, orientation: int | None = None) -> bytes:
    """JPEG bytes; ``orientation`` writes an EXIF orientation tag (6: turn 90° clockwise)."""
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.convert("RGB").save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scanned_pdf(image: Image.Image) -> bytes:
    """A PDF whose page is only an image (no text layer), as a scanner makes."""
    out = io.BytesIO()
    image.convert("L").save(out, "PDF", resolution=200.0)
    return out.getvalue()


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(spec: NoticeSpec) -> bytes:
    """A PDF with a text layer (Helvetica), as the IRS online account's notices are."""
    scale = 72 / 200  # the page's pixels at 200 dpi -> PDF points
    height = PAGE[1] * scale
    commands = ["BT"]
    for text, x, y, size, bold in notice_lines(spec):
        font = "/F2" if bold else "/F1"
        commands.append(
            f"{font} {size * scale:.1f} Tf 1 0 0 1 {x * scale:.1f} "
            f"{height - (y + size) * scale:.1f} Tm ({_pdf_string(text)}) Tj"
        )
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE[0] * scale:.0f} {height:.0f}] "
         "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>").encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


@dataclass(frozen=True)
class Sample:
    """One synthetic file and what it prints."""

    name: str
    data: bytes
    media_type: str
    spec: NoticeSpec


def samples() -> Iterator[Sample]:
    """The synthetic set: every notice in several photo variants, plus PDFs (48 files)."""
    names = list(VARIANTS)
    for index, spec in enumerate(NOTICES):
        rng = random.Random(index)
        page = draw_notice(spec)
        # Four photo variants per notice, rotating through the list so each variant is used.
        for k in range(4):
            variant = names[(index * 4 + k) % len(names)]
            image = VARIANTS[variant](page, rng)
            if k % 2:
                yield Sample(f"{spec.code}-{variant}.png", png(image), "image/png", spec)
            else:
                yield Sample(f"{spec.code}-{variant}.jpg", jpeg(image), "image/jpeg", spec)
        if index % 2:
            yield Sample(f"{spec.code}-text.pdf", text_pdf(spec), "application/pdf", spec)
        else:
            scan = _noise(_on_table(page, rng, rng.uniform(-2, 2)), rng, 20)
            yield Sample(f"{spec.code}-scan.pdf", scanned_pdf(scan), "application/pdf", spec)
    # A photo that only its EXIF tag turns upright, as phones save them.
    spec = NOTICES[0]
    sideways = draw_notice(spec).rotate(90, expand=True)  # what the sensor saw
    yield Sample(f"{spec.code}-exif.jpg", jpeg(sideways, orientation=6), "image/jpeg", spec)
    yield Sample(f"{NOTICES[1].code}-text.pdf", text_pdf(NOTICES[1]), "application/pdf",
                 NOTICES[1])
