"""Greeting, and explaining the notices the person reports with their deadlines."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesCatalog, latest_codes, latest_dates, notice_entries, send
from noticebot.notices import (
    NoticeEntry,
    NoticeExplanation,
    date_to_ask,
    deadline_replies,
    explain_entry,
    explanation_replies,
    lead_explanation,
    lead_replies,
    remember,
    sort_dates,
)

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
        dispatcher.utter_message(response="utter_greet")
        return [SlotSet("disclaimer_shown", True)]


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
        events: list[EventType] = []
        if not tracker.get_slot("disclaimer_shown"):
            dispatcher.utter_message(response="utter_disclaimer")
            events.append(SlotSet("disclaimer_shown", True))

        known: list[str] = []
        for code in latest_codes(tracker):
            notice = catalog.resolve(code)
            if notice is None:
                dispatcher.utter_message(response="utter_notice_unknown", notice_code=code)
            elif notice.code not in known:
                known.append(notice.code)
        entries = notice_entries(tracker)
        if not known and not entries:
            if not latest_codes(tracker):
                dispatcher.utter_message(response="utter_ask_notice_code")
            return [*events, SlotSet("notice_status", "unknown")]

        asked = tracker.get_slot("requested_date")
        given = sort_dates(latest_dates(tracker), today=today, asked=asked)
        if given.received and not (given.notice_date or given.printed_deadline):
            dispatcher.utter_message(response="utter_received_date_ignored")
        previous = {entry.code for entry in entries}
        entries = remember(entries, known, given)
        target = known[-1] if known else entries[-1].code
        explanations: list[NoticeExplanation] = []
        for index, entry in enumerate(entries):
            explanation = explain_entry(catalog, entry, today=today)
            if explanation is None:  # impossible dates: forget them and ask again
                dispatcher.utter_message(response="utter_notice_date_invalid")
                entries[index] = NoticeEntry(code=entry.code)
                explanation = explain_entry(catalog, entries[index], today=today)
            if explanation is not None:
                explanations.append(explanation)
        by_code = {e.notice.code: e for e in explanations}
        for code in known:
            if code not in previous:
                send(dispatcher, explanation_replies(by_code[code]))
        current = by_code[target]
        entry = next(e for e in entries if e.code == target)
        wanted = date_to_ask(current.notice)
        intent = tracker.latest_message.get("intent", {}).get("name")
        # "I don't know" to the date question: go on without it.
        skipped = bool(asked) and intent == "deny" and not latest_dates(tracker)
        if target in previous and (given.notice_date or given.printed_deadline):
            send(dispatcher, explanation_replies(current)[1:])  # the updated summary card
        needs_date = (
            wanted is not None
            and entry.notice_date is None
            and entry.printed_deadline is None
            and not skipped
        )
        if skipped:
            dispatcher.utter_message(response="utter_date_unknown_ok")
        send(dispatcher, deadline_replies(current))
        if needs_date:
            dispatcher.utter_message(
                response=f"utter_ask_{wanted}", notice_code=current.notice.code
            )
        if previous and any(code not in previous for code in known):
            # A new notice has its own amount: its triage starts again.
            events += [
                SlotSet(slot, None) for slot in TRIAGE_ANSWERS if tracker.get_slot(slot) is not None
            ]
        lead = lead_explanation(explanations)
        if lead is not None and len(explanations) > 1:
            send(dispatcher, lead_replies(lead, [e for e in explanations if e is not lead]))
        return [
            *events,
            SlotSet("notices", [e.as_slot() for e in entries]),
            SlotSet("notice_code", target),
            SlotSet("requested_date", wanted if needs_date else None),
            SlotSet("notice_status", "needs_date" if needs_date else "ready"),
        ]
