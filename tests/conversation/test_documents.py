"""A photo or PDF of the notice in the conversation: read back, taken only on a yes."""

from __future__ import annotations

import datetime as dt

import pytest

from noticebot.conversation.documents import (
    DOCUMENT_INTENT,
    DocumentOutcome,
    readback_text,
)
from noticebot.conversation.state import ASK_NOTICE_CODE, ConversationState
from noticebot.knowledge.catalog import Catalog
from noticebot.reading import Reader
from tests.conversation.test_engine import Chat, responses

NOTICE_TEXT = """Department of the Treasury
Internal Revenue Service
Notice CP504
Tax year 2024
Notice date November 2, 2026
Social Security number XXX-XX-[partial SSN removed]
JORDAN A SAMPLE
Amount due: $4,312.18
Respond by: December 2, 2026
If you can't pay, call us."""


@pytest.fixture()
def chat(catalog: Catalog, recognizer) -> Chat:  # type: ignore[no-untyped-def]
    return Chat(catalog, Reader(recognizer=recognizer))


def send_file(chat: Chat, text: str | None = None, error: str | None = None):  # type: ignore[no-untyped-def]
    if text is not None:
        outcome = DocumentOutcome(facts=chat.reader.read(text, today=chat.today))
    else:
        outcome = DocumentOutcome(error=error)
    return chat.say("/share_document", intent=DOCUMENT_INTENT, document=outcome.as_metadata())


def test_the_read_facts_are_read_back_and_not_taken_yet(chat: Chat) -> None:
    result = send_file(chat, NOTICE_TEXT)
    assert responses(result) == ["utter_document_readback"]
    assert result.replies[0].values["read"] == (
        "notice CP504 dated November 2, 2026, tax year 2024, amount due $4,312.18, "
        "respond by December 2"
    )
    assert chat.state.notices == ()  # nothing taken before the yes
    # only what read-back needs is kept: no situation the notice's words seemed to say
    assert chat.state.pending_document is not None
    assert chat.state.pending_document["can_pay_in_full"] is None


def test_a_yes_takes_the_facts_as_if_typed(chat: Chat, catalog: Catalog) -> None:
    send_file(chat, NOTICE_TEXT)
    result = chat.say("yes", intent="affirm")
    typed = Chat(catalog, chat.reader)
    expected = typed.say("I got a CP504 dated November 2, 2026, respond by December 2, 2026, "
                         "amount due $4,312.18 for 2024")
    assert [e.code for e in chat.state.notices] == ["CP504"]
    assert chat.state.notices[0].notice_date == dt.date(2026, 11, 2)
    assert chat.state.amount == 4312.18
    assert responses(result) == responses(expected)
    assert chat.state.pending_document is None


def test_a_no_asks_to_type_the_code_and_date(chat: Chat) -> None:
    send_file(chat, NOTICE_TEXT)
    result = chat.say("no", intent="deny")
    assert responses(result) == ["utter_document_wrong"]
    assert chat.state.notices == ()
    assert chat.state.pending_question == ASK_NOTICE_CODE
    result = chat.say("it's a CP503 dated November 9, 2026")
    assert [e.code for e in chat.state.notices] == ["CP503"]


def test_something_else_typed_drops_the_read_facts(chat: Chat) -> None:
    send_file(chat, NOTICE_TEXT)
    chat.say("actually I got an LT11 dated November 20, 2026")
    assert [e.code for e in chat.state.notices] == ["LT11"]
    assert chat.state.pending_document is None


@pytest.mark.parametrize("error", ["too_large", "wrong_type", "unreadable", "no_text"])
def test_a_file_that_cannot_be_read_gets_a_kind_message(chat: Chat, error: str) -> None:
    result = send_file(chat, error=error)
    assert responses(result) == [f"utter_document_unreadable_{error}"]
    assert chat.state.pending_question == ASK_NOTICE_CODE


def test_a_file_without_a_notice_code_is_not_read_back(chat: Chat) -> None:
    result = send_file(chat, "Dear customer, your order of $12.00 ships on December 2, 2026.")
    assert responses(result) == ["utter_document_unreadable_no_notice"]


def test_tampered_metadata_is_unreadable() -> None:
    assert DocumentOutcome.from_metadata({"error": "<script>"}) == DocumentOutcome(
        error="unreadable")
    assert DocumentOutcome.from_metadata("nope") is None
    assert DocumentOutcome.from_metadata({"facts": {"notices": []}}) == DocumentOutcome(
        error="no_notice")


def test_readback_text_without_a_date_or_amount(recognizer) -> None:  # type: ignore[no-untyped-def]
    facts = Reader(recognizer).read("Letter 1058", today=dt.date(2026, 12, 4))
    assert readback_text(facts) == "Letter 1058"
    assert ConversationState().pending_document is None


def test_asking_to_send_a_photo_says_how(chat: Chat) -> None:
    result = chat.say("can i send you a photo of the notice", intent=DOCUMENT_INTENT)
    assert responses(result) == ["utter_document_how"]
    result = chat.say("here is a photo of my CP504 dated November 2, 2026", intent=DOCUMENT_INTENT)
    assert [e.code for e in chat.state.notices] == ["CP504"]


def test_a_yes_with_a_question_and_a_situation_takes_both(chat: Chat) -> None:
    send_file(chat, NOTICE_TEXT)
    result = chat.say("yes thats it. i cant pay it all, can they take my house?", intent="affirm")
    assert [e.code for e in chat.state.notices] == ["CP504"]
    assert chat.state.amount == 4312.18
    assert chat.state.can_pay_in_full is False
    said = responses(result)
    assert said[0] == "utter_notice_summary"  # the notice first, then the question's answer
    (answer,) = [r for r in result.replies if r.response == "utter_answer_composed"]
    assert "home" in str(answer.values["answer"]).lower()


@pytest.mark.parametrize(
    ("typed", "code", "notice_date", "amount"),
    [
        ("no, the date is november 3, 2026", "CP504", dt.date(2026, 11, 3), 4312.18),
        ("no its a cp503", "CP503", dt.date(2026, 11, 2), 4312.18),
        ("no the amount is 5,200", "CP504", dt.date(2026, 11, 2), 5200.0),
        ("yes but its dated nov 3 2026", "CP504", dt.date(2026, 11, 3), 4312.18),
    ],
)
def test_a_correction_typed_with_the_answer_wins(
    chat: Chat, typed: str, code: str, notice_date: dt.date, amount: float
) -> None:
    send_file(chat, NOTICE_TEXT)
    intent = "deny" if typed.startswith("no") else "affirm"
    result = chat.say(typed, intent=intent)
    assert [(e.code, e.notice_date) for e in chat.state.notices] == [(code, notice_date)]
    assert chat.state.amount == amount
    assert "utter_document_wrong" not in responses(result)
    assert responses(result)[0] == "utter_notice_summary"  # the card, with the corrected facts


def test_a_caption_typed_with_the_photo_waits_for_the_yes_then_counts(chat: Chat) -> None:
    outcome = DocumentOutcome(facts=chat.reader.read(NOTICE_TEXT, today=chat.today))
    result = chat.say("i lost my job and cant pay this. can they take my house?",
                      intent="ask_tax_question", document=outcome.as_metadata())
    assert responses(result) == ["utter_document_readback"]  # the read-back first, alone
    assert chat.state.can_pay_in_full is None  # nothing taken before the yes
    result = chat.say("yes", intent="affirm")
    assert [e.code for e in chat.state.notices] == ["CP504"]
    assert chat.state.can_pay_in_full is False  # from the caption
    said = responses(result)
    assert said[0] == "utter_notice_summary"
    answers = [str(r.values["answer"]) for r in result.replies
               if r.response == "utter_answer_composed"]
    assert any("seize the home you live in" in a for a in answers)  # the caption's question


def test_a_caption_with_a_file_that_cannot_be_read_is_still_answered(chat: Chat) -> None:
    result = chat.say("is this letter real?", intent="check_scam",
                      document=DocumentOutcome(error="unreadable").as_metadata())
    said = responses(result)
    assert said[0] == "utter_document_unreadable_unreadable"
    assert len(said) > 1  # and the question typed with it gets its answer


def test_a_caption_that_is_only_the_command_is_not_a_caption(chat: Chat) -> None:
    result = send_file(chat, NOTICE_TEXT)
    assert chat.state.pending_document is not None
    assert "caption" not in chat.state.pending_document
    assert responses(result) == ["utter_document_readback"]
