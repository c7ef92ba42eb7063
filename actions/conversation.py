"""The one action that answers every message outside intake: an adapter over
``noticebot.conversation.respond``.

It reads the conversation's state from the slots and the message's facts from the parse data
(the NLU pipeline's reader put them there), asks the domain what to say, sends the replies, and
keeps the new state in the slots; ``next_step`` tells the rules whether the intake form comes
next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, ReminderCancelled, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesCatalog, opening, send, user_intents
from actions.services import (
    default_cards,
    default_catalog,
    default_firm,
    default_knowledge_base,
)
from noticebot.answers import CatalogAnswers
from noticebot.clock import firm_today
from noticebot.composer import Card
from noticebot.conversation import SAFETY_RESPONSE, SLOTS, ConversationState, Turn, respond
from noticebot.conversation.documents import METADATA_KEY as DOCUMENT_METADATA_KEY
from noticebot.handoff import consecutive_misunderstandings
from noticebot.knowledge.catalog import Catalog
from noticebot.knowledge.retrieval import KnowledgeBase
from noticebot.reading import MessageFacts, facts_from_entities
from noticebot.reminders import FIRED_INTENT, Reminder, fired_replies
from noticebot.settings import FirmProfile

INTAKE_FORM = "intake_form"
FACTS = "facts"  # where the NLU pipeline puts the message's facts (nlu_components)


def message_facts(message: dict[str, Any]) -> MessageFacts:
    """The facts of the latest message: the reader's, or its entities' for a button payload."""
    if message.get(FACTS) is not None:
        return MessageFacts.from_dict(message[FACTS])
    return facts_from_entities(list(message.get("entities") or []))


def turn_of(tracker: Tracker) -> Turn:
    """The latest message as the domain's ``Turn``."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    return Turn(
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        facts=message_facts(message),
        text=str(message.get("text") or ""),
        misunderstood_in_a_row=consecutive_misunderstandings(user_intents(tracker)),
        in_intake=tracker.active_loop_name == INTAKE_FORM,
        document=(message.get("metadata") or {}).get(DOCUMENT_METADATA_KEY),
        channel=tracker.get_latest_input_channel(),
    )


def reminder_events(
    conversation_id: str, schedule: Sequence[Reminder], *, cancel: bool
) -> list[EventType]:
    """Rasa's reminder events for the domain's plan: cancel the pending ones, schedule anew."""
    events: list[EventType] = []
    if cancel:
        events.append(ReminderCancelled(intent_name=FIRED_INTENT))
    for reminder in schedule:
        events.append(
            ReminderScheduled(
                FIRED_INTENT,
                reminder.send_at,
                entities=reminder.entities(),
                name=reminder.name(conversation_id),
                kill_on_user_message=False,
            )
        )
    return events


class ActionRespond(UsesCatalog, Action):
    """Answer the latest message (see ``noticebot.conversation.engine`` for what is said)."""

    def __init__(
        self,
        catalog: Callable[[], Catalog] = default_catalog,
        today: Callable[[], dt.date] = firm_today,
        firm: Callable[[], FirmProfile] = default_firm,
        knowledge_base: Callable[[], KnowledgeBase] = default_knowledge_base,
        cards: Callable[[], Sequence[Card]] = default_cards,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
    ) -> None:
        """Inject the catalog, the clock (today's date, and the time reminders are planned
        from), the firm profile, the knowledge base and the composed-answer cards."""
        super().__init__(catalog, today)
        self._now = now
        self._firm = firm
        self._knowledge_base = knowledge_base
        self._cards = cards

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_respond"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the replies of the turn and keep what changed."""
        catalog = self._catalog()
        before = ConversationState.from_slots({slot: tracker.get_slot(slot) for slot in SLOTS})
        result = respond(
            before,
            turn_of(tracker),
            catalog=catalog,
            today=self._today(),
            firm=self._firm(),
            answers=CatalogAnswers(catalog, self._knowledge_base, cards=self._cards()),
            now=self._now(),
        )
        # a safety answer (a scam) first, then the privacy warning and disclaimer when due
        safety = 0
        while safety < len(result.replies) and (
            result.replies[safety].response in (SAFETY_RESPONSE, "utter_offer_more")
        ):
            safety += 1
        send(dispatcher, result.replies[:safety])
        events = opening(dispatcher, tracker)
        send(dispatcher, result.replies[safety:])
        old, new = before.to_slots(), result.state.to_slots()
        events += [SlotSet(slot, value) for slot, value in new.items() if value != old[slot]]
        events.append(SlotSet("next_step", result.next_step))
        events += reminder_events(
            tracker.sender_id, result.schedule, cancel=result.cancel_reminders
        )
        return events


class ActionDeadlineReminder(UsesCatalog, Action):
    """What a reminder says when it fires (``noticebot.reminders.fired_replies``): Rasa runs it
    for the ``EXTERNAL_deadline_reminder`` intent a ``ReminderScheduled`` fires with."""

    def __init__(
        self,
        catalog: Callable[[], Catalog] = default_catalog,
        today: Callable[[], dt.date] = firm_today,
        firm: Callable[[], FirmProfile] = default_firm,
    ) -> None:
        """Inject the catalog, the clock and the firm profile."""
        super().__init__(catalog, today)
        self._firm = firm

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_deadline_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the reminder (nothing when its date has passed)."""
        entities = {
            str(e.get("entity")): e.get("value")
            for e in (tracker.latest_message or {}).get("entities") or []
        }
        replies = fired_replies(
            entities, catalog=self._catalog(), today=self._today(), firm=self._firm()
        )
        send(dispatcher, replies)
        return []

