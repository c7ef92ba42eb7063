"""What the domain asks a channel to say: one bot message, named by its response.

Every domain function that answers returns ``Reply`` values; the Rasa actions turn each into a
response of the domain (``domain/*.yml``), filled with its values, with its payload (a notice
card, a calendar file) when it has one. The sentences live in the content tree
(``docs/content.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One bot message: a response name of the domain, the values it is filled with, a payload."""

    response: str
    values: dict[str, Any]
    payload: dict[str, Any] | None = None
