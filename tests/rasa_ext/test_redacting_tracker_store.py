"""The SQL tracker store: on DATABASE_URL, persistent, and never writing a sensitive number."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import tracker_store
from rasa_ext.tracker_store import (
    RedactingSQLTrackerStore,
    TrackerStoreUnavailableError,
    redacted_event,
)


def test_an_event_with_a_sensitive_number_is_copied_redacted() -> None:
    event = UserUttered("my ssn is 123-45-6789", parse_data={"text": "my ssn is 123-45-6789"},
                        message_id="ab123456789cd")
    clean = redacted_event(event)
    assert clean.as_dict()["text"] == "my ssn is [SSN removed]"
    assert clean.as_dict()["parse_data"]["text"] == "my ssn is [SSN removed]"
    assert clean.as_dict()["message_id"] == "ab123456789cd"  # identifiers are never rewritten
    assert clean.timestamp == event.timestamp


def test_an_ordinary_event_is_kept_as_it_is() -> None:
    event = UserUttered("I owe $12,400", message_id="ab123456789cd")
    assert redacted_event(event) is event


def test_the_store_persists_redacted_events(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'store.db'}"
    domain = Domain.from_yaml("version: '3.1'\nslots:\n  note:\n    type: any\n    mappings: []")
    store = RedactingSQLTrackerStore(domain=domain, host=url)
    tracker = DialogueStateTracker.from_events("s1", [
        UserUttered("card 4111-1111-1111-1111 please"),
        SlotSet("note", "routing 021000021"),
    ])
    asyncio.run(store.save(tracker))
    fresh = RedactingSQLTrackerStore(domain=domain, host=url)  # a new process, same file
    restored = asyncio.run(fresh.retrieve("s1"))
    assert restored is not None
    assert restored.latest_message is not None
    assert restored.latest_message.text == "card [card number removed] please"
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = " ".join(r[0] for r in connection.execute(sa.text("SELECT data FROM events")))
    assert "4111" not in rows and "021000021" not in rows


def test_an_unreachable_database_stops_the_start_naming_the_setting(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracker_store, "CONNECT_PAUSE_SECONDS", 0.0)
    with pytest.raises(TrackerStoreUnavailableError, match="DATABASE_URL=postgresql://u:\\*\\*\\*"):
        RedactingSQLTrackerStore(host="postgresql://u:secret@127.0.0.1:9/none")


def test_identifiers_and_metadata_are_never_rewritten() -> None:
    event = SlotSet("note", "fine", metadata={"model_id": "156df53c60a444499984ca270ed766fe"})
    assert redacted_event(event) is event
