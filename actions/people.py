"""Offering a person: on request, and after two misunderstandings in a row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import opening, privacy_warning, send, user_intents
from actions.services import default_firm
from noticebot.handoff import handoff_replies, misunderstanding_replies
from noticebot.settings import FirmProfile


class ActionOfferHuman(Action):
    """Tell the person how to reach a human (the firm's contact, or free help)."""

    def __init__(self, firm: Callable[[], FirmProfile] = default_firm) -> None:
        """Inject the firm profile provider (tests pass a fake)."""
        self._firm = firm

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_offer_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the contact replies."""
        events = opening(dispatcher, tracker)
        send(dispatcher, handoff_replies(self._firm()))
        return events


class ActionHandleMisunderstanding(Action):
    """Ask again after one misunderstanding; offer a person after two in a row."""

    def __init__(self, firm: Callable[[], FirmProfile] = default_firm) -> None:
        """Inject the firm profile provider (tests pass a fake)."""
        self._firm = firm

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_handle_misunderstanding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the reply that fits how many messages in a row were not understood."""
        events = privacy_warning(dispatcher, tracker)
        send(dispatcher, misunderstanding_replies(user_intents(tracker), self._firm()))
        return events
