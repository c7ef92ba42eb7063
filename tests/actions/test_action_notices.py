"""action_explain_notice: slots and entities in, responses and payloads out (no Rasa server)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.notices import ActionExplainNotice
from noticebot.knowledge.catalog import Catalog, parse_catalog

SRC = ["https://www.irs.gov/example"]
TODAY = dt.date(2026, 11, 23)


def fake_catalog() -> Catalog:
    """One 30-day notice, enough to drive every branch of the action."""
    return parse_catalog(
        [
            {
                "code": "LT11",
                "title": "Final notice of intent to levy",
                "audience": "individual",
                "stage": "final_intent_to_levy",
                "aliases": ["LTR1058"],
                "meaning": {"text": "The IRS plans to levy.", "sources": SRC},
                "deadline": {"rule": "days_from_notice", "days": 30, "text": "30 days.",
                             "sources": SRC},
                "if_ignored": {"text": "A levy may follow.", "sources": SRC},
                "routes": {"appeal": {"next_steps": ["File Form 12153."], "forms": ["12153"],
                                      "sources": SRC}},
            }
        ],
        [],
    )


def tracker(*, entities: list[dict[str, Any]] = (), slots: dict[str, Any] | None = None,
            text: str = "") -> Tracker:  # type: ignore[assignment]
    """A tracker whose latest message carries ``entities``."""
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": "report_notice"},
                        "entities": list(entities)},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(entities: list[dict[str, Any]] = (), slots: dict[str, Any] | None = None  # type: ignore[assignment]
        ) -> tuple[CollectingDispatcher, list[Any]]:
    """Run the action with the fake catalog and a fixed clock."""
    dispatcher = CollectingDispatcher()
    action = ActionExplainNotice(catalog=fake_catalog, today=lambda: TODAY)
    events = asyncio.run(action.run(dispatcher, tracker(entities=entities, slots=slots), {}))
    return dispatcher, events


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


def test_no_code_asks_for_it() -> None:
    dispatcher, events = run()
    assert responses(dispatcher) == ["utter_ask_notice_code"]
    assert events == []


def test_unknown_code_is_said_and_forgotten() -> None:
    dispatcher, events = run([{"entity": "notice_code", "value": "CP999"}])
    assert responses(dispatcher) == ["utter_notice_unknown"]
    assert dispatcher.messages[0]["notice_code"] == "CP999"
    assert events == [SlotSet("notice_code", None)]


def test_known_code_without_date_explains_and_asks_for_the_date() -> None:
    dispatcher, events = run([{"entity": "notice_code", "value": "LT11"}])
    assert responses(dispatcher) == [
        "utter_notice_explained", "utter_notice_summary", "utter_deadline_needs_notice_date"]
    card = dispatcher.messages[1]["custom"]
    assert card["type"] == "notice_summary" and card["notice_code"] == "LT11"
    assert card["response_deadline"] is None and card["urgency"] == "unknown"
    assert SlotSet("notice_code", "LT11") in events


def test_alias_and_date_give_the_counted_deadline() -> None:
    dispatcher, events = run([{"entity": "notice_code", "value": "LTR1058"},
                              {"entity": "date", "value": "2026-11-02"}])
    assert responses(dispatcher)[2] == "utter_deadline_counted"
    card = dispatcher.messages[1]["custom"]
    assert (card["notice_date"], card["response_deadline"], card["days_left"]) == (
        "2026-11-02", "2026-12-02", 9)
    assert dispatcher.messages[2]["response_deadline"] == "Wednesday, December 2, 2026"
    assert SlotSet("notice_date", "2026-11-02") in events


def test_date_alone_uses_the_remembered_code() -> None:
    dispatcher, _ = run([{"entity": "date", "value": "2026-10-23"}], slots={"notice_code": "LT11"})
    assert responses(dispatcher)[2:] == ["utter_deadline_counted", "utter_deadline_moved"]
    assert dispatcher.messages[3]["moved_reason"] == "a Sunday"


def test_passed_deadline_is_said_plainly() -> None:
    dispatcher, _ = run([{"entity": "notice_code", "value": "LT11"},
                         {"entity": "date", "value": "2026-09-01"}])
    assert responses(dispatcher)[2] == "utter_deadline_passed"
    assert dispatcher.messages[1]["custom"]["urgency"] == "overdue"


@pytest.mark.parametrize("bad", ["2027-09-01", "not a date"])
def test_impossible_or_unreadable_date(bad: str) -> None:
    dispatcher, events = run([{"entity": "notice_code", "value": "LT11"},
                              {"entity": "date", "value": bad}])
    if bad == "not a date":  # unreadable: explained without a date
        assert responses(dispatcher)[2] == "utter_deadline_needs_notice_date"
    else:  # far in the future: asked again
        assert responses(dispatcher) == ["utter_notice_date_invalid"]
        assert events == [SlotSet("notice_date", None)]


def test_every_response_the_action_uses_exists_in_the_domain() -> None:
    import yaml

    from noticebot.settings import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    used = {
        "utter_ask_notice_code", "utter_notice_unknown", "utter_notice_date_invalid",
        "utter_notice_explained", "utter_notice_summary", "utter_deadline_counted",
        "utter_deadline_estimated", "utter_deadline_printed", "utter_deadline_passed",
        "utter_deadline_moved", "utter_deadline_needs_printed_date",
        "utter_deadline_needs_notice_date", "utter_deadline_none",
    }
    assert used <= set(domain["responses"])
