"""rasa_ext.reminders: Rasa's reminder events kept in the database, and sent once when due."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.events import ReminderCancelled, ReminderScheduled, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from noticebot.intake.db import make_engine, make_session_factory, upgrade
from noticebot.reminder_store import CANCELLED, PENDING, SENT, ReminderStore
from rasa_ext import reminders

NOW = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.timezone.utc)
INTENT = "EXTERNAL_deadline_reminder"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def store(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> ReminderStore:
    url = f"sqlite:///{tmp_path / 'reminders.db'}"
    upgrade(url)
    made = ReminderStore(make_session_factory(make_engine(url)), clock=clock)
    monkeypatch.setattr(reminders, "store", lambda: made)
    return made


def tracker(sender: str, channel: str) -> DialogueStateTracker:
    found = DialogueStateTracker(sender, [])
    found.update(UserUttered("remind me", input_channel=channel))
    return found


def scheduled(name: str, hours: float = 1) -> ReminderScheduled:
    return ReminderScheduled(INTENT, NOW + dt.timedelta(hours=hours), name=name,
                             entities={"reminder_day": "2026-12-21"},
                             kill_on_user_message=False)


def test_a_scheduled_reminder_is_kept_with_its_channel_and_slack_thread(
    store: ReminderStore,
) -> None:
    out = SimpleNamespace(slack_channel="C9", thread_id="1733.5")
    asyncio.run(reminders.schedule_reminders(
        None, [scheduled("r1")], tracker("slack:U1", "slack"), out))  # type: ignore[arg-type]
    (kept,) = store.pending("slack:U1")
    assert (kept.name, kept.channel, kept.intent) == ("r1", "slack", INTENT)
    assert kept.output == {"slack_channel": "C9", "thread_id": "1733.5"}
    assert kept.entities == {"reminder_day": "2026-12-21"}
    assert kept.send_at == NOW + dt.timedelta(hours=1)


def test_reminder_cancelled_uses_rasas_matching(store: ReminderStore) -> None:
    conversation = tracker("telegram:5", "telegram")
    out = CollectingOutputChannel()
    asyncio.run(reminders.schedule_reminders(
        None, [scheduled("a"), scheduled("b")], conversation, out))  # type: ignore[arg-type]
    asyncio.run(reminders.cancel_reminders([ReminderCancelled(intent="other")], conversation))
    assert store.status("a") == PENDING
    asyncio.run(reminders.cancel_reminders([ReminderCancelled(name="a")], conversation))
    assert (store.status("a"), store.status("b")) == (CANCELLED, PENDING)
    asyncio.run(reminders.cancel_reminders([ReminderCancelled(intent=INTENT)], conversation))
    assert store.status("b") == CANCELLED


class FakeProcessor:
    """What ``fire`` uses of Rasa's processor, recording the external messages."""

    def __init__(self, fired: list[tuple[str, str, list[dict[str, Any]]]]) -> None:
        self.lock_store = InMemoryLockStore()
        self.fired = fired

    async def fetch_tracker_and_update_session(self, sender: str, _: Any) -> Any:
        return DialogueStateTracker(sender, [])

    async def trigger_external_user_uttered(
        self, intent: str, entities: list[dict[str, Any]], found: Any, _: Any
    ) -> None:
        self.fired.append((found.sender_id, intent, entities))


class Telegram(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    def get_output_channel(self) -> CollectingOutputChannel:
        return CollectingOutputChannel()


def app(fired: list[Any]) -> Any:
    return SimpleNamespace(ctx=SimpleNamespace(
        agent=SimpleNamespace(processor=FakeProcessor(fired)), input_channels=[Telegram()]))


def test_two_servers_send_a_due_reminder_once_and_after_a_restart(
    store: ReminderStore, clock: Clock
) -> None:
    asyncio.run(reminders.schedule_reminders(
        None, [scheduled("r1", hours=2)], tracker("telegram:5", "telegram"),  # type: ignore[arg-type]
        CollectingOutputChannel()))
    fired: list[Any] = []
    servers = [app(fired), app(fired)]

    async def both() -> list[int]:
        return list(await asyncio.gather(*(reminders.send_due(s, f"s{i}")
                                           for i, s in enumerate(servers))))

    assert asyncio.run(both()) == [0, 0] and fired == []  # not yet
    clock.now += dt.timedelta(hours=2)
    assert sorted(asyncio.run(both())) == [0, 1]
    assert fired == [("telegram:5", INTENT, [{"entity": "reminder_day", "value": "2026-12-21"}])]
    assert store.status("r1") == SENT
    assert asyncio.run(both()) == [0, 0]  # sent once


def test_a_server_still_loading_its_model_claims_nothing(store: ReminderStore,
                                                         clock: Clock) -> None:
    asyncio.run(reminders.schedule_reminders(
        None, [scheduled("r1", hours=0)], tracker("telegram:5", "telegram"),  # type: ignore[arg-type]
        CollectingOutputChannel()))
    loading = SimpleNamespace(ctx=SimpleNamespace(agent=None, input_channels=[]))
    assert asyncio.run(reminders.send_due(loading, "s0")) == 0  # type: ignore[arg-type]
    assert store.status("r1") == PENDING
