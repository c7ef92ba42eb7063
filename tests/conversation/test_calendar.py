"""Every notice card offers "Add to calendar"; the button (or the words) gets the file."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from noticebot.answers import CatalogAnswers
from noticebot.conversation import Turn, TurnResult, respond
from noticebot.knowledge.catalog import Catalog
from noticebot.reading import Reader, facts_from_entities
from tests.conversation.test_engine import CARDS, FIRM, Chat, cards, responses
from tests.domain_files import load_domain


@pytest.fixture()
def chat(catalog: Catalog, recognizer) -> Chat:  # type: ignore[no-untyped-def]
    return Chat(catalog, Reader(recognizer=recognizer))


def press(chat: Chat, code: str | None) -> TurnResult:
    """The "Add to calendar" button, as Rasa delivers it (payload text, entities, no NLU)."""
    entities = [{"entity": "notice_code", "value": code}] if code else []
    text = f'/add_to_calendar{{"notice_code": "{code}"}}' if code else "/add_to_calendar"
    chat.last = respond(
        chat.state,
        Turn(intent="add_to_calendar", confidence=1.0, facts=facts_from_entities(entities),
             text=text),
        catalog=chat.catalog, today=chat.today, firm=FIRM,
        answers=CatalogAnswers(chat.catalog, cards=CARDS),
    )
    chat.state = chat.last.state
    return chat.last


def offer_button(result: TurnResult, code: str) -> str:
    """The payload of the offer's button, rendered as Rasa renders the response."""
    domain = load_domain()
    (button,) = domain["responses"]["utter_offer_calendar"][0]["buttons"]
    offers = [r for r in result.replies if r.response == "utter_offer_calendar"]
    assert [r.values["notice_code"] for r in offers] == [code]
    return str(button["payload"]).replace("{notice_code}", code).replace("{{", "{").replace(
        "}}", "}"
    )


def test_every_dated_notice_card_offers_the_calendar_right_after_its_dates(chat: Chat) -> None:
    result = chat.say(
        "i have a cp504 from august and a letter 1058 dated november 20, 2026, i owe about "
        "$4,312.18 and my name is Dana Whitfield"
    )
    said = responses(result)
    assert said.count("utter_offer_calendar") == 1  # the CP504 has no date: nothing to add
    offered_after = said[: said.index("utter_offer_calendar")]
    assert offered_after[0] == "utter_notice_summary"
    assert "utter_deadline_counted" in offered_after
    assert offer_button(result, "LTR1058") == '/add_to_calendar{"notice_code": "LTR1058"}'


def test_the_button_gets_that_notices_file_and_the_pending_question_again(chat: Chat) -> None:
    first = chat.say("got a letter 1058 dated november 20, 2026 for $4,312.18")
    pending = chat.state.pending_question
    assert pending is not None and responses(first)[-1].startswith("utter_ask_")
    result = press(chat, "LTR1058")
    said = responses(result)
    assert said[0] == "utter_calendar_file"
    assert "utter_notice_summary" not in said  # the card is not repeated
    assert said[-1] == responses(first)[-1]  # what was pending is asked again
    assert chat.state.pending_question == pending
    (payload,) = cards(result, "calendar_file")
    calendar = Calendar.from_ical(payload["content"])
    assert [e.decoded("DTSTART") for e in calendar.walk("VEVENT")] == [
        dt.date(2026, 12, 21), dt.date(2027, 11, 22),
    ]
    # nothing about the person: not the amount the conversation knows
    assert chat.state.amount == 4312.18
    assert "4312" not in payload["content"] and "4,312" not in payload["content"]


def test_the_named_notice_is_used_not_the_most_urgent(chat: Chat) -> None:
    chat.say("a letter 1058 dated november 20, 2026 and a cp523 dated november 30, 2026")
    (payload,) = cards(press(chat, "CP523"), "calendar_file")
    assert payload["notice_code"] == "CP523"
    (payload,) = cards(press(chat, None), "calendar_file")  # no notice named: the most urgent
    assert payload["notice_code"] == "LTR1058"


def test_without_a_date_the_button_asks_for_it_and_without_a_notice_asks_which(
    chat: Chat,
) -> None:
    assert responses(press(chat, None))[0] == "utter_calendar_which_notice"
    chat.say("i got a cp14")
    result = press(chat, "CP14")
    assert responses(result)[0] == "utter_calendar_needs_date"
    assert not cards(result, "calendar_file")
