"""Step 3 and the entry points: the spans merged (leftmost-longest, the more specific kind on a
tie) and replaced by placeholders on the original text; ``redact``, ``redact_text``,
``contains_sensitive_number``, ``redact_data``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from noticebot.privacy.context import Context
from noticebot.privacy.detectors import detect_spans
from noticebot.privacy.kinds import PLACEHOLDERS, PRIORITY, Redaction
from noticebot.privacy.normalize import normalize
from noticebot.privacy.numbers import DIGIT_RE
from noticebot.privacy.spans import Span


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, leftmost-longest first, the more specific kind on a tie."""
    chosen: list[Span] = []
    reached = 0
    for start, end, kind in sorted(spans, key=lambda s: (s[0], s[0] - s[1], PRIORITY[s[2]])):
        if start >= reached:
            chosen.append((start, end, kind))
            reached = end
    return chosen


def redact(text: str) -> Redaction:
    """Replace every SSN/ITIN, EIN, routing, account and card number, IP PIN and partial SSN
    with its placeholder; the kinds are listed in the order they first appear."""
    normalized = normalize(text)
    if not DIGIT_RE.search(normalized.text):
        return Redaction(text, ())
    context = Context(normalized.text)
    pieces: list[str] = []
    kinds: list[str] = []
    position = 0
    for start, end, kind in _merge(detect_spans(context)):
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
