"""What is redacted: the kinds of number, their placeholders, which kind wins a tie, the
metadata key the channels list them under, and the result of a redaction."""

from __future__ import annotations

from dataclasses import dataclass

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
PRIORITY = {kind: rank for rank, kind in enumerate(
    ("ssn", "ein", "card", "routing", "account", "ip_pin", "partial_ssn"))}


@dataclass(frozen=True)
class Redaction:
    """The text with every sensitive number replaced, and which kinds were found."""

    text: str
    kinds: tuple[str, ...]

    @property
    def found(self) -> bool:
        """Whether anything was redacted."""
        return bool(self.kinds)
