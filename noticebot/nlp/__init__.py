"""Recognizer of notice codes, IRS forms, money amounts and dates (spaCy rules, no model)."""

from noticebot.nlp.recognizer import (
    LABELS,
    Mention,
    Recognizer,
    build_nlp,
    canonical_form,
    canonical_notice_code,
    parse_amount,
    parse_date,
)

__all__ = [
    "LABELS",
    "Mention",
    "Recognizer",
    "build_nlp",
    "canonical_form",
    "canonical_notice_code",
    "parse_amount",
    "parse_date",
]
