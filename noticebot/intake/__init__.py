"""The case store: what an intake conversation leaves for the firm's staff.

- ``cases``: the domain values (``CaseDraft``, ``Case``, ``NoticeRef``) and ``summarize``;
- ``models``, ``db``: the ``cases`` table, engines, sessions, Alembic migrations;
- ``repository``: ``CaseRepository`` (save idempotently, list, get, set status, delete, purge);
- ``conversations``: deleting transcripts from Rasa's tracker store (table ``events``);
- ``export``: JSON and CSV (the staff webhook: ``noticebot.adapters.notify``; the ``cases``
  command: ``noticebot.apps.cases``);
- ``flow``: the intake conversation's rules (consent, name, contact, time, the replies).

Importing this package loads only the pure domain values (no database driver).
"""

from __future__ import annotations

from noticebot.intake.cases import (
    STATUSES,
    URGENCIES,
    Case,
    CaseDraft,
    NoticeRef,
    summarize,
    validate_draft,
)

__all__ = [
    "STATUSES",
    "URGENCIES",
    "Case",
    "CaseDraft",
    "NoticeRef",
    "summarize",
    "validate_draft",
]
