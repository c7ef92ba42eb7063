"""Spotting and removing SSNs, EINs, bank and card numbers and IP PINs before text is stored.

A message goes through three steps:

1. Normalize (``normalize.Normalized``): Unicode spaces and dashes become " " and "-", invisible
   characters (zero-width space, soft hyphen...) go, full-width and other Unicode digits become
   ASCII digits, and runs of spelled digits ("two three six six ...") become digits. Every
   normalized character remembers which original characters it came from.
2. Detect: each detector returns (start, end, kind) spans in normalized coordinates. Those of
   ``detectors._NUMBER_DETECTORS`` look at the message's numbers (``numbers.Number``: digit
   groups joined by spaces, dashes, dots or slashes) and at the nearest keyword before each one
   ("routing", "my account at Chase is"...); a run of groups in which nothing was found as a
   whole is then looked at again in parts ("022064642 4046777401"). Those of
   ``detectors._TEXT_DETECTORS`` look for phrases ("last four 3043"). The harmless numbers
   people type (years, dates, ZIP+4, phone and certified-mail numbers, amounts, notice and form
   numbers) are recognized and left alone. Matching is done on a lower-cased copy with
   case-sensitive patterns (much faster in ``re``).
3. Merge and replace: the leftmost-longest span wins (the more specific kind on a tie); each one
   is replaced, on the original characters, by its placeholder; everything else is kept byte for
   byte. Placeholders hold no digits, so redacting twice changes nothing.

One module per job:

- ``kinds``: the kinds of number, their placeholders, the metadata key, :class:`Redaction`;
- ``limits``: how far keywords reach, how many digits each kind has, the years;
- ``checksums``: Luhn, ABA and USPS check digits;
- ``digest``: a digest in letters only, which redaction never takes for a number;
- ``normalize``: step 1;
- ``keywords``: the keywords of each kind, found in a message, and a number's ``Anchor``;
- ``looks``: the harmless numbers people type (years, dates, phone numbers...);
- ``numbers``: a run of digit groups (``Number``, ``Run``) and tracking numbers;
- ``spans``: detected spans and the stretches they cover;
- ``context``: one message's keywords, anchors and runs, shared by the detectors;
- ``detectors``: step 2, each kind's finder;
- ``redaction``: step 3 and the entry points (:func:`redact`, :func:`redact_text`,
  :func:`contains_sensitive_number`, :func:`redact_data`);
- ``log_filter``: :class:`RedactingLogFilter`, for logging configurations
  (``noticebot.privacy.RedactingLogFilter``).

This package is part of the domain layer: it never imports Rasa.
"""

from noticebot.privacy.checksums import aba_valid, luhn_valid
from noticebot.privacy.digest import letters_digest
from noticebot.privacy.kinds import (
    PLACEHOLDERS,
    REDACTED_METADATA_KEY,
    REDACTION_KINDS,
    Redaction,
)
from noticebot.privacy.log_filter import RedactingLogFilter
from noticebot.privacy.redaction import (
    contains_sensitive_number,
    redact,
    redact_data,
    redact_text,
)

__all__ = [
    "PLACEHOLDERS",
    "REDACTED_METADATA_KEY",
    "REDACTION_KINDS",
    "RedactingLogFilter",
    "Redaction",
    "aba_valid",
    "contains_sensitive_number",
    "letters_digest",
    "luhn_valid",
    "redact",
    "redact_data",
    "redact_text",
]
