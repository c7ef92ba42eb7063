"""Merging one message's facts into the conversation: dates, answers, corrections."""

from __future__ import annotations

import datetime as dt

import pytest

from noticebot.conversation.absorb import absorb
from noticebot.conversation.state import ConversationState
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import NoticeEntry
from noticebot.reading import MessageFacts, NoticeMention
from noticebot.reading.model import LooseDate

D = dt.date
TODAY = D(2026, 12, 4)


def run(catalog: Catalog, state: ConversationState, facts: MessageFacts,
        intent: str | None = "inform"):  # type: ignore[no-untyped-def]
    return absorb(state, facts, intent=intent, confidence=0.9, catalog=catalog, today=TODAY)


@pytest.mark.parametrize(
    ("loose", "asked", "field", "expected"),
    [
        (LooseDate(D(2026, 12, 20), "deadline"), None, "printed_deadline", D(2026, 12, 20)),
        (LooseDate(D(2026, 11, 2), "notice"), "printed_deadline", "notice_date", D(2026, 11, 2)),
        (LooseDate(D(2026, 11, 30), "received"), None, "received", D(2026, 11, 30)),
        (LooseDate(D(2026, 11, 2)), "printed_deadline", "printed_deadline", D(2026, 11, 2)),
        (LooseDate(D(2026, 11, 2)), None, "notice_date", D(2026, 11, 2)),
        (LooseDate(D(2026, 12, 20)), None, "printed_deadline", D(2026, 12, 20)),
    ],
)
def test_a_date_without_a_notice_goes_to_the_notice_discussed(
    catalog: Catalog, loose: LooseDate, asked: str | None, field: str, expected: D
) -> None:
    state = ConversationState(notices=(NoticeEntry("CP504"),), notice_code="CP504",
                              pending_question=asked)
    after, _ = run(catalog, state, MessageFacts(loose_dates=(loose,)))
    assert getattr(after.notices[0], field) == expected


def test_a_new_notice_keeps_the_dates_written_with_it(catalog: Catalog) -> None:
    state = ConversationState(notices=(NoticeEntry("CP504"),), notice_code="CP504")
    facts = MessageFacts(notices=(NoticeMention("LT11", notice_date=D(2026, 11, 20)),))
    after, notes = run(catalog, state, facts, intent="report_notice")
    assert [e.code for e in after.notices] == ["CP504", "LT11"]
    assert after.entry("LT11").notice_date == D(2026, 11, 20)  # type: ignore[union-attr]
    assert after.entry("CP504").notice_date is None  # type: ignore[union-attr]
    assert notes.new_notices == ("LT11",) and after.notice_code == "LT11"


def test_impossible_dates_are_dropped_and_said(catalog: Catalog) -> None:
    facts = MessageFacts(notices=(NoticeMention("LT11", notice_date=D(2027, 6, 1)),))
    after, notes = run(catalog, ConversationState(), facts)
    assert after.notices[0].notice_date is None and notes.invalid_dates == ("LT11",)


@pytest.mark.parametrize(
    ("pending", "intent", "facts", "field", "value"),
    [
        ("agrees_with_amount", "affirm", MessageFacts(), "agrees_with_amount", True),
        ("agrees_with_amount", "deny", MessageFacts(), "agrees_with_amount", False),
        ("can_pay_in_full", "deny", MessageFacts(), "can_pay_in_full", False),
        ("has_red_flags", "deny", MessageFacts(), "has_red_flags", False),
        ("has_red_flags", "inform", MessageFacts(red_flags=("levy_in_place",)), "has_red_flags",
         True),
        ("has_red_flags", "inform", MessageFacts(denies_red_flags=True), "has_red_flags", False),
    ],
)
def test_a_yes_or_a_no_answers_the_question_asked(
    catalog: Catalog, pending: str, intent: str, facts: MessageFacts, field: str, value: bool
) -> None:
    state = ConversationState(pending_question=pending)
    after, notes = run(catalog, state, facts, intent=intent)
    assert getattr(after, field) is value and notes.answered


def test_ok_is_not_a_yes(catalog: Catalog) -> None:
    state = ConversationState(pending_question="can_pay_in_full")
    after, notes = run(catalog, state, MessageFacts(acknowledgement=True), intent="affirm")
    assert after.can_pay_in_full is None and not notes.answered


def test_i_dont_know_moves_on_with_a_safe_assumption(catalog: Catalog) -> None:
    state = ConversationState(pending_question="can_pay_in_full")
    after, _ = run(catalog, state, MessageFacts(unsure=True), intent="deny")
    assert after.can_pay_in_full is False


def test_a_later_statement_corrects_an_earlier_one(catalog: Catalog) -> None:
    state = ConversationState(can_pay_in_full=False)
    after, notes = run(catalog, state, MessageFacts(can_pay_in_full=True), intent="can_pay")
    assert after.can_pay_in_full is True and notes.changed == ("can_pay_in_full",)


def test_the_intent_fills_a_fact_only_when_the_words_say_nothing(catalog: Catalog) -> None:
    after, _ = run(catalog, ConversationState(), MessageFacts(), intent="cannot_pay")
    assert after.can_pay_in_full is False
    after, _ = run(catalog, ConversationState(), MessageFacts(can_pay_in_full=True),
                   intent="cannot_pay")
    assert after.can_pay_in_full is True
