"""Rasa's SQL tracker store on the project's database, with a last guard against sensitive numbers.

``endpoints.yml`` names this class; the database comes from ``DATABASE_URL`` (read by
``noticebot.settings``): a SQLite file under ``var/`` by default, PostgreSQL when the URL says so.
A database that cannot be reached at start stops the server with an error naming the setting, so
a misconfiguration never falls back to memory. The channels already redact what people type;
the guard here redacts anything that still carries such a number (a message posted through the
HTTP API, a slot an action set) before it is written, and logs that it had to.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from noticebot.intake.db import prepare_sqlite_file
from noticebot.privacy import redact_data
from noticebot.settings import get_settings

logger = logging.getLogger(__name__)

CONNECT_ATTEMPTS = 3
CONNECT_PAUSE_SECONDS = 2.0


class TrackerStoreUnavailableError(RuntimeError):
    """The database named by DATABASE_URL cannot be used for the tracker store."""


def _masked(url: str) -> str:
    """The URL with its password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def check_database(url: str, *, attempts: int = CONNECT_ATTEMPTS,
                   pause: float = CONNECT_PAUSE_SECONDS) -> None:
    """Connect once (a few tries); raise ``TrackerStoreUnavailableError`` naming the setting."""
    prepare_sqlite_file(url)  # its folder, and the file created with mode 0600
    engine = sa.create_engine(url, future=True, hide_parameters=True)
    try:
        for attempt in range(1, attempts + 1):
            try:
                with engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
                return
            except sa.exc.DBAPIError as error:
                logger.warning(
                    "Tracker store database not reachable (try %d of %d): %s",
                    attempt, attempts, error.orig,
                )
                if attempt == attempts:
                    raise TrackerStoreUnavailableError(
                        f"Cannot reach the tracker store database DATABASE_URL={_masked(url)}: "
                        f"{error.orig}. Check that the database runs and that DATABASE_URL "
                        "is right."
                    ) from None
                time.sleep(pause)
    finally:
        engine.dispose()


# Where what a person typed can sit in a stored event: a message's text and parse data (entity
# values), a slot's value, a bot message's text and data, the metadata a channel or a client
# attached and the ``input_channel`` a REST client may name. Other fields are identifiers and
# numbers Rasa made (ids, timestamps, a model id in hex that can hold nine digits in a row):
# rewriting them would corrupt the event, so they are left alone.
TEXT_FIELDS = frozenset({"text", "parse_data", "value", "data", "metadata", "input_channel"})
MACHINE_KEYS = frozenset({"message_id", "timestamp", "confidence", "name", "id", "model_id",
                          "assistant_id"})


def _redacted_values(data: Any) -> Any:
    """Human-written values redacted, identifiers inside them left alone."""
    if isinstance(data, dict):
        return {key: value if key in MACHINE_KEYS else _redacted_values(value)
                for key, value in data.items()}
    if isinstance(data, list):
        return [_redacted_values(value) for value in data]
    return redact_data(data)


def _redacted_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The event's data with its text fields redacted."""
    return {key: _redacted_values(value) if key in TEXT_FIELDS else value
            for key, value in data.items()}


def redacted_event(event: Event) -> Event:
    """The event itself, or a copy with every sensitive number replaced by its placeholder."""
    data = event.as_dict()
    clean = _redacted_fields(data)
    if clean == data:
        return event
    logger.warning(
        "A %s event reached the tracker store with a sensitive number; it was redacted.",
        event.type_name,
    )
    copy = Event.from_parameters(clean)
    if copy is None:  # never store the original instead
        raise ValueError(f"cannot rebuild a redacted {event.type_name} event")
    return copy


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: write-ahead log, synced at checkpoints rather than at every commit.

    A turn's commit then costs a write to the log instead of two syncs of the database file. A
    crash of the server loses nothing committed; a power cut can lose the last turns (SQLite's
    WAL with ``synchronous=NORMAL``), which the scaled profile's PostgreSQL does not.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


class RedactingSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` on ``DATABASE_URL`` that never writes a sensitive number."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        """Check the database first (fail loudly), then let Rasa create its ``events`` table."""
        url = host or get_settings().database_url
        check_database(url)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", sqlite_pragmas)
            self.engine.dispose()  # the connection Rasa opened to create the table goes
        logger.info("Tracker store: SQL on %s", _masked(url))

    def _additional_events(
        self, session: Session, tracker: DialogueStateTracker
    ) -> Iterator:
        """The events not stored yet, each redacted when it needs to be."""
        for event in super()._additional_events(session, tracker):
            yield redacted_event(event)
