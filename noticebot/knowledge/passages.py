"""Passages: the unit the knowledge base indexes and returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    """A short, self-contained piece of knowledge with its source and its tags.

    ``kind`` is ``"notice"`` or ``"topic"`` for the curated catalog and ``"article"`` for an
    ingested document. ``entry`` names the catalog entry it came from (a notice code or a topic
    id), or the file name for an article. ``keywords`` are extra words people use for the
    subject: they are indexed but never shown.
    """

    id: str
    text: str
    title: str
    source: str
    kind: str
    entry: str
    notice_codes: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
