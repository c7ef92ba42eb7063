"""Triage form and action: only the questions the route depends on, then the route."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from trackers import make_tracker, responses, run_action, slot_events

from actions.triage import ActionAskHasRedFlags, ActionTriage, ValidateTriageForm
from noticebot.knowledge.catalog import Catalog
from noticebot.settings import FirmProfile

TODAY = dt.date(2026, 11, 23)
LT11 = [{"code": "LT11", "notice_date": "2026-11-02", "printed_deadline": None}]
LT11_LATE = [{"code": "LT11", "notice_date": "2026-09-01", "printed_deadline": None}]
CP297A = [{"code": "CP297A", "notice_date": "2026-11-02", "printed_deadline": None}]


def required(catalog: Catalog, slots: dict[str, Any]) -> list[str]:
    form = ValidateTriageForm(catalog=lambda: catalog, today=lambda: TODAY)
    tracker = make_tracker(intent="inform", slots=slots, active_loop="triage_form")
    return asyncio.run(form.required_slots([], CollectingDispatcher(), tracker, {}))


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"notices": LT11}, ["agrees_with_amount"]),
        ({"notices": LT11, "agrees_with_amount": True}, ["can_pay_in_full"]),
        ({"notices": LT11, "agrees_with_amount": False}, ["has_red_flags"]),
        ({"notices": LT11, "agrees_with_amount": True, "can_pay_in_full": False},
         ["has_red_flags"]),
        ({"notices": LT11, "agrees_with_amount": True, "can_pay_in_full": False,
          "has_red_flags": False}, []),
        ({"notices": LT11, "agrees_with_amount": True, "hardship": True}, ["has_red_flags"]),
        ({"notices": CP297A}, []),  # a levy already in place: no question needed
        ({"notices": LT11_LATE}, []),  # hearing window missed: straight to help
        ({"notices": LT11, "amount": 80000.0}, []),  # over the streamlined limit
        ({}, ["agrees_with_amount"]),  # no notice named: still triage
    ],
)
def test_form_asks_only_what_the_route_depends_on(
    catalog: Catalog, slots: dict[str, Any], expected: list[str]
) -> None:
    assert required(catalog, slots) == expected


NEUTRAL_FIRM = FirmProfile()


def triage_run(catalog: Catalog, slots: dict[str, Any]
               ) -> tuple[CollectingDispatcher, dict[str, Any]]:
    action = ActionTriage(catalog=lambda: catalog, today=lambda: TODAY,
                          firm=lambda: NEUTRAL_FIRM)
    dispatcher, events = run_action(action, make_tracker(intent="deny", slots=slots))
    return dispatcher, slot_events(events)


def payload(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    return next(m["custom"] for m in dispatcher.messages if m.get("custom"))


@pytest.mark.parametrize(
    ("slots", "route", "offers_person"),
    [
        ({"notices": LT11, "agrees_with_amount": True, "can_pay_in_full": True,
          "has_red_flags": False}, "pay", False),
        ({"notices": LT11, "agrees_with_amount": True, "can_pay_in_full": False,
          "has_red_flags": False}, "negotiate", True),
        ({"notices": LT11, "agrees_with_amount": False, "has_red_flags": False},
         "appeal", False),
        ({"notices": LT11, "agrees_with_amount": True, "can_pay_in_full": True,
          "has_red_flags": True}, "get_help", True),
        ({"notices": LT11_LATE}, "get_help", True),
        ({"notices": CP297A}, "get_help", True),
    ],
)
def test_route_payload_and_offer(
    catalog: Catalog, slots: dict[str, Any], route: str, offers_person: bool
) -> None:
    dispatcher, events = triage_run(catalog, slots)
    said = responses(dispatcher)
    assert said[0] == f"utter_route_{route}"
    card = payload(dispatcher)
    assert set(card) == {"type", "route", "notice_code", "reasons", "next_steps", "forms"}
    assert card["type"] == "triage_result" and card["route"] == route
    assert card["next_steps"] and all(card["next_steps"])
    assert ("utter_offer_human_neutral" in said) is offers_person
    assert events == {"route": route}


def test_appeal_on_a_final_notice_names_the_cdp_form(catalog: Catalog) -> None:
    dispatcher, _ = triage_run(catalog, {"notices": LT11, "agrees_with_amount": False,
                                         "has_red_flags": False})
    assert "12153" in payload(dispatcher)["forms"]
    assert "utter_forms" in responses(dispatcher)


def test_said_red_flag_is_the_reason(catalog: Catalog) -> None:
    dispatcher, _ = triage_run(catalog, {"notices": LT11, "agrees_with_amount": True,
                                         "can_pay_in_full": False, "has_red_flags": True})
    assert payload(dispatcher)["reasons"] == ["you said one of the warning signs applies"]


def test_missing_answers_ask_again_instead_of_guessing(catalog: Catalog) -> None:
    dispatcher, events = triage_run(catalog, {"notices": LT11})
    assert responses(dispatcher) == ["utter_misunderstood"] and events == {}


def test_red_flag_question_carries_the_limit_from_the_catalog(catalog: Catalog) -> None:
    action = ActionAskHasRedFlags(catalog=lambda: catalog, today=lambda: TODAY)
    dispatcher, _ = run_action(action, make_tracker(intent="affirm"))
    limit = catalog.figure("streamlined_ia_limit", year=TODAY.year).value
    assert dispatcher.messages[0]["streamlined_limit"] == f"${limit:,.0f}"
