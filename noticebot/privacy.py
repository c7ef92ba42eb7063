"""Spotting and removing SSNs, EINs, bank and card numbers and IP PINs before text is stored.

A message goes through three steps:

1. Normalize (``_Normalized``): Unicode spaces and dashes become " " and "-", invisible
   characters (zero-width space, soft hyphen...) go, full-width and other Unicode digits become
   ASCII digits, and runs of spelled digits ("two three six six ...") become digits. Every
   normalized character remembers which original characters it came from.
2. Detect: each detector returns (start, end, kind) spans in normalized coordinates. Those of
   ``_NUMBER_DETECTORS`` look at the message's numbers (``_Number``: digit groups joined by
   spaces, dashes, dots or slashes) and at the nearest keyword before each one ("routing",
   "my account at Chase is"...); a run of groups in which nothing was found as a whole is then
   looked at again in parts ("022064642 4046777401"). Those of ``_TEXT_DETECTORS`` look for
   phrases ("last four 3043"). The harmless numbers people type (years, dates, ZIP+4, phone and
   certified-mail numbers, amounts, notice and form numbers) are recognized and left alone.
   Matching is done on a lower-cased copy with case-sensitive patterns (much faster in ``re``).
3. Merge and replace: the leftmost-longest span wins (the more specific kind on a tie); each one
   is replaced, on the original characters, by its placeholder; everything else is kept byte for
   byte. Placeholders hold no digits, so redacting twice changes nothing.

This module is part of the domain layer: it never imports Rasa.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# The user message metadata key where the input channels list the kinds they removed.
REDACTED_METADATA_KEY = "redacted"
# "ssn" covers ITINs too; "partial_ssn" is the last four (or first five) digits of one.
REDACTION_KINDS = ("ssn", "ein", "routing", "account", "card", "ip_pin", "partial_ssn")
# Placeholders hold no digits, so redacting twice changes nothing.
PLACEHOLDERS: dict[str, str] = {
    "ssn": "[SSN removed]",
    "ein": "[EIN removed]",
    "routing": "[routing number removed]",
    "account": "[account number removed]",
    "card": "[card number removed]",
    "ip_pin": "[IP PIN removed]",
    "partial_ssn": "[partial SSN removed]",
}
# Which kind wins when two detectors claim the same stretch of text.
_PRIORITY = {kind: rank for rank, kind in enumerate(
    ("ssn", "ein", "card", "routing", "account", "ip_pin", "partial_ssn"))}

# How far (in characters, from its end to the number's start) each kind of keyword reaches.
# "bank" is a bank's name, "zip" a ZIP word or a state, "ref" a case, ticket, tracking or
# certified-mail word, "phone" a phone word, "other" a word that makes a number harmless
# (balance, owe, dated, notice, form, year...).
KEYWORD_REACH: dict[str, int] = {
    "ssn": 40,
    "ein": 40,
    "routing": 40,
    "account": 48,
    "bank": 40,
    "card": 40,
    "pin": 24,
    "zip": 16,
    "ref": 40,
    "phone": 40,
    "other": 32,
}
_MAX_REACH = max(KEYWORD_REACH.values())
# How far back a "first five ... last four" or "ssn ... ends in" phrase looks for its SSN word.
SSN_PHRASE_REACH = 80

CARD_DIGITS = range(13, 20)  # card numbers are 13 to 19 digits long
ACCOUNT_DIGITS = range(4, 20)  # right after an account word ("acct # 1234-5678-90")
ACCOUNT_DIGITS_AFTER_WORDS = range(7, 20)  # a few words after one ("account at Chase is ...")
IP_PIN_DIGITS = 6
PIN_DIGITS = range(4, 7)  # right after a PIN word: other PINs have 4 or 5 digits
# USPS certified-mail and tracking numbers: their lengths, and how each length starts.
_IMPB = ("92", "93", "94", "95")
TRACKING_PREFIXES = {
    20: ("70", "71", *_IMPB), 22: ("70", "71", *_IMPB), 26: ("420", *_IMPB), 30: ("420",),
    34: ("420",),
}
TRACKING_DIGITS = tuple(TRACKING_PREFIXES)
MAX_NUMBER_DIGITS = max(CARD_DIGITS[-1], ACCOUNT_DIGITS[-1])  # longest part of a run looked at
MAX_PART_GROUPS = 24  # a longer run of groups is not split in parts
MIN_NUMBER_DIGITS = 4  # the fewest digits any detector of numbers looks at
# Four-digit groups read as tax years in a list ("unfiled years 2017 2018 2019 2020").
YEARS = range(1990, 2040)
DATE_YEARS = range(1900, 2100)


@dataclass(frozen=True)
class Redaction:
    """The text with every sensitive number replaced, and which kinds were found."""

    text: str
    kinds: tuple[str, ...]

    @property
    def found(self) -> bool:
        """Whether anything was redacted."""
        return bool(self.kinds)


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check used by payment cards."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def aba_valid(digits: str) -> bool:
    """Whether nine digits pass the ABA routing-number checksum."""
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


# ------------------------------------------------------------------------------ normalizing

_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63"
_INVISIBLE = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# One character for one (spaces, dashes, full-width ASCII), or none (invisible characters).
_CHAR_TABLE: dict[int, str | None] = {
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
    **{ord(char): " " for char in _SPACES},
    **{ord(char): "-" for char in _DASHES},
    **{ord(char): None for char in _INVISIBLE},
}
_NON_ASCII_DIGIT_RE = re.compile(r"(?![0-9])\d")  # \d is any Unicode decimal digit

_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
_SPELLED_TOKEN = r"(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|[0-9]+)(?![a-z0-9])"
_SPELLED_TOKEN_RE = re.compile(_SPELLED_TOKEN)
# Four or more digit words or numbers in a row, joined by spaces, commas or dashes.
_SPELLED_RUN_RE = re.compile(
    rf"(?<![a-z0-9]){_SPELLED_TOKEN}(?:[ ,\-]{{1,3}}{_SPELLED_TOKEN}){{3,}}"
)
_LETTER_RE = re.compile(r"[a-z]")
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def _lowered(text: str) -> str:
    """The text in lower case, character for character (positions stay the same)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class _Normalized:
    """A message made plain for matching, and where each of its characters came from."""

    text: str
    starts: list[int] | None = None  # original start of each character; None: the same
    ends: list[int] | None = None  # original end of each character

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for a span of the normalized text."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.decimal(match.group()))


def _plain_characters(text: str) -> _Normalized:
    """Unicode spaces, dashes, invisible characters and digits made plain (step 1)."""
    if text.isascii():
        return _Normalized(text)
    plain = text.translate(_CHAR_TABLE)
    if not plain.isascii():
        plain = _NON_ASCII_DIGIT_RE.sub(_ascii_digit, plain)
    if len(plain) == len(text):
        return _Normalized(plain)
    kept = [index for index, char in enumerate(text) if char not in _INVISIBLE]
    return _Normalized(plain, kept, [index + 1 for index in kept])


def _spelled_digits(source: _Normalized) -> _Normalized:
    """Runs of spelled digits ("two three six", "236 six two 4588") as digits (step 2).

    Each digit word becomes one digit, and whatever joins two tokens of the run (", ", " - ")
    one space, both mapped back to the original characters they stand for.
    """
    text = source.text
    lowered = _lowered(text)
    runs = [m for m in _SPELLED_RUN_RE.finditer(lowered) if _LETTER_RE.search(m.group())]
    if not runs:
        return source
    starts = source.starts if source.starts is not None else list(range(len(text)))
    ends = source.ends if source.ends is not None else list(range(1, len(text) + 1))
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []

    def copy(start: int, end: int) -> None:
        pieces.append(text[start:end])
        new_starts.extend(starts[start:end])
        new_ends.extend(ends[start:end])

    def put(char: str, start: int, end: int) -> None:
        pieces.append(char)
        new_starts.append(starts[start])
        new_ends.append(ends[end - 1])

    position = 0
    for run in runs:
        copy(position, run.start())
        previous_end = -1
        for token in _SPELLED_TOKEN_RE.finditer(lowered, run.start(), run.end()):
            if previous_end >= 0:
                put(" ", previous_end, token.start())
            word = token.group()
            if word.isdigit():
                copy(token.start(), token.end())
            else:
                put(_DIGIT_WORDS[word], token.start(), token.end())
            previous_end = token.end()
        position = run.end()
    copy(position, len(text))
    return _Normalized("".join(pieces), new_starts, new_ends)


def _normalize(text: str) -> _Normalized:
    """The message made plain for matching, with its map back to the original."""
    return _spelled_digits(_plain_characters(text))


# ------------------------------------------------------------------------------ keywords

_STATE_CODES = (  # ID, IN, ME, OK, OR and HI are left out: they are also words
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|IL|IA|KS|KY|LA|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    "ND|OH|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_NAMES = (
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
    "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas",
    "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
    "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire", "new jersey",
    "new mexico", "new york", "north carolina", "north dakota", "ohio", "oklahoma", "oregon",
    "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas", "utah",
    "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming", "puerto rico",
)
# The keywords of each kind, in lower case; a space stands for any run of white space. The
# longest phrase wins ("bank account" is an account word, "bank" alone a bank's name).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ssn": (
        "ssn", "ssns", "ss#", "ss #", "ss no", "ss num", "ss number", "soc sec", "soc sec #",
        "soc sec no", "soc sec number", "social", "social #", "social no", "social number",
        "social security", "social security #", "social security no", "social security num",
        "social security number", "itin", "itins", "tin", "tins", "taxpayer id",
        "taxpayer id number", "taxpayer identification", "taxpayer identification number",
        "taxpayer number", "tax payer id", "tax id", "tax id number",
    ),
    "ein": (
        "ein", "eins", "fein", "feins", "employer id", "employer id #", "employer id no",
        "employer id number", "employer identification", "employer identification number",
        "employer identification no", "business tax id", "business tax id number",
        "federal tax id", "federal tax id number",
    ),
    "routing": (
        "routing", "routing #", "routing no", "routing num", "routing number", "aba", "rtn",
        "transit", "transit number",
    ),
    "pin": (
        "identity protection pin", "identity protection personal identification number",
        "ip pin", "ip pins", "ippin", "ippins", "ip-pin", "ip-pins", "self select pin",
        "self-select pin", "pin", "pins",
    ),
    "account": (
        "bank account", "account", "accounts", "acct", "accnt", "acc", "a/c", "checking",
        "chequing", "savings", "iban",
    ),
    "bank": (
        "bank of america", "bofa", "chase", "wells fargo", "citi", "citibank", "pnc", "capital one",
        "td bank", "us bank", "truist", "usaa", "navy federal", "fifth third", "huntington",
        "credit union", "chime", "ally bank", "bank", "banks",
    ),
    # Not "debit" or "credit" alone: "the account they should debit", "tax credit".
    "card": (
        "credit card", "credit cards", "debit card", "debit cards", "card", "cards", "visa",
        "mastercard", "master card", "amex", "american express", "discover", "cc", "cvv", "cvc",
    ),
    "zip": ("zip", "zip code", "zipcode", "postal", "postal code", *_STATE_NAMES),
    "ref": (
        "case", "ticket", "reference", "ref", "confirmation", "conf", "dln", "submission",
        "submission id", "tracking", "track", "certified", "usps", "mail", "mailed", "mailing",
        "fedex", "ups", "article", "receipt", "control", "serial", "order", "invoice",
        "caller id", "employee id", "badge", "acknowledgement", "acknowledgment", "eft", "trace",
    ),
    "phone": (
        "phone", "phones", "cell", "cellphone", "mobile", "call", "called", "calling", "text",
        "fax", "tel", "telephone", "contact", "reach", "whatsapp", "ext", "extension", "dial",
        "dialed",
    ),
    "other": (
        "balance", "owe", "owed", "owes", "owing", "amount", "due", "total", "paid", "pay",
        "pays", "paying", "payment", "payments", "refund", "refunds", "penalty", "penalties",
        "interest", "dollar", "dollars", "usd", "bucks", "show", "shows", "says", "date", "dated",
        "dob", "born", "birthday", "birth", "opened", "closed", "notice", "notices", "letter",
        "letters", "form", "forms", "page", "line", "box", "schedule", "publication",
        "publications", "pub", "cp", "ltr", "irc", "section", "year", "years", "yr", "yrs",
    ),
}
_KEYWORD_KIND = {phrase: kind for kind, phrases in _KEYWORDS.items() for phrase in phrases}
# Keywords are looked for only where a word starting one begins (much faster than everywhere).
_WORD_RE = re.compile(r"[a-z]+")
_FIRST_WORDS = frozenset(_WORD_RE.match(phrase).group() for phrase in _KEYWORD_KIND)  # type: ignore[union-attr]
_KEYWORD_RE = re.compile(
    "(?:"
    + "|".join(
        r"\s+".join(re.escape(word) for word in phrase.split(" "))
        for phrase in sorted(_KEYWORD_KIND, key=len, reverse=True)
    )
    + r")(?![a-z])"
)
# State codes are also words ("OR", "IN"): they count only in capitals.
_STATE_CODES_SET = frozenset(_STATE_CODES.split("|"))
_CAPITALS_RE = re.compile(r"[A-Z]{2,}")
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p.lower()) for p in PLACEHOLDERS.values()))
# Between an account (or PIN, ZIP...) word and its number: only "number", "no.", "#", "is"...
_TIGHT_GAP_RE = re.compile(
    r"[\s:#=.,()\-]*(?:(?:numbers?|num|nbr|nos?|is|was|are|its|it's|ending\s+in|ends\s+in|code)"
    r"(?![a-z])[\s:#=.,()\-]*)*"
)
_NUMBER_OR_PLACEHOLDER_RE = re.compile(r"[0-9]|" + _PLACEHOLDER_RE.pattern)
# A new sentence (". My phone is..."), though not after "no.", "acct." and the like.
_SENTENCE_END_RE = re.compile(
    r"(?<!\b[Nn]o)(?<!\b[Nn]um)(?<!\b[Nn]br)(?<!\b[Aa]cct)(?<!\b[Aa]cc)(?<!\b[Ss]s)(?<!\b[Ss]oc)"
    r"(?<!\b[Ss]ec)[.!?]+\s+(?=[A-Z])"
)
# "... is my social", "... (my ssn)" right after a number.
_SSN_AFTER_RE = re.compile(
    r"[\s,:=()\-]*(?:(?:is|was|my|the|his|her|our|their)(?![a-z])[\s,:=()\-]*)*"
    r"(?:ssn|ss#|social|itin)(?![a-z])"
)


@dataclass(frozen=True)
class _Keyword:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class _Anchor:
    """The nearest keyword before a number, and what stands between them."""

    kind: str
    tight: bool  # only connector words between: "acct no. 1234", "IP PIN: 123456"
    after_number: bool  # another number (or placeholder) stands between: "routing 0220... and"


# ------------------------------------------------------------------------------ numbers

# Digit groups joined by 1-3 spaces (a line break is one), 1-3 dashes (with spaces around them
# or not), one dot or one slash (11/09/2026 then reads as a date, 236/62/4588 as an SSN).
_SEPARATOR = r"(?:\s{1,3}(?:-{1,3}\s{0,3})?|-{1,3}\s{0,3}|[./](?=[0-9]))"
_RUN_RE = re.compile(rf"[0-9]+(?:{_SEPARATOR}[0-9]+)*")
_GROUP_RE = re.compile(r"[0-9]+")
_DIGIT_RE = re.compile(r"[0-9]")
# Numbers never looked at: links, e-mail addresses and amounts. Amounts: $12,480.55, $ 123456789,
# 12,480, 12480.55, 12480 dollars (the pattern starts with [$0-9] so that re skips fast).
_AMOUNT_RE = re.compile(
    r"[$0-9](?:"
    r"(?<=\$)\s?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?(?![\-.]?[0-9])"
    r"|(?<![0-9,.][0-9])(?<=[0-9])(?:"
    r"[0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![,.]?[0-9])"
    r"|[0-9]*\.[0-9]{2}(?!\.?[0-9])"
    r"|[0-9,.]*\s?(?:dollars?|usd|bucks)(?![a-z])))"
)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]+(?:\.[\w\-]+)+")
_LETTER_AFTER_RE = re.compile(r"-?[a-z]")
CODE_DIGITS = 8  # a number glued to letters (CP504, LTR1058, 1040X, 433-F) is a code up to this


class _Number:
    """A run of digit groups, or a part of one; positions in the normalized text."""

    __slots__ = ("anchor", "digits", "end", "groups", "look", "part", "shape", "start")

    def __init__(
        self,
        start: int,
        end: int,
        groups: tuple[str, ...],
        anchor: _Anchor | None,
        part: str = "",
    ) -> None:
        self.start = start
        self.end = end
        self.groups = groups
        self.digits = "".join(groups)  # without separators
        self.shape = tuple(len(group) for group in groups)  # (3, 2, 4) for 236-62-4588
        self.anchor = anchor
        self.look = _look(groups, self.digits, self.shape)
        # "" for a whole run; "part" for a part of one where nothing was found whole; "rest"
        # for a part of one holding a harmless stretch ("091-457-060 17796-3136")
        self.part = part


def _is_year(group: str) -> bool:
    return len(group) == 4 and int(group) in YEARS


def _is_month_day(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _is_date(groups: tuple[str, ...]) -> bool:
    """11-09-2026, 11/09/2026, 11 09 2026, 2026-11-09, 20261109, 11092026."""
    if len(groups) == 1 and len(groups[0]) == 8:
        d = groups[0]
        return (int(d[:4]) in DATE_YEARS and _is_month_day(d[4:6], d[6:])) or (
            int(d[4:]) in DATE_YEARS
            and (_is_month_day(d[:2], d[2:4]) or _is_month_day(d[2:4], d[:2]))
        )
    if len(groups) != 3:
        return False
    first, second, third = groups
    if len(first) == 4:
        return int(first) in DATE_YEARS and len(second) <= 2 and _is_month_day(second, third)
    if len(first) > 2 or len(second) > 2:
        return False
    if len(third) in (2, 4) and (len(third) == 2 or int(third) in DATE_YEARS):
        return _is_month_day(first, second) or _is_month_day(second, first)
    return False


def _is_time(digits: str) -> bool:
    """HHMMSS."""
    return int(digits[:2]) < 24 and int(digits[2:4]) < 60 and int(digits[4:]) < 60


def _is_nanp(digits: str) -> bool:
    """A North American phone number's ten digits: area code and exchange not starting 0/1."""
    return len(digits) == 10 and digits[0] not in "01" and digits[3] not in "01"


# How people group a phone number: 2025550143, 202 555 0143, 202 5550143, 1 202 555 0143.
_PHONE_SHAPES = ((10,), (3, 3, 4), (3, 7), (11,), (1, 3, 3, 4), (1, 10))


def _look(groups: tuple[str, ...], digits: str, shape: tuple[int, ...]) -> str | None:
    """What a number looks like when it is one of the harmless numbers people type."""
    if len(groups) > 1 and all(_is_year(group) for group in groups):
        return "years"  # unfiled years 2017 2018 2019 2020; 2017-2020
    if _is_date(groups):
        return "date"
    if shape == (5, 4):
        return "zip"  # 90012-3456, 90012 3456
    if shape == (5, 3, 5, 1):
        return "dln"  # an IRS document locator number: 28221-123-45678-2
    if shape == (8, 6) and _is_date(groups[:1]) and _is_time(groups[1]):
        return "date"  # a time stamp: 20261204-071236 (Rasa's model files)
    if shape in _PHONE_SHAPES and _is_nanp(digits[-10:]) and digits[:-10] in ("", "1"):
        return "phone"  # 202-555-0143, 2025550143, 1 202 555 0143
    if groups[0] == "011" and 11 <= len(digits) <= 17:
        return "phone"  # dialled abroad: 011 44 20 7946 0958
    return None


def _is_tracking(number: _Number | tuple[str, ...], anchor: _Anchor | None) -> bool:
    """A USPS certified-mail or tracking number (LT11 and Letter 1058 are sent that way): 20 to
    34 digits in one block or in fours, starting as USPS numbers do or after a tracking word."""
    groups = number.groups if isinstance(number, _Number) else number
    digits = "".join(groups)
    after_reference = anchor is not None and anchor.kind == "ref"
    in_fours = all(len(group) == 4 for group in groups[:-1]) and len(groups[-1]) <= 4
    return (
        len(digits) in TRACKING_DIGITS
        and (len(groups) == 1 or in_fours)
        and (digits.startswith(TRACKING_PREFIXES[len(digits)]) or after_reference)
    )


_Span = tuple[int, int, str]


@dataclass(frozen=True)
class _Run:
    """A whole run of digit groups, with the positions of its groups."""

    number: _Number
    spans: tuple[tuple[int, int], ...]
    cuts: tuple[int, ...]  # where it may be cut in parts (none when it looks harmless)
    harmless: frozenset[int]  # groups no part may take: a harmless stretch, a glued code
    whole: bool  # whether it is looked at whole (not when it holds a harmless stretch)


class _Context:
    """One message's normalized text, keywords and numbers, shared by the detectors."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = _lowered(text)
        self.keywords = self._find_keywords()
        self._keyword_ends = [keyword.end for keyword in self.keywords]
        self._anchors: dict[int, _Anchor | None] = {}
        self._shield_starts, self._shield_ends = _merged(self._shields())
        self.runs = list(self._find_runs())

    def _find_keywords(self) -> list[_Keyword]:
        """Every keyword, in order, but those inside our own placeholders."""
        lowered = self.lowered
        placeholders = (
            [m.span() for m in _PLACEHOLDER_RE.finditer(lowered)] if "[" in lowered else []
        )
        found: list[_Keyword] = []
        reached = 0
        for word in _WORD_RE.finditer(lowered):
            if word.start() >= reached and word.group() in _FIRST_WORDS:
                match = _KEYWORD_RE.match(lowered, word.start())
                if match:
                    phrase = " ".join(match.group().split())
                    found.append(_Keyword(match.start(), match.end(), _KEYWORD_KIND[phrase]))
                    reached = match.end()
        text = self.text
        states = [
            _Keyword(m.start(), m.end(), "zip")
            for m in _CAPITALS_RE.finditer(text)
            if m.group() in _STATE_CODES_SET
            and not (m.start() and text[m.start() - 1].isalpha())
            and not (m.end() < len(text) and text[m.end()].isalpha())
        ]
        if states:
            found = sorted(found + states, key=lambda keyword: keyword.start)
        if not placeholders:
            return found
        return [
            keyword for keyword in found
            if not any(start <= keyword.start < end for start, end in placeholders)
        ]

    def anchor(self, start: int) -> _Anchor | None:
        """The nearest keyword before ``start`` within its reach, in the same sentence.

        A bank's name does not stop the search ("my account at Chase is ..."): it is the anchor
        only when no other keyword is found.
        """
        if start not in self._anchors:
            self._anchors[start] = self._find_anchor(start)
        return self._anchors[start]

    def _find_anchor(self, start: int) -> _Anchor | None:
        index = bisect_right(self._keyword_ends, start) - 1
        bank: _Anchor | None = None
        while index >= 0:
            keyword = self.keywords[index]
            if start - keyword.end > _MAX_REACH or _SENTENCE_END_RE.search(
                self.text, keyword.end, start
            ):
                break
            gap = self.lowered[keyword.end : start]
            if keyword.kind == "bank":
                if bank is None and len(gap) <= KEYWORD_REACH["bank"]:
                    bank = self._anchor("bank", gap)
                index -= 1
                continue
            if len(gap) <= KEYWORD_REACH[keyword.kind]:
                return self._anchor(keyword.kind, gap)
            break
        return bank

    @staticmethod
    def _anchor(kind: str, gap: str) -> _Anchor:
        return _Anchor(
            kind,
            tight=_TIGHT_GAP_RE.fullmatch(gap) is not None,
            after_number=_NUMBER_OR_PLACEHOLDER_RE.search(gap) is not None,
        )

    def _shields(self) -> Iterator[tuple[int, int, None]]:
        """Links, e-mail addresses and amounts."""
        lowered = self.lowered
        patterns = [_AMOUNT_RE]
        if "://" in lowered or "www." in lowered:
            patterns.append(_URL_RE)
        if "@" in lowered:
            patterns.append(_EMAIL_RE)
        for pattern in patterns:
            for match in pattern.finditer(lowered):
                yield match.start(), match.end(), None

    def _glued_code(self, start: int, end: int, digits: int) -> bool:
        """A short number glued to letters (CP504, LTR1058, 1040X, 433-F), or any inside a word
        (a hash or an id in a log line: 156df53c60a444499984ca270ed766fe); not "acct#1234",
        "PIN483920" or "SSN923456781"."""
        letter_before = start > 0 and self.text[start - 1].isalpha()
        if letter_before:
            index = bisect_left(self._keyword_ends, start)
            if (
                index < len(self.keywords)
                and self._keyword_ends[index] == start
                and self.keywords[index].kind in _SENSITIVE_WORDS
            ):
                return False
        letter_after = end < len(self.text) and self.text[end].isalpha()
        if letter_before and letter_after:
            return True
        return digits <= CODE_DIGITS and (
            letter_before or _LETTER_AFTER_RE.match(self.lowered, end) is not None
        )

    def _find_runs(self) -> Iterator[_Run]:
        """Every digit run but links, e-mail addresses, amounts, codes and tracking numbers. A
        run is cut where it touches an amount or a link ("ssn 236-62-4588 715303 USD") and after
        the phone number a "+" starts ("+1 202 555 0143 236 62 4588")."""
        text = self.text
        shields = self._shield_starts, self._shield_ends
        for run in _RUN_RE.finditer(text):
            start, end = run.span()
            if end - start < MIN_NUMBER_DIGITS:
                continue  # too short to hold enough digits
            if run.group().isdigit():
                spans = [(start, end)]
            else:
                spans = [
                    (m.start() + start, m.end() + start) for m in _GROUP_RE.finditer(run.group())
                ]
            if start and text[start - 1] == "+":
                spans = _after_phone_number(spans)
            piece: list[tuple[int, int]] = []
            for span in [*spans, None]:
                if span is not None and not _overlaps(*shields, *span):
                    piece.append(span)
                    continue
                found = self._run(tuple(piece)) if piece else None
                if found:
                    yield found
                piece = []

    def _run(self, spans: tuple[tuple[int, int], ...]) -> _Run | None:
        """The run of these digit groups, unless it is too short, a code or a tracking number."""
        groups = tuple(self.text[s:e] for s, e in spans)
        if sum(len(group) for group in groups) < MIN_NUMBER_DIGITS:
            return None
        start, end = spans[0][0], spans[-1][1]
        number = _Number(start, end, groups, self.anchor(start))
        if (len(spans) == 1 and self._glued_code(start, end, len(number.digits))) or (
            _is_tracking(number, number.anchor)
        ):
            return None
        if number.look not in (None, "phone") or not 1 < len(spans) <= MAX_PART_GROUPS:
            return _Run(number, spans, (), frozenset(), whole=True)
        # A phone-looking run may still be cut: "IP PIN: 351 498 1111 Constitution Ave".
        cuts = self._cuts(spans)
        harmless = self._harmless_groups(spans, groups, cuts)
        glued = {
            index
            for index, (s, e) in ((0, spans[0]), (len(spans) - 1, spans[-1]))
            if e - s <= CODE_DIGITS and self._glued_code(s, e, e - s)
        }  # "pin 930777 2nd notice", "LTR1058 4/21/15"
        return _Run(number, spans, cuts, harmless | glued, whole=not harmless)

    def _harmless_groups(
        self, spans: tuple[tuple[int, int], ...], groups: tuple[str, ...], cuts: tuple[int, ...]
    ) -> frozenset[int]:
        """The groups of a run in a harmless stretch of it: several groups reading as years, a
        date (with a 4-digit year, or written with slashes), a ZIP+4 or a document locator
        number, one 8-digit date, or a tracking number ("2026\\n9407 1118 9876 5432 1012 34\\n
        12/09/2026", "TX 75048-9562 780-555-0128")."""
        harmless: set[int] = set()
        if not any(_may_start_harmless(group) for group in groups) and "/" not in self.text[
            spans[0][0] : spans[-1][1]
        ]:
            return frozenset()  # the common case, and a cheap one: "4111 1111 1111 1111"
        for i, first in enumerate(cuts[:-1]):
            for last in cuts[i + 1 :]:
                part = groups[first:last]
                count = sum(len(group) for group in part)
                if count > max(TRACKING_DIGITS) or (
                    len(part) > 4 and any(len(group) != 4 for group in part[:-2])
                ):
                    break  # too long, or more than 4 groups not in fours: nothing harmless
                if (first, last) != (0, len(groups)) and self._harmless_stretch(
                    spans, groups, first, last
                ):
                    harmless.update(range(first, last))
        return frozenset(harmless)

    def _harmless_stretch(
        self, spans: tuple[tuple[int, int], ...], groups: tuple[str, ...], first: int, last: int
    ) -> bool:
        part = groups[first:last]
        shape = tuple(len(group) for group in part)
        if len(part) > 1 and all(_is_year(group) for group in part):
            return True
        if shape in ((5, 4), (5, 3, 5, 1)):
            return True  # ZIP+4, document locator number
        if _is_tracking(part, None):  # its last digit must check: the start alone is too weak
            digits = "".join(part)
            return len(digits) > 22 or _usps_check_digit_valid(digits)
        if (len(part) == 3 or shape == (8,)) and _is_date(part):
            if first and len(part[0]) == len(groups[first - 1]) == 1:
                return False  # digit by digit: "pin 2 6 5 9 2 9 2018" holds no 2 Sep 2018
            if len(part) == 3 and max(shape) <= 2:  # 8/26/25, not "routing 1238 4585 4 03 04"
                return set(self.text[spans[first][1] : spans[last - 1][0]]) <= set("/0123456789")
            return True
        return False

    def _cuts(self, spans: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
        """Where a run may be cut in parts: between groups with white space between them."""
        text = self.text
        inner = [
            index for index in range(1, len(spans))
            if any(char.isspace() for char in text[spans[index - 1][1] : spans[index][0]])
        ]
        return (0, *inner, len(spans))

    @property
    def numbers(self) -> list[_Number]:
        """Every run as a whole, but those holding a harmless stretch and more."""
        return [run.number for run in self.runs if run.whole]

    def parts(self, found: list[_Span]) -> list[_Number]:
        """The parts, cut at white space, of the runs in which nothing was found as a whole
        ("022064642 4046777401", "4111 1111 1111 1111 2026") and of those holding a harmless
        stretch ("2016 2017 18294"). Runs that look harmless are not cut, nor those of more
        than MAX_PART_GROUPS groups (a table: too costly)."""
        starts, ends = _merged(found)
        parts: list[_Number] = []
        for run in self.runs:
            number = run.number
            if run.cuts and not (run.whole and _overlaps(starts, ends, number.start, number.end)):
                parts += self._parts(run)
        return parts

    def _parts(self, run: _Run) -> Iterator[_Number]:
        """A run's parts, none overlapping its harmless groups unless typed digit by digit
        ("routing 0 3 3 0 2 0 6 6 2 2014": "6 2 2014" is no date there)."""
        spans, groups, cuts = run.spans, run.number.groups, run.cuts
        for i, first in enumerate(cuts[:-1]):
            for last in cuts[i + 1 :]:
                part = groups[first:last]
                if sum(len(group) for group in part) > MAX_NUMBER_DIGITS:
                    break
                if (first, last) != (0, len(spans)) and (
                    run.harmless.isdisjoint(range(first, last)) or _digit_by_digit(part)
                ):
                    start, end = spans[first][0], spans[last - 1][1]
                    kind = "rest" if run.harmless else "part"
                    yield _Number(start, end, part, self.anchor(start), part=kind)


def _usps_check_digit_valid(digits: str) -> bool:
    """Whether a USPS tracking number's last digit checks (mod 10, weights 3 and 1 from the
    right). Asked only of one found inside a longer run, where the start alone is too weak."""
    total = sum(int(d) * (3 if index % 2 == 0 else 1) for index, d in enumerate(digits[-2::-1]))
    return (10 - total % 10) % 10 == int(digits[-1])


def _may_start_harmless(group: str) -> bool:
    """Whether a group could be part of a harmless stretch other than a date with slashes: a
    year, a ZIP or the start of a DLN (5 digits), an 8-digit date, a tracking number's start."""
    size = len(group)
    return (
        (size == 4 and int(group) in DATE_YEARS)
        or size in (5, 8)
        or size >= 20
        or group.startswith(("70", "71", "92", "93", "94", "95", "42"))
    )


def _digit_by_digit(groups: tuple[str, ...]) -> bool:
    """Nine or more digits typed one by one: 2 3 6 6 2 4 5 8 8."""
    return len(groups) >= 9 and all(len(group) == 1 for group in groups)


def _after_phone_number(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The groups after the international phone number a "+" starts (10 to 15 digits)."""
    count = 0
    for index, (start, end) in enumerate(spans):
        count += end - start
        if count >= 10:
            return spans[index + 1 :]
    return []


def _merged(spans: Iterable[tuple[int, int, Any]]) -> tuple[list[int], list[int]]:
    """The starts and ends of the disjoint stretches the spans cover, in order."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end, _ in sorted(spans, key=lambda span: (span[0], span[1])):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether start..end overlaps one of the disjoint, ordered stretches."""
    index = bisect_left(starts, end) - 1
    return index >= 0 and ends[index] > start


# ------------------------------------------------------------------------------ detectors

def _ssn_shaped(context: _Context, numbers: list[_Number]) -> Iterator[_Span]:
    """SSNs and ITINs in 3-2-4 groups, with any separators: 236-62-4588, 236--62 4588."""
    for number in numbers:
        if number.shape == (3, 2, 4):
            yield number.start, number.end, "ssn"


def _ein_shaped(context: _Context, numbers: list[_Number]) -> Iterator[_Span]:
    """EINs in 2-7 groups: 12-3456789, 12.3456789, 12 3456789 (en dashes are dashes here)."""
    for number in numbers:
        if number.shape == (2, 7):
            yield number.start, number.end, "ein"


_SHAPED = ((3, 2, 4), (2, 7))  # left to _ssn_shaped and _ein_shaped
_NINE_DIGIT_WORDS = ("ssn", "ein", "routing", "account", "bank")
_SENSITIVE_WORDS = (*_NINE_DIGIT_WORDS, "card", "pin")


def _nine_digit_kind(context: _Context, number: _Number) -> str | None:
    """SSN, EIN, routing or account: the keyword before decides, else an SSN word after, else
    the ABA checksum. ZIP+4 (90012 3456, CA 900123456, zip: 900123456) is no kind."""
    kind = number.anchor.kind if number.anchor else None
    if kind in ("ssn", "ein", "routing", "account"):
        return kind
    if kind == "bank":
        return "routing" if aba_valid(number.digits) else "account"
    if (kind == "zip" and not (number.anchor and number.anchor.after_number)) or (
        number.look == "zip"
    ):
        return None
    if _SSN_AFTER_RE.match(context.lowered, number.end):
        return "ssn"
    return "routing" if aba_valid(number.digits) else "ssn"


# Where people cut nine digits: 236 62 4588, 236 624 588, 0220 6464 2, and further cuts
# (2 3 6 6 2 4 5 8 8, "236 six two 4588"); or 23 662 4588 exactly. Not "2016 18294" or
# "HTTP/1.1 200 1234".
_NINE_DIGIT_CUTS = ({3, 5}, {3, 6}, {4, 8})


def _nine_digit_grouping(shape: tuple[int, ...]) -> bool:
    cuts = {sum(shape[:index]) for index in range(1, len(shape))}
    return not cuts or cuts == {2, 5} or any(usual <= cuts for usual in _NINE_DIGIT_CUTS)


def _nine_digits(context: _Context, numbers: list[_Number]) -> Iterator[_Span]:
    """Nine digits in any other grouping. After an SSN, EIN or bank word (or before "is my
    social"), any grouping. Otherwise one block or cut where people cut them: 236624588,
    236 624 588, 0220 6464 2, 2 3 6 6 2 4 5 8 8 (not "2016 18294", "555-0186 15", "HTTP/1.1 200
    1234"); and in a longer run, groups joined by spaces only digit by digit or next to a
    harmless stretch ("091 457 060 17796-3136"), not in "payments of 250 250 250 250"."""
    for number in numbers:
        if len(number.digits) != 9 or number.shape in _SHAPED:
            continue
        anchored = (
            number.anchor is not None and number.anchor.kind in _NINE_DIGIT_WORDS
        ) or _SSN_AFTER_RE.match(context.lowered, number.end) is not None
        if not anchored and (
            not _nine_digit_grouping(number.shape)
            or (
                number.part == "part"
                and any(char.isspace() for char in context.text[number.start : number.end])
                and not _digit_by_digit(number.groups)
            )
        ):
            continue
        kind = _nine_digit_kind(context, number)
        if kind:
            yield number.start, number.end, kind


def _card_grouping(shape: tuple[int, ...]) -> bool:
    """One block, digit by digit, or led by 4 to 8 digits then groups of 4 to 6 (4-4-4-4,
    4-6-5, 4-4-4-4-3, 8-8); not 4-3-3-4, a year then a phone number."""
    return (
        len(shape) == 1
        or all(size == 1 for size in shape)
        or (4 <= shape[0] <= 8 and all(4 <= size <= 6 for size in shape[1:-1]) and shape[-1] <= 8)
    )


def _cards(context: _Context, numbers: list[_Number]) -> Iterator[_Span]:
    """Card numbers, 13 to 19 digits grouped like one: Luhn-valid ones anywhere but after a
    case, ticket or tracking word; after a card word, or in 4-4-4-4 groups, even with a typo
    (unless a Luhn-valid one overlaps it: "391 555 0132 4814 6486 9991 9837")."""
    strong: list[_Span] = []
    weak: list[_Span] = []
    for number in numbers:
        if (
            len(number.digits) not in CARD_DIGITS
            or number.look is not None
            or not _card_grouping(number.shape)
        ):
            continue
        if number.part and _is_year(number.groups[0]):
            continue  # no card starts 1990-2039: "2016 4300 8213 8982 3764" is a year, a card
        anchor = number.anchor
        after_card = anchor is not None and anchor.kind == "card" and not anchor.after_number
        after_reference = anchor is not None and anchor.kind == "ref"
        if after_card or (not after_reference and luhn_valid(number.digits)):
            strong.append((number.start, number.end, "card"))
        elif not after_reference and number.shape == (4, 4, 4, 4):
            weak.append((number.start, number.end, "card"))
    yield from strong
    starts, ends = _merged(strong)
    yield from (span for span in weak if not _overlaps(starts, ends, span[0], span[1]))


# A nine-digit number passing the ABA checksum, then only "and", "account", "#"...: the
# number after it is the account ("routing 022064642 and 4046777401").
_ROUTING_BEFORE_RE = re.compile(
    r"(?<![0-9])(?<![0-9][ \-])"
    r"([0-9]{9}|[0-9]{4}[ \-][0-9]{4}[ \-][0-9]|[0-9]{3}(?:[ \-][0-9]{3}){2})"
    r"[\s,;:/&+#.\-]*"
    r"(?:(?:and|then|account|acct|checking|savings|number|no)(?![a-z])[\s,;:/&+#.\-]*)*$"
)


def _follows_routing_number(context: _Context, start: int) -> bool:
    """Whether a routing number (not a ZIP+4 or a reference) comes right before ``start``."""
    match = _ROUTING_BEFORE_RE.search(context.lowered, max(0, start - _MAX_REACH), start)
    if match is None or not aba_valid(re.sub(r"\s|-", "", match.group(1))):
        return False
    anchor = context.anchor(match.start(1))
    return anchor is None or anchor.kind not in ("zip", "ref")


def _is_account(context: _Context, number: _Number) -> bool:
    count = len(number.digits)
    if count not in ACCOUNT_DIGITS or number.look == "years":
        return False
    anchor = number.anchor
    words_between = count in ACCOUNT_DIGITS_AFTER_WORDS
    if words_between and _follows_routing_number(context, number.start):
        return True
    if anchor is None:
        return False
    if anchor.kind == "account":
        return anchor.tight or (words_between and number.look in (None, "phone"))
    if anchor.kind == "bank":
        return words_between and number.look is None
    return False


def _accounts(context: _Context, numbers: list[_Number]) -> Iterator[_Span]:
    """Bank account numbers: 4 to 19 digits right after an account word ("acct no. 1234"),
    7 to 19 a few words after one ("my account at Chase is 4046777401") or after a bank's name,
    or right after a routing number ("routing 022064642 and 4046777401")."""
    for number in numbers:
        if _is_account(context, number):
            yield number.start, number.end, "account"


def _ip_pins(context: _Context, numbers: list[_Number]) -> Iterator[_Span]:
    """IRS Identity Protection PINs: 6 digits after "IP PIN", "identity protection pin" or "pin"
    ("my IP PIN is 483920"); 4 or 5 digits (other PINs) right after one ("PIN: 4821")."""
    for number in numbers:
        anchor = number.anchor
        if (
            anchor is not None
            and anchor.kind == "pin"
            and not anchor.after_number
            and (len(number.digits) == IP_PIN_DIGITS or (
                len(number.digits) in PIN_DIGITS and anchor.tight))
        ):
            yield number.start, number.end, "ip_pin"


_SSN_NOUN = (
    r"(?:ssn|ss\s?#|ss|social(?:\s+security)?(?:\s+(?:number|no|#))?|itin|tin"
    r"|taxpayer\s+id(?:entification)?(?:\s+number)?)"
)
# "first five 52243", "last 4 of my ssn is 3043", "middle two: 62", "ssn ... ends in 3043".
_SSN_PART_RE = re.compile(
    r"(?<![a-z])(?:(?P<first>(?:first|1st|initial)\s+(?P<first_count>five|5|three|3))"
    r"|(?P<middle>(?:middle|next)\s+(?:two|2))"
    r"|(?P<last>(?:last|final)\s+(?:four|4))"
    r"|(?P<starts>(?:starts?|starting|begins?|beginning)\s+with)"
    r"|(?P<ends>(?:ends?|ending)\s+(?:with|in)))"
    r"(?:\s+(?:digits?|numbers?|nums?))?"
    rf"(?:\s+(?:(?:of|on|in|from)(?:\s+(?:my|the|his|her|our|your|their))?\s+)?{_SSN_NOUN})?"
    r"[\s:=,\-]*(?:(?:is|are|was|were|would\s+be)(?![a-z])[\s:=,\-]*)*"
    r"(?P<digits>[0-9]{2,5}|[0-9](?:[ \-][0-9]){1,4})(?![0-9])"
)
_PART_COUNTS = {"first": (3, 5), "starts": (3, 5), "middle": (2,), "last": (4,), "ends": (4,)}
# An SSN printed masked but for its last four digits: XXX-XX-3043, ***-**-3043.
_MASKED_SSN_RE = re.compile(
    r"(?<![\w*#•])[x*#•]{3}[ \-]?[x*#•]{2}[ \-]?(?P<digits>[0-9](?:[ \-]?[0-9]){3})(?![0-9])"
)


def _ssn_word_before(context: _Context, start: int) -> bool:
    index = bisect_right(context._keyword_ends, start) - 1
    while index >= 0 and start - context.keywords[index].end <= SSN_PHRASE_REACH:
        if context.keywords[index].kind == "ssn":
            return True
        index -= 1
    return False


def _ssn_parts(context: _Context) -> Iterator[_Span]:
    """Parts of an SSN: "last four 3043" and "XXX-XX-3043" are partial SSNs; with a first part
    in the same message ("first five 52243, last four 3043") every part counts as the SSN."""
    parts: list[tuple[int, int, str]] = []
    for match in _SSN_PART_RE.finditer(context.lowered):
        lead = next(name for name in _PART_COUNTS if match.group(name))
        if lead in ("starts", "ends") and not _ssn_word_before(context, match.start()):
            continue
        expected = _PART_COUNTS[lead]
        if lead == "first":
            expected = (5,) if match.group("first_count") in ("five", "5") else (3,)
        digits = list(_DIGIT_RE.finditer(context.lowered, *match.span("digits")))
        fits = [count for count in expected if count <= len(digits)]
        one_by_one = not match.group("digits").isdigit()
        if len(digits) in expected or (fits and one_by_one):
            # as many digits as expected, or typed one by one with more after ("last four:
            # 9 2 2 6 1 November 2015")
            count = len(digits) if len(digits) in expected else max(fits)
            parts.append((digits[0].start(), digits[count - 1].end(), lead))
    leads = {lead for _, _, lead in parts}
    whole = bool(leads & {"first", "starts", "middle"}) and bool(leads & {"last", "ends"})
    for start, end, _ in parts:
        yield start, end, "ssn" if whole else "partial_ssn"
    for match in _MASKED_SSN_RE.finditer(context.lowered):
        yield match.start("digits"), match.end("digits"), "partial_ssn"


# Detectors of numbers, run on whole runs, then on the parts of runs where nothing was found.
_NUMBER_DETECTORS: tuple[Callable[[_Context, list[_Number]], Iterable[_Span]], ...] = (
    _ssn_shaped,
    _ein_shaped,
    _nine_digits,
    _cards,
    _accounts,
    _ip_pins,
)
# Detectors of phrases, run once on the whole text.
_TEXT_DETECTORS: tuple[Callable[[_Context], Iterable[_Span]], ...] = (_ssn_parts,)


def _detect(context: _Context) -> list[_Span]:
    """Every span any detector finds, overlapping or not."""
    found = [span for detect in _TEXT_DETECTORS for span in detect(context)]
    whole = context.numbers
    found += [span for detect in _NUMBER_DETECTORS for span in detect(context, whole)]
    parts = context.parts(found)
    if parts:
        found += [span for detect in _NUMBER_DETECTORS for span in detect(context, parts)]
    return found


def _merge(spans: Iterable[_Span]) -> list[_Span]:
    """Non-overlapping spans, leftmost-longest first, the more specific kind on a tie."""
    chosen: list[_Span] = []
    reached = 0
    for start, end, kind in sorted(spans, key=lambda s: (s[0], s[0] - s[1], _PRIORITY[s[2]])):
        if start >= reached:
            chosen.append((start, end, kind))
            reached = end
    return chosen


def redact(text: str) -> Redaction:
    """Replace every SSN/ITIN, EIN, routing, account and card number, IP PIN and partial SSN
    with its placeholder; the kinds are listed in the order they first appear."""
    normalized = _normalize(text)
    if not _DIGIT_RE.search(normalized.text):
        return Redaction(text, ())
    context = _Context(normalized.text)
    pieces: list[str] = []
    kinds: list[str] = []
    position = 0
    for start, end, kind in _merge(_detect(context)):
        original_start, original_end = normalized.original(start, end)
        pieces += [text[position:original_start], PLACEHOLDERS[kind]]
        position = original_end
        if kind not in kinds:
            kinds.append(kind)
    pieces.append(text[position:])
    return Redaction("".join(pieces), tuple(kinds))


def redact_text(text: str) -> str:
    """The text with every sensitive number replaced by its placeholder."""
    return redact(text).text


def contains_sensitive_number(text: str) -> bool:
    """Whether the text holds an SSN/ITIN, EIN, routing, account or card number, IP PIN or
    partial SSN."""
    return redact(text).found


def redact_data(value: Any) -> Any:
    """A copy of nested dicts/lists/tuples with every string value redacted (keys untouched)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {key: redact_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_data(item) for item in value]
    if isinstance(value, tuple):
        return tuple(redact_data(item) for item in value)
    return value


class RedactingLogFilter(logging.Filter):
    """Logging filter that redacts the formatted message and any traceback text of a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        try:
            record.msg = redact_text(record.getMessage())
            record.args = None
        except (TypeError, ValueError, KeyError):
            # Bad format arguments: let the handler report the error, without the numbers.
            record.msg = redact_text(str(record.msg))
            record.args = redact_data(record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True
