"""The reminders table: kept until sent, cancelled by "stop reminders", claimed by one server."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy.engine import Engine

from noticebot.intake.db import make_engine, make_session_factory
from noticebot.reminder_store import (
    CANCELLED,
    FAILED,
    MISSED,
    PENDING,
    SENDING,
    SENT,
    ReminderStore,
    StoredReminder,
)
from tests.intake.conftest import NOW, Clock


def reminder(name: str, *, hours: float = 1, conversation: str = "telegram:7") -> StoredReminder:
    return StoredReminder(
        name=name, conversation_id=conversation, channel="telegram",
        intent="EXTERNAL_deadline_reminder", send_at=NOW + dt.timedelta(hours=hours),
        entities={"reminder_day": "2026-12-20"}, output={"slack_channel": "C1"},
    )


def test_a_reminder_waits_for_its_time_then_is_claimed_once(engine: Engine) -> None:
    clock = Clock()
    store = ReminderStore(make_session_factory(engine), clock=clock)
    store.schedule(reminder("a", hours=1))
    assert store.claim_due("one") == []
    clock.advance(hours=1)
    (claimed,) = store.claim_due("one")
    assert (claimed.name, claimed.entities, claimed.output) == (
        "a", {"reminder_day": "2026-12-20"}, {"slack_channel": "C1"})
    assert claimed.send_at == NOW + dt.timedelta(hours=1)
    assert store.status("a") == SENDING
    assert store.claim_due("two") == []
    store.finish("a", sent=True)
    assert store.status("a") == SENT
    store.schedule(reminder("a", hours=5))  # the same name again: never sent twice
    assert store.status("a") == SENT


def test_two_servers_claiming_at_once_send_each_reminder_once(database_url: str) -> None:
    clock = Clock(NOW + dt.timedelta(hours=2))
    engines = [make_engine(database_url) for _ in range(2)]
    stores = [ReminderStore(make_session_factory(e), clock=clock) for e in engines]
    try:
        for number in range(30):
            stores[0].schedule(reminder(f"r{number}", hours=1, conversation=f"slack:U{number}"))
        won: dict[str, list[str]] = {"one": [], "two": []}
        start = threading.Barrier(2)

        def claim(worker: str, store: ReminderStore) -> None:
            start.wait()
            won[worker] = [r.name for r in store.claim_due(worker)]

        threads = [threading.Thread(target=claim, args=(w, s))
                   for w, s in zip(won, stores, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for engine in engines:
            engine.dispose()
    assert sorted(won["one"] + won["two"]) == sorted(f"r{n}" for n in range(30))
    assert not set(won["one"]) & set(won["two"])


def test_cancel_touches_only_that_conversations_pending_reminders(engine: Engine) -> None:
    clock = Clock()
    store = ReminderStore(make_session_factory(engine), clock=clock)
    store.schedule(reminder("mine1"))
    store.schedule(reminder("mine2", hours=30))
    store.schedule(reminder("theirs", conversation="telegram:8"))
    assert store.cancel("telegram:7", lambda r: r.name == "mine2") == 1
    assert [r.name for r in store.pending("telegram:7")] == ["mine1"]
    assert store.cancel("telegram:7") == 1
    assert (store.status("mine1"), store.status("theirs")) == (CANCELLED, PENDING)
    store.schedule(reminder("mine1"))  # asked for again after "stop": pending again
    assert store.status("mine1") == PENDING


def test_a_reminder_found_long_after_its_time_is_missed_not_sent(engine: Engine) -> None:
    clock = Clock()
    store = ReminderStore(make_session_factory(engine), clock=clock,
                          grace=dt.timedelta(hours=20))
    store.schedule(reminder("late", hours=1))
    store.schedule(reminder("fine", hours=10))
    clock.advance(hours=30)
    assert [r.name for r in store.claim_due("one")] == ["fine"]
    assert store.status("late") == MISSED
    store.finish("fine", sent=False)
    assert store.status("fine") == FAILED
