"""What the actions share: the base ``Adapter`` (services injected once, one ``run``: the domain
answers, safety first, then the prologue), reading the tracker and sending domain replies."""

from __future__ import annotations

import datetime as dt
from abc import ABCMeta, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import (
    default_cards,
    default_case_repository,
    default_catalog,
    default_firm,
    default_knowledge_base,
    default_notifier,
)
from noticebot.adapters.notify import StaffNotifier
from noticebot.clock import firm_today, utc_now
from noticebot.composer import Card
from noticebot.intake.repository import CaseRepository
from noticebot.knowledge.catalog import Catalog
from noticebot.knowledge.retrieval import KnowledgeBase
from noticebot.privacy import REDACTED_METADATA_KEY
from noticebot.reply import Reply
from noticebot.settings import FirmProfile


@dataclass(frozen=True)
class Services:
    """What the actions get from outside, each a provider called when needed: the real ones
    by default (Rasa SDK builds actions without arguments), fakes in tests."""

    catalog: Callable[[], Catalog] = default_catalog
    today: Callable[[], dt.date] = firm_today
    now: Callable[[], dt.datetime] = utc_now
    firm: Callable[[], FirmProfile] = default_firm
    knowledge_base: Callable[[], KnowledgeBase] = default_knowledge_base
    cards: Callable[[], Sequence[Card]] = default_cards
    repository: Callable[[], CaseRepository] = default_case_repository
    notifier: Callable[[], StaffNotifier | None] = default_notifier


class Adapter(Action, metaclass=ABCMeta):
    """The base of every action that answers: the services injected once, and one ``run`` that
    asks the domain (``answer``), then sends a safety answer first, the prologue (the privacy
    warning when a number was removed, the disclaimer once), then the rest.

    ``Adapter(catalog=lambda: fake)`` replaces one service; ``Adapter(services)`` all of them.
    """

    # Said before the prologue when a turn starts with them: the safe thing first.
    SAFETY_FIRST: frozenset[str] = frozenset()
    # False for a message that answers nobody's message just now (a reminder, a form's question
    # after its validation, which said the privacy warning already)
    OPENS = True

    def __init__(self, services: Services | None = None, **overrides: Any) -> None:
        """Keep the services (the real ones unless given), with ``overrides`` by name."""
        self.services = replace(services or Services(), **overrides)

    @abstractmethod
    async def answer(self, tracker: Tracker) -> tuple[Sequence[Reply], list[EventType]]:
        """The replies of this turn and the events to keep (the domain decides). Abstract, so
        the action server (which registers every concrete ``Action``) skips this class."""

    def prologue(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """What an answer starts with; nothing unless ``OPENS``."""
        return opening(dispatcher, tracker) if self.OPENS else []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask the domain, then send: safety first, the prologue, the rest."""
        replies, events = await self.answer(tracker)
        safety = 0
        while safety < len(replies) and replies[safety].response in self.SAFETY_FIRST:
            safety += 1
        send(dispatcher, replies[:safety])
        opened = self.prologue(dispatcher, tracker)
        send(dispatcher, replies[safety:])
        return [*opened, *events]


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


def user_intents(tracker: Tracker) -> list[str]:
    """The intent of every user message so far, oldest first."""
    return [
        str((event.get("parse_data") or {}).get("intent", {}).get("name"))
        for event in tracker.events
        if event.get("event") == "user"
    ]
