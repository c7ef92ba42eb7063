"""The short educational disclaimer comes once, whichever action opens the conversation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Action
from trackers import make_tracker, responses, run_action, slot_events

from actions.answers import ActionAnswerQuestion
from actions.people import ActionOfferHuman
from actions.triage import ActionTriage
from noticebot.knowledge.catalog import Catalog
from noticebot.settings import FirmProfile

TODAY = dt.date(2026, 11, 23)
NOT_SHOWN = {"disclaimer_shown": False}
TRIAGED = {"agrees_with_amount": True, "can_pay_in_full": True, "has_red_flags": False}


def opening_actions(catalog: Catalog) -> list[tuple[Action, str, dict[str, Any]]]:
    firm = FirmProfile()
    return [
        (ActionAnswerQuestion(catalog=lambda: catalog, today=lambda: TODAY),
         "ask_payment_plan", {}),
        (ActionOfferHuman(firm=lambda: firm), "request_human", {}),
        (ActionTriage(catalog=lambda: catalog, today=lambda: TODAY, firm=lambda: firm),
         "can_pay", TRIAGED),
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_first_message_of_any_kind_gets_the_disclaimer_first(catalog: Catalog,
                                                             index: int) -> None:
    action, intent, slots = opening_actions(catalog)[index]
    dispatcher, events = run_action(action, make_tracker(intent=intent,
                                                         slots={**slots, **NOT_SHOWN}))
    assert responses(dispatcher)[0] == "utter_disclaimer"
    assert slot_events(events)["disclaimer_shown"] is True


@pytest.mark.parametrize("index", [0, 1, 2])
def test_the_disclaimer_is_not_repeated(catalog: Catalog, index: int) -> None:
    action, intent, slots = opening_actions(catalog)[index]
    dispatcher, _ = run_action(action, make_tracker(intent=intent, slots=slots))
    assert "utter_disclaimer" not in responses(dispatcher)
