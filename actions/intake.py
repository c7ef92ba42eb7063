"""Intake: consent first, then name, one contact and a time; the case is stored once, confirmed.

The rules (what counts as a name, a contact, "stop"; the replies; the case draft) live in
``noticebot.intake``; the repository and the staff notifier are injected.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.common import Adapter, latest_entities, privacy_warning
from noticebot.clock import utc_now
from noticebot.conversation import SLOTS, ConversationState
from noticebot.conversation.case import Contact, case_draft
from noticebot.intake.cases import Case, CaseDraft
from noticebot.intake.db import SchemaNotReady
from noticebot.intake.flow import (
    confirm_question,
    consent_question,
    created_replies,
    failed_replies,
    is_stop,
    not_stored_replies,
    read_contact,
    read_name,
    read_time,
    short_answer,
)
from noticebot.reply import Reply

logger = logging.getLogger(__name__)

FORM = "intake_form"
CONTACT_SLOTS = ("contact_name", "contact_email", "contact_phone", "contact_time")
STATE_SLOTS = ("intake_consent", "intake_consent_at", "intake_confirmed", "intake_stopped")


def _ended(tracker: Tracker) -> bool:
    """The person said no to consent or asked to stop."""
    return bool(tracker.get_slot("intake_stopped")) or tracker.get_slot("intake_consent") is False


def _cleared(*slots: str) -> list[EventType]:
    return [SlotSet(slot, None) for slot in slots]


class ActionAskIntakeConsent(Adapter):
    """Ask for consent in plain words: what is stored, who sees it, how to delete it."""

    OPENS = False  # asked by the form after its validation said what was due

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_ask_intake_consent"

    async def answer(self, tracker: Tracker) -> tuple[Sequence[Reply], list[EventType]]:
        """The consent question with its yes/no buttons."""
        return [consent_question(self.services.firm())], []


class ActionAskIntakeConfirmed(Adapter):
    """Read the details back before anything is stored."""

    OPENS = False

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_ask_intake_confirmed"

    async def answer(self, tracker: Tracker) -> tuple[Sequence[Reply], list[EventType]]:
        """The details with yes / change buttons."""
        return [confirm_question(*(tracker.get_slot(slot) for slot in CONTACT_SLOTS))], []


class ValidateIntakeForm(FormValidationAction):
    """Consent, name, one contact (e-mail or phone), time, confirmation; "stop" ends it."""

    def __init__(self, now: Callable[[], dt.datetime] = utc_now) -> None:
        """Inject the clock that stamps the consent."""
        super().__init__()
        self._now = now

    def name(self) -> str:
        """The action's name in the domain."""
        return "validate_intake_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Stop at once when asked to; otherwise validate what the message filled."""
        events = privacy_warning(dispatcher, tracker)
        asked = tracker.get_slot("requested_slot")
        if asked and tracker.active_loop_name == FORM and is_stop(
            tracker.latest_message.get("text")
        ):
            return [
                *events,
                *_cleared(*CONTACT_SLOTS, "intake_consent", "intake_consent_at",
                          "intake_confirmed"),
                SlotSet("intake_stopped", True),
                SlotSet("requested_slot", None),
            ]
        answer = short_answer(
            asked,
            tracker.latest_message.get("text"),
            asks_something=bool((tracker.latest_message.get("facts") or {}).get("asks")),
        )
        if asked and tracker.get_slot(asked) is None and answer is not None:
            # the NLU took a short answer for something else: it answers the question asked
            tracker.slots[asked] = answer
            tracker.events.append({"event": "slot", "name": asked, "value": answer})
        return [*events, *await super().run(dispatcher, tracker, domain)]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Every intake slot (so each one filled gets validated); none after a no or a stop."""
        if _ended(tracker):
            return []
        return domain_slots

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        """The next question: one for an e-mail or a phone; nothing after a no or a stop."""
        if _ended(tracker):
            return SlotSet("requested_slot", None)
        has_contact = tracker.get_slot("contact_email") or tracker.get_slot("contact_phone")
        for slot in self.domain_slots(domain):
            if slot == "contact_phone" or (slot == "contact_email" and has_contact):
                continue
            if tracker.get_slot(slot) is None:
                return SlotSet("requested_slot", slot)
        return SlotSet("requested_slot", None)

    def validate_intake_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Stamp a yes with the time it was given."""
        if value is True:
            return {"intake_consent": True, "intake_consent_at": self._now().isoformat()}
        return {"intake_consent": False if value is False else None}

    def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A name: the recognized entity when there is one, else the answer cleaned up."""
        entities = latest_entities(tracker, "contact_name")
        name = read_name(str(entities[0]["value"])) if entities else None
        name = name or read_name(str(value))
        if name is None:
            dispatcher.utter_message(response="utter_invalid_contact_name")
        return {"contact_name": name}

    def validate_contact_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An e-mail address, or a phone number given instead; re-asked when neither."""
        contact = read_contact(str(value))
        if contact is None:
            dispatcher.utter_message(response="utter_invalid_contact")
            return {"contact_email": None}
        if contact.email:
            return {"contact_email": contact.email}
        return {"contact_email": None, "contact_phone": contact.phone}

    def validate_contact_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A phone number that really exists (phonenumbers), in E.164."""
        contact = read_contact(str(value))
        if contact is None or contact.phone is None:
            dispatcher.utter_message(response="utter_invalid_contact")
            return {"contact_phone": None}
        return {"contact_phone": contact.phone}

    def validate_contact_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A preferred time, or "no preference" for skip."""
        time = read_time(str(value))
        if time is None:
            dispatcher.utter_message(response="utter_invalid_contact_time")
        return {"contact_time": time}

    def validate_intake_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A no goes through the details again."""
        if value is False:
            dispatcher.utter_message(response="utter_intake_restart")
            return {"intake_confirmed": None, **dict.fromkeys(CONTACT_SLOTS)}
        return {"intake_confirmed": value}


class ActionSubmitIntake(Adapter):
    """Store the case once (only with consent and confirmation), confirm it, notify the firm.

    Whatever the outcome, the contact details and the intake's state leave the conversation's
    slots: the case holds them now (or nothing does), so whoever types next in this
    conversation cannot have them read back or submit them again.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The services (``Adapter``), and the notifications still being sent."""
        super().__init__(*args, **kwargs)
        self.pending: set[asyncio.Future[None]] = set()

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_submit_intake"

    async def answer(self, tracker: Tracker) -> tuple[Sequence[Reply], list[EventType]]:
        """Save and confirm, or say plainly that nothing was stored."""
        reset = _cleared(*STATE_SLOTS, *CONTACT_SLOTS)
        complete = (
            tracker.get_slot("intake_consent") is True
            and tracker.get_slot("intake_confirmed") is True
            and not tracker.get_slot("intake_stopped")
            and tracker.get_slot("contact_name")
            and (tracker.get_slot("contact_email") or tracker.get_slot("contact_phone"))
        )
        if not complete:
            return not_stored_replies(), reset
        firm = self.services.firm()
        repository = self.services.repository()
        try:
            draft = self._draft(tracker)
            case, created = await asyncio.get_running_loop().run_in_executor(
                None, repository.save, draft
            )
        except (SchemaNotReady, SQLAlchemyError, ValueError):
            logger.exception("Could not store the case of conversation %s", tracker.sender_id)
            return failed_replies(firm), reset
        if created or case.notified_at is None:  # new, reopened, or never delivered
            self._notify_later(case)
        return created_replies(case, created=created, firm=firm), [
            *reset, SlotSet("case_id", case.id)
        ]

    def _draft(self, tracker: Tracker) -> CaseDraft:
        """The case draft (``noticebot.conversation.case``) from the slots and the form."""
        state = ConversationState.from_slots({slot: tracker.get_slot(slot) for slot in SLOTS})
        contact = Contact(
            name=str(tracker.get_slot("contact_name")),
            email=tracker.get_slot("contact_email"),
            phone=tracker.get_slot("contact_phone"),
            time=tracker.get_slot("contact_time"),
            consent_at=dt.datetime.fromisoformat(str(tracker.get_slot("intake_consent_at"))),
        )
        return case_draft(
            state,
            contact,
            channel=tracker.get_latest_input_channel() or "unknown",
            conversation_id=tracker.sender_id,
            catalog=self.services.catalog(),
            today=self.services.today(),
        )

    def _notify_later(self, case: Case) -> None:
        """POST the case to the staff webhook in the background; the person does not wait."""
        notifier = self.services.notifier()
        if notifier is None:
            return
        repository = self.services.repository()

        def notify() -> None:
            if notifier.notify(case):
                repository.mark_notified(case.id, dt.datetime.now(dt.timezone.utc))

        future = asyncio.get_running_loop().run_in_executor(None, notify)
        self.pending.add(future)
        future.add_done_callback(self.pending.discard)
