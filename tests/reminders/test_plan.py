"""Which reminders a notice gets, what one says when it fires, and what "remind me" and "stop
reminders" do in a conversation (the domain, no Rasa)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from noticebot.answers import CatalogAnswers
from noticebot.conversation import ConversationState, Turn, TurnResult, respond
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import NoticeEntry, explain_entry
from noticebot.reading import Reader, facts_from_entities
from noticebot.reminders import (
    FIRED_INTENT,
    REMINDER_HOUR,
    Reminder,
    fired_replies,
    plan_reminders,
)
from noticebot.settings import FirmProfile
from tests.conversation.test_engine import CARDS, FIRM, TODAY, Chat, responses

ZONE = ZoneInfo(FIRM.timezone)
MORNING = dt.datetime.combine(TODAY, dt.time(8), tzinfo=ZONE)  # Friday, December 4, 2026


def lt11(catalog: Catalog, notice_date: dt.date) -> tuple[NoticeEntry, object]:
    entry = NoticeEntry("LT11", notice_date=notice_date)
    explanation = explain_entry(catalog, entry, today=TODAY)
    assert explanation is not None
    return entry, explanation


def test_seven_and_one_day_before_each_date_at_ten_in_the_firms_zone(catalog: Catalog) -> None:
    entry, explanation = lt11(catalog, dt.date(2026, 11, 20))
    planned = plan_reminders(explanation, entry, now=MORNING, zone=ZONE)  # type: ignore[arg-type]
    deadline = explanation.deadline.response_deadline  # type: ignore[attr-defined]
    assert deadline is not None and deadline >= dt.date(2026, 12, 20)
    rights = {r.last_day for r in explanation.deadline.rights}  # type: ignore[attr-defined]
    later = max(rights)  # the equivalent hearing, a year on
    assert [(r.day, r.days_before) for r in planned] == [
        (deadline, 7), (deadline, 1), (later, 7), (later, 1)]
    assert planned[0].send_at == dt.datetime.combine(
        deadline - dt.timedelta(days=7), dt.time(REMINDER_HOUR), tzinfo=ZONE)
    assert planned[0].send_at.utcoffset() == dt.timedelta(hours=-5)  # EST in December


def test_a_reminder_whose_time_has_passed_is_left_out(catalog: Catalog) -> None:
    entry, explanation = lt11(catalog, dt.date(2026, 11, 6))  # 30 days on: Monday, December 7
    planned = plan_reminders(explanation, entry, now=MORNING, zone=ZONE)  # type: ignore[arg-type]
    assert (planned[0].day, planned[0].days_before) == (dt.date(2026, 12, 7), 1)
    later = dt.datetime.combine(dt.date(2026, 12, 6), dt.time(10, 1), tzinfo=ZONE)
    assert all(r.day.year == 2027 for r in plan_reminders(  # type: ignore[arg-type]
        explanation, entry, now=later, zone=ZONE))


def test_names_differ_between_conversations_and_hold_no_digits(catalog: Catalog) -> None:
    entry, explanation = lt11(catalog, dt.date(2026, 11, 20))
    first = plan_reminders(explanation, entry, now=MORNING, zone=ZONE)[0]  # type: ignore[arg-type]
    assert first.name("telegram:1") != first.name("telegram:2")
    assert first.name("telegram:1") == first.name("telegram:1")
    assert not any(ch.isdigit() for ch in first.name("telegram:1"))
    assert first.entities()["reminder_notice"]["code"] == "LT11"
    assert set(first.entities()) == {"reminder_notice", "reminder_day", "reminder_days_before"}


def fired(catalog: Catalog, reminder: Reminder, today: dt.date,
          firm: FirmProfile = FIRM) -> list[str]:
    replies = fired_replies(reminder.entities(), catalog=catalog, today=today, firm=firm)
    return [" ".join(str(v) for v in r.values.values()) for r in replies]


def test_a_fired_reminder_says_the_day_what_to_do_and_who_to_call(catalog: Catalog) -> None:
    entry, explanation = lt11(catalog, dt.date(2026, 11, 20))
    week, day, *_ = plan_reminders(  # type: ignore[arg-type]
        explanation, entry, now=MORNING, zone=ZONE)
    (said,) = fired(catalog, week, week.send_at.date())
    assert "in 7 days, on" in said
    assert "last day to respond to IRS notice LT11" in said
    assert "Collection Due Process hearing" in said and "12153" in said
    assert "Taxpayer Advocate Service" in said  # no firm contact set: free help
    (said,) = fired(catalog, day, day.send_at.date(),
                    FirmProfile(name="Acme Tax", phone="+1 555 0100"))
    assert "tomorrow" in said and "Acme Tax" in said and "+1 555 0100" in said


def test_nothing_is_said_once_the_date_has_passed_or_for_a_broken_reminder(
    catalog: Catalog,
) -> None:
    entry, explanation = lt11(catalog, dt.date(2026, 11, 20))
    week = plan_reminders(explanation, entry, now=MORNING, zone=ZONE)[0]  # type: ignore[arg-type]
    assert fired(catalog, week, week.day + dt.timedelta(days=1)) == []
    assert fired_replies({"reminder_day": "soon"}, catalog=catalog, today=TODAY, firm=FIRM) == []


@pytest.fixture()
def chat(catalog: Catalog, recognizer) -> Chat:  # type: ignore[no-untyped-def]
    return Chat(catalog, Reader(recognizer=recognizer))


def press(chat: Chat, intent: str, channel: str | None, code: str | None = None) -> TurnResult:
    """A button or typed words of one intent, on a channel, at MORNING."""
    entities = [{"entity": "notice_code", "value": code}] if code else []
    chat.last = respond(
        chat.state,
        Turn(intent=intent, confidence=1.0, facts=facts_from_entities(entities),
             text=f"/{intent}", channel=channel),
        catalog=chat.catalog, today=chat.today, firm=FIRM,
        answers=CatalogAnswers(chat.catalog, cards=CARDS), now=MORNING,
    )
    chat.state = chat.last.state
    return chat.last


def test_telegram_offers_reminders_beside_the_calendar_and_remind_me_plans_them(
    chat: Chat,
) -> None:
    first = chat.say("I got an LT11 dated november 20, 2026", channel="telegram")
    assert "utter_offer_calendar_reminders" in responses(first)
    assert "utter_offer_calendar" not in responses(first)
    result = press(chat, "set_reminders", "telegram", "LT11")
    assert responses(result)[0] == "utter_reminders_set"
    assert [r.days_before for r in result.schedule] == [7, 1, 7, 1]
    assert not result.cancel_reminders
    assert len(result.state.reminders) == 4
    assert "Do you agree" in " ".join(responses(result)) or result.state.pending_question
    again = press(chat, "set_reminders", "telegram", "LT11")  # asked twice: the same two
    assert [r.key for r in again.schedule] == [r.key for r in result.schedule]
    assert len(again.state.reminders) == 4


def test_stop_reminders_cancels_and_says_how_many(chat: Chat) -> None:
    chat.say("I got an LT11 dated november 20, 2026", channel="slack")
    press(chat, "set_reminders", "slack")
    result = press(chat, "stop_reminders", "slack")
    assert responses(result)[0] == "utter_reminders_stopped"
    assert result.replies[0].values == {"count": 4}
    assert result.cancel_reminders and result.state.reminders == ()
    assert responses(press(chat, "stop_reminders", "slack"))[0] == "utter_reminders_none_set"


def test_the_web_chat_gets_the_calendar_file_instead(chat: Chat) -> None:
    first = chat.say("I got an LT11 dated november 20, 2026", channel="socketio")
    assert "utter_offer_calendar" in responses(first)
    result = press(chat, "set_reminders", "socketio")
    assert responses(result)[:2] == ["utter_reminders_not_here", "utter_calendar_file"]
    assert result.schedule == ()


def test_without_a_date_or_a_notice_it_asks_for_it(chat: Chat) -> None:
    assert responses(press(chat, "set_reminders", "telegram"))[0] == "utter_reminders_which_notice"
    chat.say("I got an LT11", channel="telegram")
    assert responses(press(chat, "set_reminders", "telegram"))[0] == "utter_reminders_need_date"


def test_too_close_for_a_reminder_says_act_now_first(chat: Chat) -> None:
    chat.say("I got an LT11 dated november 5, 2026", channel="telegram")  # due Monday, Dec 7
    chat.state = chat.state.with_changes(reminders=())
    late = dt.datetime.combine(dt.date(2026, 12, 6), dt.time(11), tzinfo=ZONE)
    chat.last = respond(
        chat.state, Turn(intent="set_reminders", text="remind me", channel="telegram"),
        catalog=chat.catalog, today=dt.date(2026, 12, 6), firm=FIRM,
        answers=CatalogAnswers(chat.catalog, cards=CARDS), now=late,
    )
    said = responses(chat.last)
    # the deadline is tomorrow: too close; the equivalent hearing a year on still gets its two
    assert said[:2] == ["utter_reminders_too_close", "utter_reminders_set"]
    assert {r.day.year for r in chat.last.schedule} == {2027}


def test_the_fired_intent_is_not_a_typed_one() -> None:
    assert FIRED_INTENT.startswith("EXTERNAL_")
    assert ConversationState().reminders == ()
