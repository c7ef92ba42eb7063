"""Rasa's reminders kept in the database, so they survive a restart and fire once.

Rasa 3.6 puts a ``ReminderScheduled`` event into APScheduler's memory: a restart forgets it, and
with several Rasa servers (the scaled profile) only the one that scheduled it knows it. Here:

- ``install()`` replaces the processor's ``_schedule_reminders`` and ``_cancel_reminders``: a
  ``ReminderScheduled`` becomes a row of ``reminders`` (``noticebot.reminder_store``) with the
  conversation, the channel (and, on Slack, the channel and thread to post in); a
  ``ReminderCancelled`` cancels the conversation's pending rows it matches, by Rasa's own rule
  (``cancels_job_with_name``).
- ``attach(app)`` starts, with the server, a task that every ``REMINDER_POLL_SECONDS`` (the
  settings' ``reminder_poll_seconds``, 30 by default) claims
  the due reminders (one ``UPDATE``, so one server wins each) and fires each one as Rasa does:
  under the conversation's lock, its intent as an external message, then the prediction loop
  (the rules run ``action_deadline_reminder``), the replies sent through the channel's output.

Rasa's own check that a reminder is "still valid" (its event among the tracker's applied
events) is not used: a conversation idle for an hour starts a new session, which would drop
every reminder. Whether one still stands is the database's status ("stop reminders" cancels).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import Event, ReminderCancelled, ReminderScheduled
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from noticebot.intake.db import make_engine, make_session_factory
from noticebot.reminder_store import ReminderStore, StoredReminder
from noticebot.senders import channel_of
from noticebot.settings import get_settings

logger = logging.getLogger(__name__)

@lru_cache(maxsize=1)
def store() -> ReminderStore:
    """The reminder store on ``DATABASE_URL`` (made once per process, on first use)."""
    return ReminderStore(make_session_factory(make_engine(get_settings().database_url)))


def output_route(output_channel: OutputChannel) -> dict[str, Any]:
    """Where in its channel a reply went (Slack: the channel and thread), to send there later."""
    route = {
        key: getattr(output_channel, attribute, None)
        for key, attribute in (("slack_channel", "slack_channel"), ("thread_id", "thread_id"))
    }
    return {key: value for key, value in route.items() if isinstance(value, str) and value}


def _event_of(reminder: StoredReminder) -> ReminderScheduled:
    return ReminderScheduled(
        reminder.intent,
        reminder.send_at,
        entities=list_entities(reminder.entities),
        name=reminder.name,
        kill_on_user_message=reminder.kill_on_user_message,
    )


def list_entities(entities: Any) -> list[dict[str, Any]]:
    """Entities as Rasa's list form (``{"entity", "value"}``), from either of its two forms."""
    if isinstance(entities, dict):
        return [{"entity": key, "value": value} for key, value in entities.items()]
    return [dict(item) for item in entities or ()]


def _entities_as_dict(event: ReminderScheduled) -> dict[str, Any]:
    entities = event.entities or {}
    if isinstance(entities, dict):
        return dict(entities)
    return {str(e.get("entity")): e.get("value") for e in entities if isinstance(e, dict)}


async def schedule_reminders(
    self: MessageProcessor,
    events: Sequence[Event],
    tracker: DialogueStateTracker,
    output_channel: OutputChannel,
) -> None:
    """Replaces ``MessageProcessor._schedule_reminders``: each reminder into the database."""
    channel = tracker.get_latest_input_channel() or channel_of(tracker.sender_id)
    for event in events:
        if not isinstance(event, ReminderScheduled):
            continue
        if not channel:
            logger.error("Reminder %s of a conversation without a channel: not kept.", event.name)
            continue
        send_at = event.trigger_date_time
        if send_at.tzinfo is None:
            send_at = send_at.astimezone()  # a naive time is the server's local time (as Rasa)
        reminder = StoredReminder(
            name=event.name,
            conversation_id=tracker.sender_id,
            channel=channel,
            intent=event.intent,
            send_at=send_at,
            entities=_entities_as_dict(event),
            output=output_route(output_channel),
            kill_on_user_message=event.kill_on_user_message,
        )
        await asyncio.to_thread(store().schedule, reminder)


async def cancel_reminders(events: Sequence[Event], tracker: DialogueStateTracker) -> None:
    """Replaces ``MessageProcessor._cancel_reminders``: matching pending rows are cancelled."""
    sender = tracker.sender_id
    for event in events:
        if not isinstance(event, ReminderCancelled):
            continue

        def matches(reminder: StoredReminder, cancel: ReminderCancelled = event) -> bool:
            job = _event_of(reminder).scheduled_job_name(sender)
            return bool(cancel.cancels_job_with_name(job, sender))

        count = await asyncio.to_thread(store().cancel, sender, matches)
        logger.debug("Cancelled %d reminder(s) of a conversation.", count)


def install() -> None:
    """Keep Rasa's reminders in the database (call before the server starts)."""
    MessageProcessor._schedule_reminders = schedule_reminders
    MessageProcessor._cancel_reminders = staticmethod(cancel_reminders)


def output_for(
    input_channels: Sequence[InputChannel], reminder: StoredReminder
) -> OutputChannel | None:
    """The output channel a reminder is sent through (``None``: that channel is not served)."""
    for channel in input_channels:
        if channel.name() != reminder.channel:
            continue
        if reminder.output:
            try:
                return channel.get_output_channel(
                    reminder.output.get("slack_channel"), reminder.output.get("thread_id")
                )
            except TypeError:
                pass
        return channel.get_output_channel()
    return None


async def fire(processor: MessageProcessor, output: OutputChannel,
               reminder: StoredReminder) -> None:
    """Fire one claimed reminder as Rasa's ``handle_reminder`` would, minus its validity check
    (the database's status is the check)."""
    sender = reminder.conversation_id
    async with processor.lock_store.lock(sender):
        tracker = await processor.fetch_tracker_and_update_session(sender, output)
        if reminder.kill_on_user_message and processor._has_message_after_reminder(
            tracker, _event_of(reminder)
        ):
            return
        await processor.trigger_external_user_uttered(
            reminder.intent, list_entities(reminder.entities), tracker, output
        )


async def send_due(app: Sanic, worker: str) -> int:
    """Claim and fire the due reminders once; how many were sent."""
    agent = getattr(app.ctx, "agent", None)
    processor = getattr(agent, "processor", None) if agent is not None else None
    if processor is None:
        return 0  # the model is still loading: next time
    claimed = await asyncio.to_thread(store().claim_due, worker)
    sent = 0
    for reminder in claimed:
        output = output_for(getattr(app.ctx, "input_channels", None) or [], reminder)
        ok = False
        if output is None:
            logger.error("Reminder %s: channel %r is not served here; not sent.",
                         reminder.name, reminder.channel)
        else:
            try:
                await fire(processor, output, reminder)
                ok = True
            except Exception:
                logger.exception("Reminder %s could not be sent.", reminder.name)
        await asyncio.to_thread(store().finish, reminder.name, sent=ok)
        sent += ok
    return sent


def worker_name() -> str:
    """This server's name in the ``claimed_by`` column (host and process)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def attach(app: Sanic) -> None:
    """Poll for due reminders while the server runs."""
    interval = get_settings().reminder_poll_seconds

    async def poll(running: Sanic) -> None:
        worker = worker_name()
        while True:
            try:
                await send_due(running, worker)
            except Exception:
                logger.exception("Looking for due reminders failed; trying again later.")
            await asyncio.sleep(interval)

    async def start(running: Sanic, *_: Any) -> None:
        running.add_task(poll(running), name="noticebot-reminders")

    app.register_listener(start, "after_server_start")
