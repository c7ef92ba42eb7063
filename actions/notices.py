"""Greeting, and explaining the notices the person reports with their deadlines."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    UsesCatalog,
    latest_codes,
    latest_dates,
    notice_entries,
    opening,
    privacy_warning,
    send,
)
from noticebot.notices import notice_turn

# The answers that belong to one notice's triage (hardship and a missed installment are about
# the person, and stay).
TRIAGE_ANSWERS = ("agrees_with_amount", "can_pay_in_full", "has_red_flags")


class ActionGreet(Action):
    """Greet with the one-line disclaimer and ask which notice arrived."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the greeting (it carries the disclaimer)."""
        events = privacy_warning(dispatcher, tracker)
        dispatcher.utter_message(response="utter_greet")
        return [*events, SlotSet("disclaimer_shown", True)]


class ActionExplainNotice(UsesCatalog, Action):
    """Explain the notices named so far, take the dates given, and say the deadline."""


    def name(self) -> str:
        """The action's name in the domain."""
        return "action_explain_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply with explanations, summary cards and the deadline of the notice at hand."""
        catalog, today = self._catalog(), self._today()
        events = opening(dispatcher, tracker)

        intent = tracker.latest_message.get("intent", {}).get("name")
        turn = notice_turn(
            catalog,
            codes=latest_codes(tracker),
            dates=latest_dates(tracker),
            entries=notice_entries(tracker),
            asked=tracker.get_slot("requested_date"),
            said_no=intent == "deny",
            today=today,
        )
        send(dispatcher, turn.replies)
        if turn.target is None:
            return [*events, SlotSet("notice_status", turn.status)]
        if turn.new_notice:
            # A new notice has its own amount: its triage starts again.
            events += [
                SlotSet(slot, None) for slot in TRIAGE_ANSWERS if tracker.get_slot(slot) is not None
            ]
        return [
            *events,
            SlotSet("notices", [e.as_slot() for e in turn.entries]),
            SlotSet("notice_code", turn.target),
            SlotSet("requested_date", turn.requested_date),
            SlotSet("notice_status", turn.status),
        ]
