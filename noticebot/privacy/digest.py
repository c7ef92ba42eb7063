"""A short digest written in letters only: kept in a slot or a name, it can never be taken by
the redaction of stored text for an account or routing number."""

from __future__ import annotations

import hashlib

_HEX_TO_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def letters_digest(data: bytes, length: int) -> str:
    """The first ``length`` characters of the SHA-256 of ``data``, digits spelled as letters."""
    return hashlib.sha256(data).hexdigest()[:length].translate(_HEX_TO_LETTERS)
