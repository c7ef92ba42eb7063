"""The privacy corpus: sensitive messages (with the identifiers in them) and ordinary ones.

Generated with a fixed seed from identifier formats x Unicode noise x sentence templates the way
people type them, plus the hand-written messages of ``handwritten.yml``. Every number is fake:
SSNs in the 900-999, 000 and 666 areas (never issued), well-known test card numbers and random
Luhn-valid ones, random ABA-valid routing numbers, 555-01xx phone numbers.

In ``handwritten.yml`` a sensitive message marks each identifier as ``[[kind:value]]``; the value
is what must be replaced (and its digits must not survive).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

SEED = 20261109
HANDWRITTEN = Path(__file__).with_name("handwritten.yml")
# Stands for one identifier in ``Sensitive.shape``.
SLOT = "\x00"

UNICODE_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007", "\u3000")
UNICODE_DASHES = ("\u2013", "\u2014", "\u2212", "\u2012", "\u2011")
INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff")
DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Sensitive:
    """A message holding identifiers; ``shape`` is the text with each one replaced by SLOT."""

    text: str
    kind: str  # what the figures count it under
    secrets: tuple[str, ...]  # the identifiers' digits, which must not survive
    shape: str
    source: str  # "generated" or "hand-written"


# ------------------------------------------------------------------------------ helpers


def digits_of(value: str) -> str:
    """The digits a value stands for, whatever way it is written (words, full-width...)."""
    text = unicodedata.normalize("NFKC", value).lower()
    text = re.sub(
        r"\b(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)\b",
        lambda m: "0" if m.group() in ("oh", "o") else str(DIGIT_NAMES.index(m.group())),
        text,
    )
    return "".join(char for char in text if char.isdigit())


def full_width(value: str) -> str:
    """Digits and dashes in their full-width forms (a phone's or a PDF's)."""
    return "".join(
        chr(ord(char) + 0xFEE0) if char.isdigit() or char == "-" else char for char in value
    )


def spelled(digits: str, rng: random.Random, joiner: str = " ") -> str:
    """Digits in words, zero sometimes said as "oh"."""
    return joiner.join(
        rng.choice(("zero", "oh")) if d == "0" else DIGIT_NAMES[int(d)] for d in digits
    )


def grouped(digits: str, sizes: tuple[int, ...], separator: str) -> str:
    """The digits cut in groups of the given sizes (the last takes the rest)."""
    parts, position = [], 0
    for size in sizes:
        parts.append(digits[position : position + size])
        position += size
    if position < len(digits):
        parts.append(digits[position:])
    return separator.join(part for part in parts if part)


def sprinkle(value: str, rng: random.Random) -> str:
    """Invisible characters between some digits (text pasted from a PDF or a phone)."""
    out = []
    for index, char in enumerate(value):
        out.append(char)
        if char.isdigit() and index < len(value) - 1 and rng.random() < 0.35:
            out.append(rng.choice(INVISIBLES))
    return "".join(out)


def luhn_check_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(body)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def aba_check_digit(body: str) -> str:
    """The ninth digit of a routing number starting with ``body`` (eight digits)."""
    d = [int(c) for c in body]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5]
    return str((10 - total % 10) % 10)


def usps_check_digit(body: str) -> str:
    """The last digit of a USPS tracking number (mod 10, weights 3 and 1 from the right)."""
    total = sum(int(d) * (3 if index % 2 == 0 else 1) for index, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def random_digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def fake_ssn(rng: random.Random) -> str:
    """Nine digits in an area never issued (900-999 are ITINs' or nobody's, 000, 666)."""
    area = rng.choice([f"{rng.randint(900, 999)}", "000", "666"])
    return f"{area}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def fake_routing(rng: random.Random) -> str:
    body = f"{rng.choice([rng.randint(1, 12), rng.randint(21, 32)]):02d}" + random_digits(rng, 6)
    return body + aba_check_digit(body)


def fake_card(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + random_digits(rng, length - len(prefix) - 1)
    return body + luhn_check_digit(body)


def with_typo(digits: str, rng: random.Random) -> str:
    """One digit changed (never the first): the Luhn check then always fails."""
    index = rng.randrange(1, len(digits))
    return digits[:index] + rng.choice([d for d in "0123456789" if d != digits[index]]) + digits[
        index + 1 :
    ]


# ------------------------------------------------------------------------------ formats


def ssn_formats(d: str, rng: random.Random) -> list[str]:
    """An SSN/ITIN written every way we have seen."""
    a, b, c = d[:3], d[3:5], d[5:]
    return [
        f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}.{b}.{c}", d, f"{a}-{b} {c}", f"{a} {b}-{c}",
        f"{a}--{b}--{c}", f"{a} - {b} - {c}", f"{a}  {b}  {c}", f"{a}- {b} -{c}",
        *(f"{a}{x}{b}{x}{c}" for x in UNICODE_DASHES),
        *(f"{a}{x}{b}{x}{c}" for x in UNICODE_SPACES),
        sprinkle(f"{a}-{b}-{c}", rng), sprinkle(d, rng), f"{a}\u200b{b}\u200b{c}",
        f"{d[:3]} {d[3:6]} {d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}", f"{d[:2]} {d[2:5]} {d[5:]}",
        " ".join(d), "  ".join(d), "-".join(d),
        full_width(f"{a}-{b}-{c}"), full_width(d), f"{a}-{b}-{full_width(c)}",
        spelled(d, rng), spelled(a, rng) + ", " + spelled(b, rng) + ", " + spelled(c, rng),
        spelled(d, rng, "-"), f"{a} {spelled(b, rng)} {c}", spelled(d, rng).upper(),
    ]


def ein_formats(d: str, rng: random.Random) -> list[str]:
    a, b = d[:2], d[2:]
    return [
        f"{a}-{b}", f"{a}.{b}", f"{a} {b}", f"{a} - {b}", d,
        *(f"{a}{x}{b}" for x in UNICODE_DASHES), f"{a}\u00a0{b}", sprinkle(f"{a}-{b}", rng),
        full_width(f"{a}-{b}"),
    ]


def routing_formats(d: str, rng: random.Random) -> list[str]:
    return [
        d, grouped(d, (4, 4), " "), grouped(d, (4, 4), "-"), grouped(d, (3, 3), " "),
        grouped(d, (4, 4), "\u00a0"), grouped(d, (3, 3), "\u2013"), sprinkle(d, rng),
        full_width(d), " ".join(d),
    ]


def account_formats(d: str, rng: random.Random) -> list[str]:
    return [
        d, grouped(d, (4,) * 5, "-"), grouped(d, (4,) * 5, " "), grouped(d, (3,) * 6, " "),
        grouped(d, (4,) * 5, "\u00a0"), sprinkle(d, rng), full_width(d),
    ]


def card_formats(d: str, rng: random.Random) -> list[str]:
    """A 16-digit card written every way we have seen."""
    groups = (4, 4, 4)
    return [
        grouped(d, groups, " "), grouped(d, groups, "-"), grouped(d, groups, "."),
        grouped(d, groups, "  "), grouped(d, groups, " - "), d, grouped(d, (8,), " "),
        *(grouped(d, groups, x) for x in UNICODE_SPACES[:3]),
        grouped(d, groups, "\u2013"), sprinkle(grouped(d, groups, " "), rng), sprinkle(d, rng),
        full_width(grouped(d, groups, "-")), full_width(d),
        d[:4] + " " + d[4:8] + "-" + d[8:12] + " " + d[12:],
        " ".join(d), spelled(d, rng), spelled(d[:8], rng) + ", " + spelled(d[8:], rng),
    ]


def short_card_formats(d: str, rng: random.Random) -> list[str]:
    """13, 15 (American Express) and 19-digit cards."""
    if len(d) == 15:
        return [grouped(d, (4, 6), " "), grouped(d, (4, 6), "-"), d, grouped(d, (4, 6), "\u00a0")]
    return [d, grouped(d, (4, 4, 4, 4), " "), grouped(d, (4, 4, 4, 4), "-")]


def typo_card_formats(d: str, rng: random.Random) -> tuple[list[str], list[str]]:
    """A card with one typo: (formats caught anywhere, formats caught after a card word)."""
    groups = (4, 4, 4)
    anywhere = [
        grouped(d, groups, " "), grouped(d, groups, "-"), grouped(d, groups, "."),
        grouped(d, groups, "\u00a0"), grouped(d, groups, "  "), full_width(grouped(d, groups, " ")),
    ]
    return anywhere, [d, grouped(d, (8,), " "), " ".join(d), sprinkle(d, rng)]


def pin_formats(d: str, rng: random.Random) -> list[str]:
    return [d, f"{d[:3]} {d[3:]}", f"{d[:3]}-{d[3:]}", full_width(d), spelled(d, rng),
            f"{d[:3]}\u00a0{d[3:]}", sprinkle(d, rng)]


def last_four_formats(d: str, rng: random.Random) -> list[str]:
    return [d, full_width(d), spelled(d, rng), " ".join(d), sprinkle(d, rng)]


# ------------------------------------------------------------------------------ templates

SSN_TEMPLATES = (
    "my ssn is {x}", "SSN: {x}", "ssn {x}", "My social security number is {x}.",
    "here is my social {x} can you look up what i owe", "{x} is my social", "{x}", "it's {x}",
    "ITIN {x}", "my itin is {x} and i got a CP504", "Social Security #: {x}", "ss# {x}",
    "my SSN? {x}", "hi, i got letter 1058 and my ssn is {x}, what now?",
    "the notice is for ssn {x} for tax year 2021", "Taxpayer ID {x}", "please check {x} for me",
    "SSN is {x} thanks!!", "ssn:{x}", "(ssn {x})", "my wife's social is {x}",
    "ok here: {x}", "Social: {x}\nName: Pat Doe", "they asked for my tin, it's {x}",
    "SOCIAL SECURITY NUMBER {x}", "is {x} the right format for my ssn?",
)
EIN_TEMPLATES = (
    "EIN {x}", "our ein is {x}", "Employer ID Number: {x}", "business tax id {x}", "FEIN {x}",
    "my company's EIN is {x}, we got a CP161", "{x}", "EIN: {x} (LLC)",
    "the ein {x} is on the notice", "federal tax id number {x}",
)
ROUTING_TEMPLATES = (
    "routing {x}", "routing number {x}", "ABA {x}", "my bank routing number is {x}", "RTN: {x}",
    "{x}", "routing #{x}", "the routing no. is {x}", "Routing: {x}",
    "use routing {x} for the debit",
)
ACCOUNT_TIGHT_TEMPLATES = (
    "account number {x}", "acct # {x}", "acct#{x}", "checking {x}", "savings account {x}",
    "my checking account is {x}", "account no. {x}", "Acct: {x}", "bank account number: {x}",
    "account # is {x}",
)
ACCOUNT_WORDS_TEMPLATES = (
    "my account at Chase is {x}", "my checking at wells fargo is {x}",
    "account with Bank of America: {x}", "the account they should debit is {x}",
    "my account at my credit union is {x}", "my savings at USAA is {x}",
    "the checking account I want to use is {x}", "Chase checking {x}",
)
AFTER_ROUTING_TEMPLATES = (
    "routing {r} and {x}", "{r} {x}", "routing {r}, account {x}", "RTN {r} / acct {x}",
    "direct debit from {r} {x}", "routing number {r} account number {x}",
    "{r}\n{x}", "bank info: {r} and {x}",
)
CARD_TEMPLATES = (
    "my card is {x}", "card number {x}", "can I pay with card {x}?", "visa {x} exp 12/28",
    "{x}", "Credit card: {x}", "debit card {x} cvv 321", "amex {x}",
    "pay it with my mastercard {x} please", "charge {x}", "{x} exp 09/27",
    "here's my credit card {x} for the balance", "CARD {x}",
)
CARD_WORD_TEMPLATES = (
    "my card is {x}", "card number {x}", "visa {x} exp 12/28", "Credit card: {x}",
    "debit card {x}", "pay with my mastercard {x}",
)
PIN_TEMPLATES = (
    "my IP PIN is {x}", "IP PIN: {x}", "identity protection pin {x}", "ip pin {x}", "pin {x}",
    "PIN# {x}", "the irs sent my ip pin, it is {x}", "my 2024 IP PIN is {x}",
    "Identity Protection PIN: {x}", "ippin {x}",
)
LAST_FOUR_TEMPLATES = (
    "last four {x}", "last 4 of my ssn is {x}", "the last four digits of my social are {x}",
    "my ssn ends in {x}", "SSN ending with {x}", "XXX-XX-{x}", "***-**-{x}", "last four: {x}",
    "Last 4: {x}", "my social security number ends with {x}",
)
SPLIT_TEMPLATES = (
    "first five {a}, last four {b}", "First 5: {a}. Last 4: {b}",
    "the first five digits of my ssn are {a} and the last four are {b}",
    "my social starts with {a} and ends with {b}", "ssn first 5 {a} last 4 {b}",
    "first five of my social is {a}\nlast four is {b}",
)
SPLIT_THREE_TEMPLATES = (
    "first three {a}, middle two {m}, last four {b}",
    "first 3 is {a} middle 2 is {m} last 4 is {b}",
)
# Long messages with harmless numbers around the identifier ({x}: the kind's own templates).
MIXED_TEMPLATES = (
    "I got a CP504 dated {date} saying I owe {amount} for {years}. {x}. Call me at {phone}.",
    "Letter 1058 came {date}, balance {amount}, {x}, my cell is {phone}",
    "hi, notice CP14 for {years} ({amount}); {x}; you can text {phone} after 5pm",
    "{x}\nthe LT11 is dated {date} and says {amount}\nphone: {phone}",
    "ok so. {x} and the letter says {amount} due by {date} for tax years {years}",
)
MIXED_KIND_TEMPLATES = {
    "ssn": ("my ssn is {x}", "SSN: {x}", "{x} is my social"),
    "ein": ("our EIN is {x}", "EIN {x}"),
    "routing": ("routing {x}", "my routing number is {x}"),
    "account": ("my account number is {x}", "checking account {x}", "acct # {x}"),
    "card": ("my card is {x}", "card number {x}", "visa {x}"),
    "ip_pin": ("my IP PIN is {x}", "ip pin {x}"),
    "partial_ssn": ("last four of my ssn {x}", "last 4: {x}"),
}
PREFIXES = ("", "", "", "hi ", "Hello! ", "ok ", "sure, ", "um ")
SUFFIXES = ("", "", "", ".", "!", " thanks", " thank you", "?", " pls help")


def _dress(template: str, rng: random.Random) -> str:
    """A template the way people type it: a greeting, a thank you, all lower case."""
    text = rng.choice(PREFIXES) + template + rng.choice(SUFFIXES)
    return text.lower() if rng.random() < 0.2 else text


def _clash(secrets: tuple[str, ...], template: str) -> bool:
    """Whether the template's own digits hold a piece of a secret (the check would misfire)."""
    own = re.sub(r"\{\w\}", " ", template)
    own_digits = re.findall(r"[0-9]+", re.sub(r"[\s.\-]", "", own))
    return any(
        secret[i : i + 4] in run
        for secret in secrets
        for i in range(max(1, len(secret) - 3))
        for run in own_digits
    )


def _case(template: str, values: dict[str, str], kind: str, rng: random.Random) -> Sensitive:
    dressed = _dress(template, rng)
    text = dressed.format(**values)
    shape = dressed.format(**{key: SLOT for key in values})
    secrets = tuple(digits_of(value) for value in values.values())
    return Sensitive(text, kind, secrets, shape, "generated")


def _cases(
    kind: str,
    secret: Callable[[random.Random], str],
    formats: Callable[[str, random.Random], list[str]],
    templates: tuple[str, ...],
    rng: random.Random,
    per_format: int,
) -> Iterator[Sensitive]:
    """Every format of a fresh identifier, each in ``per_format`` random templates."""
    for _ in range(2):
        digits = secret(rng)
        for value in formats(digits, rng):
            for template in rng.sample(templates, per_format):
                while _clash((digits,), template):
                    template = rng.choice(templates)
                yield _case(template, {"x": value}, kind, rng)


def generated_sensitive() -> list[Sensitive]:
    """The generated sensitive messages (same list on every run)."""
    rng = random.Random(SEED)
    cases: list[Sensitive] = []
    cases += _cases("ssn", fake_ssn, ssn_formats, SSN_TEMPLATES, rng, 5)
    cases += _cases("ein", lambda r: f"{r.randint(10, 99)}{random_digits(r, 7)}", ein_formats,
                    EIN_TEMPLATES, rng, 5)
    cases += _cases("routing", fake_routing, routing_formats, ROUTING_TEMPLATES, rng, 5)
    cases += _cases("account", lambda r: str(r.randint(1, 9)) + random_digits(r, r.randint(3, 16)),
                    account_formats, ACCOUNT_TIGHT_TEMPLATES, rng, 4)
    cases += _cases("account", lambda r: str(r.randint(1, 9)) + random_digits(r, r.randint(6, 16)),
                    account_formats, ACCOUNT_WORDS_TEMPLATES, rng, 4)
    for _ in range(40):
        routing = fake_routing(rng)
        account = str(rng.randint(1, 9)) + random_digits(rng, rng.randint(6, 14))
        template = rng.choice(AFTER_ROUTING_TEMPLATES)
        cases.append(_case(template, {"r": routing, "x": account}, "account", rng))
    test_cards = ("4111111111111111", "5555555555554444", "6011111111111117", "4012888888881881")
    card_prefixes = ("4", "51", "53", "55", "2221", "2720", "6011", "65")
    for number in (*test_cards, *(fake_card(rng, rng.choice(card_prefixes), 16) for _ in range(4))):
        for value in card_formats(number, rng):
            for template in rng.sample(CARD_TEMPLATES, 3):
                cases.append(_case(template, {"x": value}, "card", rng))
    for prefix, length in (("34", 15), ("37", 15), ("4", 13), ("62", 19), ("6011", 19)):
        number = fake_card(rng, prefix, length)
        for value in short_card_formats(number, rng):
            for template in rng.sample(CARD_TEMPLATES, 3):
                cases.append(_case(template, {"x": value}, "card", rng))
    for _ in range(6):
        number = with_typo(fake_card(rng, rng.choice(card_prefixes), 16), rng)
        anywhere, after_word = typo_card_formats(number, rng)
        for value in anywhere:
            for template in rng.sample(CARD_TEMPLATES, 2):
                cases.append(_case(template, {"x": value}, "card_typo", rng))
        for value in after_word:
            for template in rng.sample(CARD_WORD_TEMPLATES, 2):
                cases.append(_case(template, {"x": value}, "card_typo", rng))
    cases += _cases("ip_pin", lambda r: random_digits(r, 6), pin_formats, PIN_TEMPLATES, rng, 6)
    cases += _cases("partial_ssn", lambda r: f"{r.randint(1, 9999):04d}", last_four_formats,
                    LAST_FOUR_TEMPLATES, rng, 6)
    for _ in range(30):
        ssn = fake_ssn(rng)
        template = rng.choice(SPLIT_TEMPLATES)
        cases.append(_case(template, {"a": ssn[:5], "b": ssn[5:]}, "ssn_split", rng))
        template = rng.choice(SPLIT_THREE_TEMPLATES)
        cases.append(_case(template, {"a": ssn[:3], "m": ssn[3:5], "b": ssn[5:]}, "ssn_split", rng))
    cases += _mixed_cases(rng)
    return [case for case in cases if not _clash(case.secrets, case.shape.replace(SLOT, " "))]


def _mixed_cases(rng: random.Random) -> Iterator[Sensitive]:
    """Identifiers inside long messages full of harmless numbers."""
    secrets: dict[str, Callable[[random.Random], str]] = {
        "ssn": fake_ssn,
        "ein": lambda r: f"{r.randint(10, 99)}{random_digits(r, 7)}",
        "routing": fake_routing,
        "account": lambda r: str(r.randint(1, 9)) + random_digits(r, r.randint(7, 14)),
        "card": lambda r: fake_card(r, "4", 16),
        "ip_pin": lambda r: random_digits(r, 6),
        "partial_ssn": lambda r: f"{r.randint(1, 9999):04d}",
    }
    formats: dict[str, Callable[[str, random.Random], list[str]]] = {
        "ssn": ssn_formats, "ein": ein_formats, "routing": routing_formats,
        "account": account_formats, "card": card_formats, "ip_pin": pin_formats,
        "partial_ssn": last_four_formats,
    }
    for kind, templates in MIXED_KIND_TEMPLATES.items():
        for _ in range(20):
            value = rng.choice(formats[kind](secrets[kind](rng), rng))
            inner = rng.choice(templates)  # its "{x}" is kept for _case to fill
            template = rng.choice(MIXED_TEMPLATES).format(x=inner, **_harmless_fillers(rng))
            yield _case(template, {"x": value}, kind, rng)


def _harmless_fillers(rng: random.Random) -> dict[str, str]:
    month, day, year = rng.randint(1, 12), rng.randint(1, 28), rng.randint(2024, 2026)
    first = rng.randint(2015, 2021)
    return {
        "date": rng.choice((f"{month:02d}/{day:02d}/{year}", f"{year}-{month:02d}-{day:02d}")),
        "amount": rng.choice((f"${rng.randint(1000, 99999):,}.{rng.randint(0, 99):02d}",
                              f"{rng.randint(1000, 99999)} dollars")),
        "years": rng.choice((f"{first} {first + 1} {first + 2}", f"{first} and {first + 1}")),
        "phone": rng.choice(_phone_formats(_phone(rng), rng)[:9]),
    }


# ------------------------------------------------------------------------------ ordinary


def _phone(rng: random.Random) -> str:
    return f"{rng.randint(2, 9)}{random_digits(rng, 2)}5550{rng.randint(100, 199)}"


def _phone_formats(d: str, rng: random.Random) -> list[str]:
    a, b, c = d[:3], d[3:6], d[6:]
    return [
        f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", d, f"+1 {a} {b} {c}", f"+1{d}",
        f"1-{a}-{b}-{c}", f"1 ({a}) {b}-{c}", f"{a} {b} {c}", f"{a}\u2013{b}\u2013{c}",
        f"({a})\u00a0{b}\u2011{c}", full_width(f"{a}-{b}-{c}"), f"{a}-{b}-{c} ext 12",
    ]


CERTIFIED_PREFIXES = ("9400", "9407", "9205", "9270", "9202", "7019", "7020", "7021", "7022")
ORDINARY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "phone": (
        "call me at {x}", "my phone is {x}", "you can reach me at {x} after 5pm", "{x}",
        "text {x} please", "The IRS number on my notice is {x}", "my number is {x}",
        "best number: {x}", "cell {x}", "is {x} really the IRS?",
    ),
    "date": (
        "I got a CP504 dated {x}", "the notice date is {x}", "{x}", "they said respond by {x}",
        "my letter is dated {x}, is it too late?", "deadline {x}", "I was born {x}",
    ),
    "amount": (
        "I owe {x}", "the balance is {x}", "they say I owe {x} for 2021",
        "can I pay {x} a month", "{x}", "CP14 says {x}", "is {x} too much to settle for",
    ),
    "years": (
        "unfiled years {x}", "I didn't file {x}", "tax years {x}", "{x}",
        "the notices are for {x}", "back taxes for {x}",
    ),
    "zip": (
        "{x}", "my address is 12 Elm St, {x}", "zip {x}", "I live in {x}", "mail goes to {x}",
    ),
    "certified": (
        "certified mail {x}", "USPS tracking {x}", "the LT11 came certified mail {x}", "{x}",
        "tracking number {x}", "it came by certified mail, number {x}",
        "Letter 1058 certified mail article number {x}",
    ),
    "case": (
        "case number {x}", "my ticket is {x}", "reference {x}", "confirmation number {x}",
        "DLN {x}", "Caller ID {x}", "case # {x}", "the submission id is {x}",
    ),
}
ORDINARY_PLAIN = (
    "form 433-F", "Form 9465", "form 12153", "1040-X", "Form 1040X for 2022", "form 8821 and 2848",
    "Form 433-A (OIC)", "Form 656", "Publication 594", "Pub 1660", "CP504", "LTR1058",
    "letter 1058", "LT11", "CP 2000", "notice CP501", "Letter 3172", "CP14 and CP501 and CP503",
    "9:30", "after 5pm", "my 401k", "2nd notice", "I have 3 kids", "12.5%", "page 2 of 4",
    "1111 Constitution Ave NW, Washington, DC 20224",
    "Internal Revenue Service, Kansas City, MO 64999-0010",
    "PO Box 931000, Louisville, KY 40293-1000", "123 Main St Apt 4B, Springfield IL 62704",
    "Austin TX 73301-0023", "Ogden, UT 84201-0039",
)


def _ordinary_values(kind: str, rng: random.Random) -> list[str]:
    """Harmless numbers of one kind, written several ways."""
    if kind == "phone":
        return [value for _ in range(3) for value in _phone_formats(_phone(rng), rng)]
    if kind == "date":
        year, month, day = rng.randint(2015, 2027), rng.randint(1, 12), rng.randint(1, 28)
        return [
            f"{month:02d}/{day:02d}/{year}", f"{year}-{month:02d}-{day:02d}",
            f"{year}{month:02d}{day:02d}", f"{month:02d}-{day:02d}-{year}",
            f"{month:02d}.{day:02d}.{year}", f"{month:02d} {day:02d} {year}",
            f"{month}/{day}/{year % 100:02d}", f"Nov {day}, {year}", f"{day} November {year}",
            f"{year}\u2013{month:02d}\u2013{day:02d}", f"{month:02d}\u00a0{day:02d}\u00a0{year}",
        ]
    if kind == "amount":
        whole = rng.randint(1000, 999999)
        return [
            f"${whole:,}.{rng.randint(0, 99):02d}", f"{whole}", f"${whole}", f"{whole:,}",
            f"$ {whole:,}", f"{whole}.{rng.randint(10, 99)} dollars", f"${whole * 13:,}.07",
            f"{whole / 1000:.1f}k", f"${rng.randint(100, 999)}/month", f"{whole} USD",
        ]
    if kind == "years":
        first = rng.randint(2010, 2020)
        years = [str(year) for year in range(first, first + rng.randint(2, 7))]
        return [
            " ".join(years), "  ".join(years), ", ".join(years), f"{years[0]}-{years[-1]}",
            f"{years[0]} \u2013 {years[-1]}", "\u00a0".join(years), " / ".join(years),
            " and ".join(years), ", ".join(years[:-1]) + " and " + years[-1],
        ]
    if kind == "zip":
        zip5, plus4 = f"{rng.randint(10000, 99999)}", f"{rng.randint(1, 9999):04d}"
        state = rng.choice(("CA", "TX", "NY", "FL", "GA", "WA", "MO"))
        return [
            f"Springfield, {state} {zip5}-{plus4}", f"{state} {zip5}{plus4}",
            f"zip {zip5}{plus4}", f"zip code {zip5} {plus4}", f"{zip5}-{plus4}", zip5,
            f"{state} {zip5}\u2013{plus4}", f"California {zip5}{plus4}",
        ]
    if kind == "certified":
        prefix = rng.choice(CERTIFIED_PREFIXES)
        twenty = prefix + random_digits(rng, 15)
        twenty = twenty + usps_check_digit(twenty)
        twenty_two = prefix + random_digits(rng, 17)
        twenty_two = twenty_two + usps_check_digit(twenty_two)
        other = str(rng.randint(1, 6)) + random_digits(rng, 19)
        return [
            grouped(twenty, (4,) * 5, " "), twenty, grouped(twenty_two, (4,) * 5, " "), twenty_two,
            grouped(twenty_two, (4,) * 5, "\u00a0"), grouped(other, (4,) * 5, " "),
        ]
    # case, ticket, reference numbers of the lengths the IRS prints
    return [
        random_digits(rng, 6), random_digits(rng, 7), random_digits(rng, 8),
        random_digits(rng, 10), random_digits(rng, 12), fake_card(rng, "4", 16),
        random_digits(rng, 14), f"{random_digits(rng, 5)}-{random_digits(rng, 3)}-"
        f"{random_digits(rng, 5)}-{random_digits(rng, 1)}",
    ]


def generated_ordinary() -> list[str]:
    """The generated ordinary messages (same list on every run)."""
    rng = random.Random(SEED + 1)
    messages: list[str] = []
    for kind, templates in ORDINARY_TEMPLATES.items():
        for _ in range(2):
            for value in _ordinary_values(kind, rng):
                template = rng.choice(templates)
                if kind == "certified" and not value.startswith(("7", "9")):
                    template = rng.choice([t for t in templates if t != "{x}"])
                messages.append(_dress(template, rng).format(x=value))
    messages += [_dress(text, rng) for text in ORDINARY_PLAIN]
    return messages


FILLER_WORDS = (
    "i", "got", "a", "the", "notice", "letter", "from", "irs", "and", "they", "say", "owe", "for",
    "my", "tax", "years", "please", "help", "what", "do", "now", "call", "me", "at", "can", "pay",
    "plan", "by", "dated", "balance", "due", "form", "number", "page", "line", "code", "on",
    "in", "with", ",", ".", ";", "\n",
)


def side_by_side_ordinary(count: int = 2000) -> list[str]:
    """Harmless numbers of every kind run together, often with nothing but a space between
    them ("2014 and 2015 and 2016\n18294", "TX 75048-9562 780-555-0128"): a stress test."""
    rng = random.Random(SEED + 2)
    kinds = ("phone", "date", "amount", "years", "zip", "certified")
    messages = []
    for _ in range(count):
        pieces: list[str] = []
        for _ in range(rng.randint(2, 5)):
            pieces += rng.sample(FILLER_WORDS, rng.randint(0, 3))
            if rng.random() < 0.15:
                pieces.append(rng.choice(ORDINARY_PLAIN))
            else:
                # the sixth certified-mail number only goes with a tracking word
                pieces.append(rng.choice(_ordinary_values(rng.choice(kinds), rng)[:5]))
        messages.append(" ".join(pieces))
    return messages


# ------------------------------------------------------------------------------ hand-written

_MARK_RE = re.compile(r"\[\[(?P<kind>\w+):(?P<value>.*?)\]\]", re.DOTALL)


def _handwritten_case(marked: str) -> Sensitive:
    marks = list(_MARK_RE.finditer(marked))
    text = _MARK_RE.sub(lambda m: m.group("value"), marked)
    shape = _MARK_RE.sub(SLOT, marked)
    kinds = [m.group("kind") for m in marks]
    return Sensitive(
        text, kinds[0], tuple(digits_of(m.group("value")) for m in marks), shape, "hand-written"
    )


def handwritten() -> tuple[list[Sensitive], list[str]]:
    """The hand-written sensitive and ordinary messages."""
    data = yaml.safe_load(HANDWRITTEN.read_text(encoding="utf-8"))
    return [_handwritten_case(text) for text in data["sensitive"]], list(data["ordinary"])


def sensitive_corpus() -> list[Sensitive]:
    """Every sensitive message, generated and hand-written."""
    return generated_sensitive() + handwritten()[0]


def ordinary_corpus() -> list[str]:
    """Every ordinary message, generated and hand-written."""
    return generated_ordinary() + handwritten()[1]
