"""Conversation transcripts in Rasa's SQL tracker store: deleting one, purging old ones.

Rasa keeps every event in a table named ``events`` (one row per event, ``sender_id`` naming
the conversation, ``timestamp`` in unix seconds). When the tracker store lives in another
database, that table is missing here: the functions then delete nothing, return 0 and log a
warning, so a case can still be deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.orm import Session

from noticebot.intake.models import ReminderRow

logger = logging.getLogger(__name__)

EVENTS_TABLE = "events"
# Deleting by sender_id in chunks keeps each statement's parameter list short.
CHUNK = 500

# Rasa's table, described only as far as these queries need it; never created from here.
events = Table(
    EVENTS_TABLE,
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def has_tracker_table(session: Session) -> bool:
    """True when this database holds Rasa's ``events`` table."""
    return bool(inspect(session.connection()).has_table(EVENTS_TABLE))


def _warn_missing() -> None:
    logger.warning(
        "no %r table in the case store's database: conversation transcripts were not "
        "deleted here; delete them where Rasa's tracker store keeps them",
        EVENTS_TABLE,
    )


def delete_conversations(session: Session, sender_ids: Iterable[str]) -> int:
    """Delete every event of these conversations, and the reminders they asked for; return how
    many events were deleted."""
    wanted = sorted(set(sender_ids))
    if not wanted:
        return 0
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        session.execute(delete(ReminderRow).where(ReminderRow.conversation_id.in_(chunk)))
    if not has_tracker_table(session):
        _warn_missing()
        return 0
    deleted = 0
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        result = session.execute(delete(events).where(events.c.sender_id.in_(chunk)))
        deleted += int(result.rowcount or 0)
    return deleted


def delete_conversation(session: Session, sender_id: str) -> int:
    """Delete one conversation's events (its transcript); return how many were deleted."""
    return delete_conversations(session, [sender_id])


def conversations_with_events(session: Session, sender_ids: Iterable[str]) -> set[str]:
    """Those of ``sender_ids`` that have at least one event here."""
    wanted = sorted(set(sender_ids))
    if not wanted or not has_tracker_table(session):
        return set()
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = select(events.c.sender_id).where(events.c.sender_id.in_(chunk)).distinct()
        found.update(session.scalars(query))
    return found


def stale_conversations(session: Session, before: dt.datetime) -> list[str]:
    """The sender ids whose newest event is older than ``before`` (tz-aware)."""
    if before.tzinfo is None or before.utcoffset() is None:
        raise ValueError("before must be a timezone-aware datetime")
    if not has_tracker_table(session):
        return []
    newest = func.max(events.c.timestamp)
    query = (
        select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(newest < before.timestamp())
        .order_by(events.c.sender_id)
    )
    return list(session.scalars(query))


def purge_conversations(session: Session, before: dt.datetime) -> int:
    """Delete the conversations whose newest event is older than ``before``; return events."""
    if not has_tracker_table(session):
        _warn_missing()
        return 0
    return delete_conversations(session, stale_conversations(session, before))
