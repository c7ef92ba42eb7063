"""action_respond adapts noticebot.conversation: slots in, replies and slot events out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from trackers import entity, make_tracker, responses, run_action, slot_events

from actions.conversation import ActionRespond
from noticebot.knowledge.catalog import Catalog
from noticebot.privacy import REDACTED_METADATA_KEY
from noticebot.reading import Reader
from noticebot.settings import FirmProfile

TODAY = dt.date(2026, 12, 4)


@pytest.fixture()
def action(catalog: Catalog) -> ActionRespond:
    """The action with the real catalog, a fixed day and a neutral firm."""
    firm = FirmProfile()
    return ActionRespond(catalog=lambda: catalog, today=lambda: TODAY, firm=lambda: firm)


def read(recognizer: Any, text: str) -> dict[str, Any]:
    """The facts the NLU pipeline would put in the parse data."""
    return Reader(recognizer=recognizer).read(text, today=TODAY).as_dict()


def test_the_facts_of_the_message_fill_the_slots_and_the_card_is_sent(
    action: ActionRespond, recognizer: Any
) -> None:
    text = "lt11 dated nov 20 2026 for 5,200, i owe it and cant pay it all"
    dispatcher, events = run_action(
        action, make_tracker(text=text, facts=read(recognizer, text))
    )
    slots = slot_events(events)
    assert slots["notices"][0]["code"] == "LT11"
    assert slots["notices"][0]["notice_date"] == "2026-11-20"
    assert slots["amount"] == 5200.0
    assert slots["agrees_with_amount"] is True and slots["can_pay_in_full"] is False
    assert slots["pending_question"] == "has_red_flags"
    assert slots["next_step"] == "listen"
    card = next(m["custom"] for m in dispatcher.messages if m.get("custom"))
    assert card["type"] == "notice_summary" and card["notice_code"] == "LT11"


def test_a_button_payload_without_parse_data_facts_uses_its_entities(
    action: ActionRespond,
) -> None:
    tracker = make_tracker(text='/report_notice{"notice_code": "CP504"}',
                           entities=[entity("notice_code", "CP504")])
    dispatcher, events = run_action(action, tracker)
    assert responses(dispatcher)[0] == "utter_notice_summary"
    assert slot_events(events)["notice_code"] == "CP504"


def test_a_route_that_offers_a_person_starts_intake(action: ActionRespond) -> None:
    slots = {
        "notices": [{"code": "CP14", "notice_date": "2026-11-20"}],
        "notice_code": "CP14",
        "agrees_with_amount": True,
        "can_pay_in_full": False,
        "pending_question": "has_red_flags",
    }
    dispatcher, events = run_action(action, make_tracker(intent="deny", text="no", slots=slots,
                                                         facts={}))
    assert "utter_route_negotiate" in responses(dispatcher)
    assert slot_events(events)["next_step"] == "intake"
    assert slot_events(events)["route"] == "negotiate"


def test_during_intake_a_question_is_answered_and_the_form_goes_on(
    action: ActionRespond, recognizer: Any
) -> None:
    text = "how do i pay"
    tracker = make_tracker(intent="ask_how_to_pay", text=text, facts=read(recognizer, text),
                           active_loop="intake_form", slots={"pending_question": None})
    dispatcher, events = run_action(action, tracker)
    assert responses(dispatcher) == ["utter_answer_composed", "utter_offer_more"]
    assert "U.S. Treasury" in dispatcher.messages[0]["answer"]  # the short answer to how to pay
    assert slot_events(events)["next_step"] == "intake"


def test_the_first_message_gets_the_disclaimer_first(action: ActionRespond) -> None:
    dispatcher, events = run_action(
        action, make_tracker(intent="greet", text="hi", slots={"disclaimer_shown": False},
                             facts={})
    )
    assert responses(dispatcher)[:2] == ["utter_disclaimer", "utter_greet"]
    assert slot_events(events)["disclaimer_shown"] is True


def test_a_scam_warning_comes_before_the_disclaimer(action: ActionRespond, recognizer: Any) -> None:
    text = "a caller says ill be arrested unless i pay the irs with gift cards today"
    dispatcher, _ = run_action(
        action, make_tracker(intent="check_scam", text=text, facts=read(recognizer, text),
                             slots={"disclaimer_shown": False})
    )
    said = responses(dispatcher)
    assert said[0] == "utter_answer_safety" and "utter_disclaimer" in said
    assert dispatcher.messages[0]["answer"].startswith("This is a scam")


def test_the_web_chat_shows_the_disclaimer_itself(action: ActionRespond) -> None:
    dispatcher, events = run_action(
        action, make_tracker(intent="greet", text="hi", slots={"disclaimer_shown": False},
                             facts={}, input_channel="socketio")
    )
    assert "utter_disclaimer" not in responses(dispatcher)
    assert slot_events(events)["disclaimer_shown"] is True


def test_a_removed_number_is_mentioned_before_anything_else(action: ActionRespond) -> None:
    tracker = make_tracker(intent="report_notice", text="my ssn is [SSN removed], got a cp14",
                           metadata={REDACTED_METADATA_KEY: ["ssn"]},
                           entities=[entity("notice_code", "CP14")])
    dispatcher, _ = run_action(action, tracker)
    assert responses(dispatcher)[0] == "utter_sensitive_number_removed"


def test_a_redacted_message_is_warned_about_once(action: ActionRespond) -> None:
    tracker = make_tracker(intent="goodbye", metadata={"redacted": ["ssn"]}, facts={})
    dispatcher, events = run_action(action, tracker)
    assert responses(dispatcher) == ["utter_sensitive_number_removed", "utter_goodbye"]
    warned = make_tracker(intent="goodbye", metadata={"redacted": ["ssn"]}, facts={},
                          slots={"privacy_warned_for": slot_events(events)["privacy_warned_for"]})
    dispatcher, _ = run_action(action, warned)
    assert responses(dispatcher) == ["utter_goodbye"]


@pytest.mark.parametrize(("intent", "response"), [
    ("goodbye", "utter_goodbye"), ("thank", "utter_you_are_welcome"),
    ("bot_challenge", "utter_iamabot"), ("out_of_scope", "utter_out_of_scope")])
def test_small_talk_answers_its_intent(action: ActionRespond, intent: str, response: str) -> None:
    dispatcher, _ = run_action(action, make_tracker(intent=intent, facts={}))
    assert responses(dispatcher)[0] == response


def test_remind_me_on_telegram_returns_rasas_reminder_events(catalog: Catalog) -> None:
    now = dt.datetime(2026, 12, 4, 13, 0, tzinfo=dt.timezone.utc)
    action = ActionRespond(catalog=lambda: catalog, today=lambda: TODAY, firm=FirmProfile,
                           now=lambda: now)
    notices = [{"code": "LT11", "notice_date": "2026-11-20", "date_asked": True}]
    tracker = make_tracker(
        intent="set_reminders", text='/set_reminders{"notice_code": "LT11"}',
        entities=[entity("notice_code", "LT11")], input_channel="telegram",
        sender_id="telegram:7001", slots={"notices": notices, "shown": {"cards": {}}},
    )
    dispatcher, events = run_action(action, tracker)
    assert "utter_reminders_set" in responses(dispatcher)
    scheduled = [e for e in events if e["event"] == "reminder"]
    assert len(scheduled) == 4  # 7 and 1 days before the deadline and the equivalent hearing
    first = scheduled[0]
    assert first["intent"] == "EXTERNAL_deadline_reminder"
    assert first["kill_on_user_msg"] is False
    assert dt.datetime.fromisoformat(first["date_time"]) > now
    assert first["entities"]["reminder_notice"]["code"] == "LT11"
    assert len({e["name"] for e in scheduled}) == 4
    assert slot_events(events)["reminders"][0]["notice_code"] == "LT11"

    stop = make_tracker(intent="stop_reminders", text="stop reminders", input_channel="telegram",
                        sender_id="telegram:7001",
                        slots={"notices": notices, "reminders": slot_events(events)["reminders"]})
    dispatcher, events = run_action(action, stop)
    assert "utter_reminders_stopped" in responses(dispatcher)
    assert [e for e in events if e["event"] == "cancel_reminder"] == [{
        "event": "cancel_reminder", "timestamp": None, "intent": "EXTERNAL_deadline_reminder",
        "entities": None, "name": None}]


def test_a_fired_reminder_is_said_by_action_deadline_reminder(catalog: Catalog) -> None:
    from actions.conversation import ActionDeadlineReminder

    action = ActionDeadlineReminder(catalog=lambda: catalog, today=lambda: dt.date(2026, 12, 14),
                                    firm=FirmProfile)
    entities = [
        entity("reminder_notice", {"code": "LT11", "notice_date": "2026-11-20"}),
        entity("reminder_day", "2026-12-21"),
        entity("reminder_days_before", 7),
    ]
    dispatcher, events = run_action(action, make_tracker(
        intent="EXTERNAL_deadline_reminder", entities=entities, input_channel="telegram"))
    assert responses(dispatcher) == ["utter_reminder"]
    assert events == []
    (message,) = dispatcher.messages
    assert message["notice_code"] == "LT11"
    assert message["when"] == "in 7 days, on Monday, December 21, 2026"
