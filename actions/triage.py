"""Triage: the fewest questions (the form), then the recommended route with its payload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import UsesCatalog, notice_entries, opening, privacy_warning, send
from actions.services import default_catalog, default_firm
from noticebot.clock import firm_today
from noticebot.deadlines import DeadlineResult
from noticebot.handoff import handoff_replies
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import explain_entries, lead_explanation
from noticebot.settings import FirmProfile
from noticebot.triage import (
    Q_AGREES,
    Q_CAN_PAY,
    Q_RED_FLAGS,
    TriageAnswers,
    next_question,
    offers_a_person,
    red_flags_in,
    triage,
    triage_replies,
)

SLOT_OF_QUESTION = {
    Q_AGREES: "agrees_with_amount",
    Q_CAN_PAY: "can_pay_in_full",
    Q_RED_FLAGS: "has_red_flags",
}
STREAMLINED_LIMIT = "streamlined_ia_limit"


def triage_inputs(
    tracker: Tracker, catalog: Catalog, today: dt.date
) -> tuple[TriageAnswers, DeadlineResult | None]:
    """The person's answers so far, with the red flags the facts reveal, most urgent first."""
    explanations = explain_entries(catalog, notice_entries(tracker), today=today)
    lead = lead_explanation(explanations)
    ordered = ([lead] if lead else []) + [e for e in explanations if e is not lead]
    codes = tuple(e.notice.code for e in ordered)
    deadline = lead.deadline if lead else None
    amount = tracker.get_slot("amount")
    amount = float(amount) if isinstance(amount, int | float) and amount >= 0 else None
    flags = set(
        red_flags_in(amount=amount, codes=codes, catalog=catalog, year=today.year,
                     deadline=deadline)
    )
    said_flags = tracker.get_slot("has_red_flags")
    if said_flags:
        flags.add("reported_red_flag")
    answers = TriageAnswers(
        notice_codes=codes,
        agrees_with_amount=tracker.get_slot("agrees_with_amount"),
        can_pay_in_full=tracker.get_slot("can_pay_in_full"),
        red_flags=frozenset(flags),
        amount=amount,
        missed_installment=bool(tracker.get_slot("missed_installment")),
        hardship=bool(tracker.get_slot("hardship")),
        red_flags_checked=said_flags is not None,
    )
    return answers, deadline


class ValidateTriageForm(UsesCatalog, FormValidationAction):
    """Ask only what the route still depends on."""


    def name(self) -> str:
        """The action's name in the domain."""
        return "validate_triage_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate as usual, after the privacy warning when the message needed one."""
        events = privacy_warning(dispatcher, tracker)
        return [*events, *await super().run(dispatcher, tracker, domain)]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The next question's slot, or none when triage can route."""
        answers, _ = triage_inputs(tracker, self._catalog(), self._today())
        question = next_question(answers)
        return [SLOT_OF_QUESTION[question]] if question else []


class ActionAskHasRedFlags(UsesCatalog, Action):
    """Ask the one red-flag question, with this year's streamlined limit from the catalog."""


    def name(self) -> str:
        """The action's name in the domain."""
        return "action_ask_has_red_flags"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the question."""
        events = privacy_warning(dispatcher, tracker)
        limit = self._catalog().figure(STREAMLINED_LIMIT, year=self._today().year)
        dispatcher.utter_message(
            response="utter_ask_has_red_flags", streamlined_limit=f"${limit.value:,.0f}"
        )
        return events


class ActionTriage(UsesCatalog, Action):
    """Recommend pay, negotiate, appeal or get_help, say why, and send ``triage_result``."""

    def __init__(
        self,
        catalog: Callable[[], Catalog] = default_catalog,
        today: Callable[[], dt.date] = firm_today,
        firm: Callable[[], FirmProfile] = default_firm,
    ) -> None:
        """Inject the catalog, the clock and the firm profile (tests pass fakes)."""
        super().__init__(catalog, today)
        self._firm = firm

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the recommendation, then a way to reach a person where it helps."""
        catalog, today = self._catalog(), self._today()
        events = opening(dispatcher, tracker)
        answers, deadline = triage_inputs(tracker, catalog, today)
        try:
            result = triage(answers, catalog=catalog, deadline=deadline, year=today.year)
        except ValueError:  # an answer is still missing: ask again rather than guess
            dispatcher.utter_message(response="utter_misunderstood")
            return events
        send(dispatcher, triage_replies(result))
        if offers_a_person(result):
            send(dispatcher, handoff_replies(self._firm()))
        return [*events, SlotSet("route", result.route)]
