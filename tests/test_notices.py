"""Notices in a conversation: which date is which, what is remembered, what is said."""

from __future__ import annotations

import datetime as dt

import pytest

from noticebot.knowledge.catalog import Catalog
from noticebot.notices import (
    NOTICE_DATE,
    PRINTED_DEADLINE,
    GivenDates,
    NoticeEntry,
    notice_turn,
    remember,
    sort_dates,
)

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.mark.parametrize(
    ("dates", "asked", "expected"),
    [
        ([(D(2026, 12, 2), "deadline")], None, GivenDates(printed_deadline=D(2026, 12, 2))),
        ([(D(2026, 11, 2), "notice")], PRINTED_DEADLINE, GivenDates(notice_date=D(2026, 11, 2))),
        ([(D(2026, 11, 22), "received")], None, GivenDates(received=D(2026, 11, 22))),
        ([(D(2026, 11, 2), None)], PRINTED_DEADLINE, GivenDates(printed_deadline=D(2026, 11, 2))),
        ([(D(2026, 11, 2), None)], None, GivenDates(notice_date=D(2026, 11, 2))),
        ([(D(2026, 12, 9), None)], None, GivenDates(printed_deadline=D(2026, 12, 9))),
        ([(D(2026, 11, 22), "received"), (D(2026, 11, 2), "notice")], None,
         GivenDates(notice_date=D(2026, 11, 2), received=D(2026, 11, 22))),
    ],
)
def test_dates_are_sorted_by_role_then_question_then_tense(
    dates: list[tuple[dt.date, str | None]], asked: str | None, expected: GivenDates
) -> None:
    assert sort_dates(dates, today=TODAY, asked=asked) == expected


def test_dates_go_to_the_last_notice_named() -> None:
    entries = remember([NoticeEntry("CP504")], ["CP523"], GivenDates(notice_date=D(2026, 11, 2)))
    assert entries == [NoticeEntry("CP504"), NoticeEntry("CP523", notice_date=D(2026, 11, 2))]


def test_dates_without_a_code_go_to_the_notice_discussed_last() -> None:
    entries = remember([NoticeEntry("CP504"), NoticeEntry("LT11")], [],
                       GivenDates(notice_date=D(2026, 11, 2)))
    assert entries[-1] == NoticeEntry("LT11", notice_date=D(2026, 11, 2))


def test_turn_without_any_notice_asks_for_the_code(catalog: Catalog) -> None:
    turn = notice_turn(catalog, codes=[], dates=[], entries=[], asked=None, said_no=False,
                       today=TODAY)
    assert [r.response for r in turn.replies] == ["utter_ask_notice_code"]
    assert (turn.target, turn.status) == (None, "unknown")


def test_turn_with_code_and_notice_date_is_ready(catalog: Catalog) -> None:
    turn = notice_turn(catalog, codes=["LT11"], dates=[(D(2026, 11, 2), "notice")], entries=[],
                       asked=None, said_no=False, today=TODAY)
    assert (turn.target, turn.status, turn.requested_date, turn.new_notice) == (
        "LT11", "ready", None, False)
    card = next(r.payload for r in turn.replies if r.payload)
    assert card is not None and card["response_deadline"] == "2026-12-02"


def test_a_second_notice_is_new_and_the_earliest_deadline_leads(catalog: Catalog) -> None:
    earlier = [NoticeEntry("CP504", printed_deadline=D(2026, 12, 20))]
    turn = notice_turn(catalog, codes=["LT11"], dates=[(D(2026, 11, 2), "notice")],
                       entries=earlier, asked=None, said_no=False, today=TODAY)
    assert turn.new_notice
    lead = next(r for r in turn.replies if r.response == "utter_most_urgent_notice")
    assert lead.values["notice_code"] == "LT11"


def test_no_to_the_date_question_goes_on_without_it(catalog: Catalog) -> None:
    turn = notice_turn(catalog, codes=[], dates=[], entries=[NoticeEntry("LT11")],
                       asked=NOTICE_DATE, said_no=True, today=TODAY)
    assert turn.status == "ready"
    assert "utter_date_unknown_ok" in [r.response for r in turn.replies]
