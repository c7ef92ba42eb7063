"""Step 1, normalizing: a message made plain for matching (Unicode spaces, dashes, invisible
characters and digits; spelled digits as digits), with the map of each character back to the
original."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def lower_case(text: str) -> str:
    """The text in lower case, character for character (positions stay the same)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class Normalized:
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


def _plain_characters(text: str) -> Normalized:
    """Unicode spaces, dashes, invisible characters and digits made plain (step 1)."""
    if text.isascii():
        return Normalized(text)
    plain = text.translate(_CHAR_TABLE)
    if not plain.isascii():
        plain = _NON_ASCII_DIGIT_RE.sub(_ascii_digit, plain)
    if len(plain) == len(text):
        return Normalized(plain)
    kept = [index for index, char in enumerate(text) if char not in _INVISIBLE]
    return Normalized(plain, kept, [index + 1 for index in kept])


def _spelled_digits(source: Normalized) -> Normalized:
    """Runs of spelled digits ("two three six", "236 six two 4588") as digits (step 2).

    Each digit word becomes one digit, and whatever joins two tokens of the run (", ", " - ")
    one space, both mapped back to the original characters they stand for.
    """
    text = source.text
    lowered = lower_case(text)
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
    return Normalized("".join(pieces), new_starts, new_ends)


def normalize(text: str) -> Normalized:
    """The message made plain for matching, with its map back to the original."""
    return _spelled_digits(_plain_characters(text))
