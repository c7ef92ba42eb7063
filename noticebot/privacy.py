"""Spotting and removing SSNs, EINs, bank and card numbers before text is stored or logged."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

# The user message metadata key where the input channels list the kinds they removed.
REDACTED_METADATA_KEY = "redacted"
REDACTION_KINDS = ("ssn", "ein", "routing", "account", "card")  # "ssn" covers ITINs too
# Placeholders hold no digits, so redacting twice changes nothing.
PLACEHOLDERS: dict[str, str] = {
    "ssn": "[SSN removed]",
    "ein": "[EIN removed]",
    "routing": "[routing number removed]",
    "account": "[account number removed]",
    "card": "[card number removed]",
}

# How far (in characters) a keyword may sit from a bare nine-digit number and still count.
NEARBY = 40

# A number starts here only if it does not continue a longer number or an amount:
# no digit or "$" (or "$ ") right before it, no "1," or "1." (thousands/decimals) before it.
_START = r"(?<![\d$])(?<!\$ )(?<!\d[.,])"
# ...and ends here only if no digit, decimal part or thousands group follows.
_END = r"(?!\d|[.,]\d)"

# SSN or ITIN written 3-2-4 with one separator used twice: 123-45-6789, 123 45 6789, 123.45.6789.
_SSN_RE = re.compile(_START + r"\d{3}(?P<sep>[-. ])\d{2}(?P=sep)\d{4}" + _END)
# EIN written 2-7: 12-3456789 or 12 3456789.
_EIN_RE = re.compile(_START + r"\d{2}[- ]\d{7}" + _END)
# An account keyword, then only connector words ("number", "no.", "#", ":", "is"...),
# then 4 to 19 digits, possibly split by single spaces or dashes. Words such as "balance"
# break the chain, and "$" is no connector, so amounts are never taken for accounts.
_ACCOUNT_RE = re.compile(
    r"\b(?:accounts?|acct|a/c|checking|savings)\b"
    r"(?:[\s:#=.-]*\b(?:account|acct|number|num|nbr|no|is|was)\b){0,4}"
    r"[\s:#=.-]*"
    r"(?P<number>\d(?:[ -]?\d){3,18})" + _END,
    re.IGNORECASE,
)
# A run of digit groups joined by single spaces or dashes; card numbers are looked for in it.
_DIGIT_RUN_RE = re.compile(_START + r"\d+(?:[ -]\d+)*")
_DIGIT_GROUP_RE = re.compile(r"\d+")
# A standalone run of exactly nine digits: an SSN/ITIN or a bank routing number.
_NINE_DIGITS_RE = re.compile(_START + r"\d{9}" + _END)
_ROUTING_WORD_RE = re.compile(r"\b(?:routing|aba|rtn)\b", re.IGNORECASE)
_SSN_WORD_RE = re.compile(r"\b(?:ssns?|social|itins?|tins?|taxpayer)\b", re.IGNORECASE)
_AMOUNT_AFTER_RE = re.compile(r"[.,]\d")

CARD_DIGITS = range(13, 20)  # card numbers are 13 to 19 digits long


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


class _Spans:
    """Non-overlapping (start, end, kind) spans; the first rule to claim a stretch wins."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, str]] = []

    def is_free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in self.items)

    def claim(self, start: int, end: int, kind: str) -> None:
        if self.is_free(start, end):
            self.items.append((start, end, kind))


def _looks_like_card(groups: list[str]) -> bool:
    """Digit groups shaped like a card number: one 13-19 digit block or 4-digit-led groups."""
    if len(groups) > 1 and not (
        len(groups[0]) == 4 and all(3 <= len(g) <= 6 for g in groups[1:-1]) and len(groups[-1]) <= 6
    ):
        return False
    digits = "".join(groups)
    return len(digits) in CARD_DIGITS and luhn_valid(digits)


def _claim_cards(text: str, spans: _Spans) -> None:
    """Claim card numbers inside digit runs, trying the longest windows of groups first."""
    for run in _DIGIT_RUN_RE.finditer(text):
        groups = [
            (m.start() + run.start(), m.end() + run.start(), m.group())
            for m in _DIGIT_GROUP_RE.finditer(run.group())
        ]
        amount_follows = bool(_AMOUNT_AFTER_RE.match(text, run.end()))
        i = 0
        while i < len(groups):
            # Every group has a digit, so a card spans at most max(CARD_DIGITS) groups.
            for j in range(min(len(groups), i + max(CARD_DIGITS)), i, -1):
                start, end = groups[i][0], groups[j - 1][1]
                if j == len(groups) and amount_follows:
                    continue
                if _looks_like_card([g[2] for g in groups[i:j]]) and spans.is_free(start, end):
                    spans.claim(start, end, "card")
                    i = j
                    break
            else:
                i += 1


def _nine_digit_kind(text: str, start: int, end: int) -> str:
    """Routing or SSN: the nearest keyword before decides, else the ABA checksum does."""
    before = text[max(0, start - NEARBY) : start]
    routing_at = max((m.start() for m in _ROUTING_WORD_RE.finditer(before)), default=-1)
    ssn_at = max((m.start() for m in _SSN_WORD_RE.finditer(before)), default=-1)
    if routing_at > ssn_at:
        return "routing"
    if ssn_at >= 0 or _SSN_WORD_RE.search(text, end, end + NEARBY):
        return "ssn"
    return "routing" if aba_valid(text[start:end]) else "ssn"


def _find_spans(text: str) -> list[tuple[int, int, str]]:
    """Every sensitive number in the text, most specific shapes first, sorted by position."""
    spans = _Spans()
    for match in _SSN_RE.finditer(text):
        spans.claim(match.start(), match.end(), "ssn")
    for match in _EIN_RE.finditer(text):
        spans.claim(match.start(), match.end(), "ein")
    for match in _ACCOUNT_RE.finditer(text):
        spans.claim(match.start("number"), match.end("number"), "account")
    _claim_cards(text, spans)
    for match in _NINE_DIGITS_RE.finditer(text):
        spans.claim(match.start(), match.end(), _nine_digit_kind(text, *match.span()))
    return sorted(spans.items)


def redact(text: str) -> Redaction:
    """Replace every SSN/ITIN, EIN, routing, account and card number with its placeholder."""
    if not any(char.isdigit() for char in text):
        return Redaction(text, ())
    pieces: list[str] = []
    kinds: list[str] = []
    position = 0
    for start, end, kind in _find_spans(text):
        pieces += [text[position:start], PLACEHOLDERS[kind]]
        position = end
        if kind not in kinds:
            kinds.append(kind)
    pieces.append(text[position:])
    return Redaction("".join(pieces), tuple(kinds))


def redact_text(text: str) -> str:
    """The text with every sensitive number replaced by its placeholder."""
    return redact(text).text


def contains_sensitive_number(text: str) -> bool:
    """Whether the text holds an SSN/ITIN, EIN, routing, account or card number."""
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
