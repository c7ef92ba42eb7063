"""The actions of the conversation, adapters over the domain: ``action_respond`` answers every
message outside intake (``noticebot.conversation.respond``), ``action_deadline_reminder`` says a
reminder when it fires (``noticebot.reminders.fired_replies``).

``action_respond`` reads the conversation's state from the slots and the message's facts from
the parse data (the NLU pipeline's reader put them there), asks the domain what to say, and keeps
the new state in the slots; ``next_step`` tells the rules whether the intake form comes next;
reminders become Rasa's reminder events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, ReminderCancelled, ReminderScheduled, SlotSet

from actions.common import Adapter, user_intents
from noticebot.answers import CatalogAnswers
from noticebot.conversation import SAFETY_RESPONSE, SLOTS, ConversationState, Turn, respond
from noticebot.conversation.documents import METADATA_KEY as DOCUMENT_METADATA_KEY
from noticebot.handoff import consecutive_misunderstandings
from noticebot.reading import MessageFacts, facts_from_entities
from noticebot.reminders import FIRED_INTENT, Reminder, fired_replies
from noticebot.reply import Reply

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


class ActionRespond(Adapter):
    """Answer the latest message (see ``noticebot.conversation.engine`` for what is said)."""

    SAFETY_FIRST = frozenset({SAFETY_RESPONSE, "utter_offer_more"})

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_respond"

    async def answer(self, tracker: Tracker) -> tuple[Sequence[Reply], list[EventType]]:
        """The turn's replies; the slots that changed, ``next_step`` and the reminders."""
        services = self.services
        catalog = services.catalog()
        before = ConversationState.from_slots({slot: tracker.get_slot(slot) for slot in SLOTS})
        result = respond(
            before,
            turn_of(tracker),
            catalog=catalog,
            today=services.today(),
            firm=services.firm(),
            answers=CatalogAnswers(catalog, services.knowledge_base, cards=services.cards()),
            now=services.now(),
        )
        old, new = before.to_slots(), result.state.to_slots()
        events: list[EventType] = [
            SlotSet(slot, value) for slot, value in new.items() if value != old[slot]
        ]
        events.append(SlotSet("next_step", result.next_step))
        events += reminder_events(
            tracker.sender_id, result.schedule, cancel=result.cancel_reminders
        )
        return result.replies, events


class ActionDeadlineReminder(Adapter):
    """What a reminder says when it fires: Rasa runs it for the ``EXTERNAL_deadline_reminder``
    intent a ``ReminderScheduled`` fires with. No person wrote anything: no prologue."""

    OPENS = False

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_deadline_reminder"

    async def answer(self, tracker: Tracker) -> tuple[Sequence[Reply], list[EventType]]:
        """The reminder (nothing when its date has passed)."""
        entities: dict[str, Any] = {
            str(e.get("entity")): e.get("value")
            for e in (tracker.latest_message or {}).get("entities") or []
        }
        services = self.services
        replies = fired_replies(
            entities, catalog=services.catalog(), today=services.today(), firm=services.firm()
        )
        return replies, []
