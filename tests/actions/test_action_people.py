"""Offering a person: the firm's contact when configured, neutral free help otherwise."""

from __future__ import annotations

import pytest
from trackers import make_tracker, responses, run_action

from actions.people import ActionHandleMisunderstanding, ActionOfferHuman
from noticebot.settings import FirmProfile

NEUTRAL = FirmProfile()
FIRM = FirmProfile(name="Example Tax Help", phone="+1 555 0100",
                   booking_url="https://example.org/book")


@pytest.mark.parametrize(
    ("firm", "expected"),
    [(NEUTRAL, "utter_offer_human_neutral"), (FIRM, "utter_offer_human_firm"),
     (FirmProfile(email="help@example.org"), "utter_offer_human_firm_unnamed")],
)
def test_offer_uses_the_firm_profile(firm: FirmProfile, expected: str) -> None:
    dispatcher, _ = run_action(ActionOfferHuman(firm=lambda: firm),
                               make_tracker(intent="request_human"))
    assert responses(dispatcher) == [expected]


def test_firm_contacts_are_all_given() -> None:
    dispatcher, _ = run_action(ActionOfferHuman(firm=lambda: FIRM),
                               make_tracker(intent="request_human"))
    message = dispatcher.messages[0]
    assert message["firm_name"] == "Example Tax Help"
    assert "+1 555 0100" in message["firm_contact"]
    assert "example.org/book" in message["firm_contact"]


@pytest.mark.parametrize(
    ("past", "expected"),
    [((), ["utter_misunderstood"]),
     (("greet",), ["utter_misunderstood"]),
     (("nlu_fallback",), ["utter_misunderstood_twice", "utter_offer_human_neutral"]),
     (("nlu_fallback", "greet"), ["utter_misunderstood"])],
)
def test_two_misunderstandings_in_a_row_offer_a_person(
    past: tuple[str, ...], expected: list[str]
) -> None:
    action = ActionHandleMisunderstanding(firm=lambda: NEUTRAL)
    dispatcher, _ = run_action(action, make_tracker(intent="nlu_fallback", past_intents=past))
    assert responses(dispatcher) == expected
