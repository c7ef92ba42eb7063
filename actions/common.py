"""Small helpers shared by the actions: reading the tracker and sending domain replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import default_catalog
from noticebot.clock import firm_today
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import NoticeEntry, Reply
from noticebot.privacy import REDACTED_METADATA_KEY


class UsesCatalog:
    """Mixin for actions that read the catalog and today's date, both injected (tests pass
    fakes; Rasa SDK builds actions without arguments, so the defaults are the real ones)."""

    def __init__(
        self,
        catalog: Callable[[], Catalog] = default_catalog,
        today: Callable[[], dt.date] = firm_today,
    ) -> None:
        """Keep the catalog provider and the clock."""
        self._catalog = catalog
        self._today = today


# The channel whose page shows the disclaimer under its banner at all times (web/widget.js).
CHANNELS_SHOWING_DISCLAIMER = frozenset({"socketio"})


def disclaimer_once(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Send the short educational disclaimer if this conversation has not had it yet (the web
    chat shows it under its banner, so it is not said there again)."""
    if tracker.get_slot("disclaimer_shown"):
        return []
    if tracker.get_latest_input_channel() not in CHANNELS_SHOWING_DISCLAIMER:
        dispatcher.utter_message(response="utter_disclaimer")
    return [SlotSet("disclaimer_shown", True)]


def latest_user_event(tracker: Tracker) -> dict[str, Any]:
    """The latest user message as its full event (text, parse data, metadata, message id)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event
    return {}


def privacy_warning(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Tell the person, once per message, that a sensitive number was removed from it.

    The channels remove the number before Rasa sees the message and list what they removed in
    the message's metadata; whichever action answers first says so.
    """
    event = latest_user_event(tracker)
    if not (event.get("metadata") or {}).get(REDACTED_METADATA_KEY):
        return []
    message_id = str(event.get("message_id") or event.get("timestamp"))
    if tracker.get_slot("privacy_warned_for") == message_id:
        return []
    dispatcher.utter_message(response="utter_sensitive_number_removed")
    return [SlotSet("privacy_warned_for", message_id)]


def opening(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """What any answer starts with: the privacy warning when due, the disclaimer once."""
    return [*privacy_warning(dispatcher, tracker), *disclaimer_once(dispatcher, tracker)]


def send(dispatcher: CollectingDispatcher, replies: Iterable[Reply]) -> None:
    """Send domain replies as responses of the domain file, with their payloads."""
    for reply in replies:
        dispatcher.utter_message(
            response=reply.response, json_message=reply.payload, **reply.values
        )


def latest_entities(tracker: Tracker, entity: str) -> list[dict[str, Any]]:
    """The entities of one type in the latest user message, in order."""
    return [e for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]


def notice_entries(tracker: Tracker) -> list[NoticeEntry]:
    """The notices remembered in the conversation."""
    return [NoticeEntry.from_slot(v) for v in tracker.get_slot("notices") or []]


def user_intents(tracker: Tracker) -> list[str]:
    """The intent of every user message so far, oldest first."""
    return [
        str((event.get("parse_data") or {}).get("intent", {}).get("name"))
        for event in tracker.events
        if event.get("event") == "user"
    ]
