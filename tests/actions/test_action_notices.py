"""action_explain_notice and action_greet: entities and slots in, responses and slots out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from trackers import entity, make_tracker, responses, run_action, slot_events

from actions.notices import ActionExplainNotice, ActionGreet
from noticebot.knowledge.catalog import Catalog

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def explain(catalog: Catalog) -> ActionExplainNotice:
    """The action over the real catalog with a fixed clock."""
    return ActionExplainNotice(catalog=lambda: catalog, today=lambda: TODAY)


def run(action: ActionExplainNotice, **kwargs: Any) -> tuple[list[str], Any, dict[str, Any]]:
    kwargs.setdefault("slots", {"disclaimer_shown": True})
    dispatcher, events = run_action(action, make_tracker(**kwargs))
    return responses(dispatcher), dispatcher, slot_events(events)


def card(dispatcher: Any) -> dict[str, Any]:
    cards = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert cards, "no summary card was sent"
    return dict(cards[-1])


def test_greeting_carries_the_disclaimer_once() -> None:
    dispatcher, events = run_action(ActionGreet(), make_tracker(intent="greet"))
    assert responses(dispatcher) == ["utter_greet"]
    assert slot_events(events) == {"disclaimer_shown": True}


def test_first_notice_without_greeting_gets_the_disclaimer(
    explain: ActionExplainNotice,
) -> None:
    said, _, slots = run(explain, entities=[entity("notice_code", "CP504")],
                         slots={"disclaimer_shown": False})
    assert said[0] == "utter_disclaimer" and slots["disclaimer_shown"] is True


def test_no_code_asks_where_it_is_printed(explain: ActionExplainNotice) -> None:
    said, _, slots = run(explain)
    assert said == ["utter_ask_notice_code"]
    assert slots["notice_status"] == "unknown"


def test_unknown_code_is_said_and_nothing_remembered(explain: ActionExplainNotice) -> None:
    said, dispatcher, slots = run(explain, entities=[entity("notice_code", "CP999")])
    assert said == ["utter_notice_unknown"]
    assert dispatcher.messages[0]["notice_code"] == "CP999"
    assert slots == {"notice_status": "unknown"}


def test_counted_notice_without_date_asks_for_the_notice_date(
    explain: ActionExplainNotice,
) -> None:
    said, dispatcher, slots = run(explain, entities=[entity("notice_code", "LT11")])
    assert said == ["utter_notice_explained", "utter_notice_summary",
                    "utter_deadline_needs_notice_date", "utter_ask_notice_date"]
    assert card(dispatcher)["response_deadline"] is None
    assert (slots["notice_status"], slots["requested_date"]) == ("needs_date", "notice_date")


def test_printed_only_notice_asks_for_the_printed_date(explain: ActionExplainNotice) -> None:
    said, _, slots = run(explain, entities=[entity("notice_code", "CP504")])
    assert said[-1] == "utter_ask_printed_deadline"
    assert slots["requested_date"] == "printed_deadline"


def test_answer_to_the_date_question_gives_deadline_and_rights(
    explain: ActionExplainNotice,
) -> None:
    said, dispatcher, slots = run(
        explain, intent="inform", entities=[entity("date", "2026-11-02")],
        slots={"disclaimer_shown": True, "requested_date": "notice_date",
               "notices": [{"code": "LT11", "notice_date": None, "printed_deadline": None}]})
    assert said == ["utter_notice_summary", "utter_deadline_counted",
                    "utter_right_open_form", "utter_right_open_form"]
    summary = card(dispatcher)
    assert (summary["notice_date"], summary["response_deadline"], summary["days_left"]) == (
        "2026-11-02", "2026-12-02", 9)
    assert slots["notice_status"] == "ready" and slots["requested_date"] is None


def test_respond_by_date_is_the_printed_deadline_not_a_notice_date(
    explain: ActionExplainNotice,
) -> None:
    _, dispatcher, _ = run(explain, entities=[entity("notice_code", "LT11"),
                                              entity("date", "2026-12-02", role="deadline")])
    summary = card(dispatcher)
    assert (summary["response_deadline"], summary["days_left"]) == ("2026-12-02", 9)
    assert summary["notice_date"] is None


def test_the_day_it_arrived_does_not_count(explain: ActionExplainNotice) -> None:
    said, _, slots = run(explain, entities=[entity("notice_code", "LT11"),
                                            entity("date", "2026-11-22", role="received")])
    assert "utter_received_date_ignored" in said
    assert slots["notice_status"] == "needs_date"


def test_a_future_date_without_cue_is_a_response_date(explain: ActionExplainNotice) -> None:
    _, dispatcher, _ = run(explain, entities=[entity("notice_code", "CP504"),
                                              entity("date", "2026-12-10")])
    assert card(dispatcher)["response_deadline"] == "2026-12-10"


def test_dont_know_the_date_goes_on(explain: ActionExplainNotice) -> None:
    said, _, slots = run(explain, intent="deny", slots={
        "disclaimer_shown": True, "requested_date": "notice_date",
        "notices": [{"code": "LT11", "notice_date": None, "printed_deadline": None}]})
    assert "utter_date_unknown_ok" in said
    assert slots["notice_status"] == "ready"


def test_passed_window_names_what_is_lost(explain: ActionExplainNotice) -> None:
    said, dispatcher, _ = run(explain, entities=[entity("notice_code", "LT11"),
                                                 entity("date", "2026-09-01", role="notice")])
    assert "utter_deadline_passed" in said and "utter_right_lost" in said
    assert card(dispatcher)["urgency"] == "overdue"


def test_far_future_notice_date_is_refused_and_asked_again(
    explain: ActionExplainNotice,
) -> None:
    said, _, slots = run(explain, entities=[entity("notice_code", "LT11"),
                                            entity("date", "2027-09-01", role="notice")])
    assert "utter_notice_date_invalid" in said
    assert slots["notices"] == [{"code": "LT11", "notice_date": None, "printed_deadline": None}]


def test_several_notices_keep_their_own_cards_and_the_most_urgent_leads(
    explain: ActionExplainNotice,
) -> None:
    _, dispatcher, slots = run(
        explain, entities=[entity("notice_code", "CP523")],
        slots={"disclaimer_shown": True,
               "notices": [{"code": "CP504", "notice_date": None,
                            "printed_deadline": "2026-12-20"}]})
    said2, dispatcher2, slots2 = run(
        explain, intent="inform", entities=[entity("date", "2026-11-02", role="notice")],
        slots={"disclaimer_shown": True, "notices": slots["notices"],
               "requested_date": slots["requested_date"]})
    assert [e["code"] for e in slots2["notices"]] == ["CP504", "CP523"]
    assert "utter_most_urgent_notice" in said2
    lead = next(m for m in dispatcher2.messages if m["response"] == "utter_most_urgent_notice")
    assert lead["notice_code"] == "CP523" and lead["other_codes"] == "CP504"
    assert card(dispatcher)["notice_code"] == "CP523"


@pytest.mark.parametrize("alias", ["LTR1058", "CP521 (SP)"])
def test_aliases_resolve_to_their_entry(explain: ActionExplainNotice, alias: str) -> None:
    _, dispatcher, slots = run(explain, entities=[entity("notice_code", alias)])
    assert card(dispatcher)["notice_code"] == slots["notice_code"]


def test_a_new_notice_clears_the_previous_triage_answers(explain: ActionExplainNotice) -> None:
    _, _, slots = run(explain, entities=[entity("notice_code", "CP523")], slots={
        "disclaimer_shown": True, "agrees_with_amount": True, "can_pay_in_full": True,
        "hardship": True,
        "notices": [{"code": "CP504", "notice_date": None, "printed_deadline": "2026-12-20"}]})
    assert slots["agrees_with_amount"] is None and slots["can_pay_in_full"] is None
    assert "has_red_flags" not in slots and "hardship" not in slots


def test_the_first_notice_keeps_answers_given_before_it(explain: ActionExplainNotice) -> None:
    _, _, slots = run(explain, entities=[entity("notice_code", "CP14")],
                      slots={"disclaimer_shown": True, "can_pay_in_full": False})
    assert "can_pay_in_full" not in slots
