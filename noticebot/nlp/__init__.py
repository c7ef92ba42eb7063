"""Recognizer of notice codes, IRS forms, amounts, dates and contact details (spaCy rules)."""

from noticebot.nlp.recognizer import (
    CONTACT_LABELS,
    LABELS,
    NOTICE_LABELS,
    Mention,
    Recognizer,
    build_nlp,
    canonical_email,
    canonical_form,
    canonical_name,
    canonical_notice_code,
    canonical_phone,
    parse_amount,
    parse_date,
)

__all__ = [
    "CONTACT_LABELS",
    "LABELS",
    "NOTICE_LABELS",
    "Mention",
    "Recognizer",
    "build_nlp",
    "canonical_email",
    "canonical_form",
    "canonical_name",
    "canonical_notice_code",
    "canonical_phone",
    "parse_amount",
    "parse_date",
]
