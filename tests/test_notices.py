"""What is said about a notice: its card, its deadline once, the rights that expire."""

from __future__ import annotations

import datetime as dt

from noticebot.knowledge.catalog import Catalog
from noticebot.notices import (
    NoticeEntry,
    deadline_replies,
    explain_entry,
    explanation_replies,
    lead_explanation,
    lead_replies,
)

D = dt.date
TODAY = D(2026, 12, 4)


def said(catalog: Catalog, entry: NoticeEntry) -> list[str]:
    explanation = explain_entry(catalog, entry, today=TODAY)
    assert explanation is not None
    return [reply.response for reply in deadline_replies(explanation)]


def test_a_notice_entry_survives_its_slot() -> None:
    entry = NoticeEntry("LT11", notice_date=D(2026, 11, 2), received=D(2026, 11, 5),
                        date_asked=True)
    assert NoticeEntry.from_slot(entry.as_slot()) == entry


def test_the_explanation_carries_the_card(catalog: Catalog) -> None:
    explanation = explain_entry(catalog, NoticeEntry("CP14"), today=TODAY)
    assert explanation is not None
    (reply,) = explanation_replies(explanation)
    assert reply.response == "utter_notice_summary"
    assert reply.payload is not None and reply.payload["notice_code"] == "CP14"
    assert reply.values["meaning"]


def test_a_right_ending_on_the_deadline_is_said_with_it_not_as_a_second_date(
    catalog: Catalog,
) -> None:
    replies = said(catalog, NoticeEntry("LT11", notice_date=D(2026, 11, 20)))
    assert replies[0] == "utter_deadline_counted"
    assert "utter_right_same_day_form" in replies
    assert "utter_right_open_form" not in replies  # the equivalent hearing is not yet a topic


def test_the_equivalent_hearing_is_mentioned_once_the_hearing_window_closed(
    catalog: Catalog,
) -> None:
    replies = said(catalog, NoticeEntry("LT11", notice_date=D(2026, 9, 1)))
    assert replies[0] == "utter_deadline_passed"
    assert "utter_right_lost" in replies
    assert "utter_right_open_form" in replies  # the equivalent hearing, open for a year


def test_an_old_arrival_without_a_date_says_the_window_has_likely_closed(
    catalog: Catalog,
) -> None:
    replies = said(catalog, NoticeEntry("LT11", received=D(2026, 9, 1)))
    assert replies[0] == "utter_deadline_likely_passed"


def test_the_most_urgent_notice_leads(catalog: Catalog) -> None:
    entries = [NoticeEntry("CP504", printed_deadline=D(2026, 12, 30)),
               NoticeEntry("LT11", notice_date=D(2026, 11, 20))]
    explanations = [e for e in (explain_entry(catalog, x, today=TODAY) for x in entries) if e]
    lead = lead_explanation(explanations)
    assert lead is not None and lead.notice.code == "LT11"
    (reply,) = lead_replies(lead, [e for e in explanations if e is not lead])
    assert reply.values["other_codes"] == "CP504"
