"""Deadlines: counted rules, printed dates, IRC 7503 moves, urgency, expiring rights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from noticebot.deadlines import (
    BASIS_COUNTED,
    BASIS_ESTIMATED,
    BASIS_NEEDS_NOTICE_DATE,
    BASIS_NEEDS_PRINTED_DATE,
    BASIS_NO_DEADLINE,
    BASIS_PRINTED,
    DeadlineInputError,
    compute_deadline,
    most_urgent,
    next_business_day,
    urgency_for,
)
from noticebot.knowledge.catalog import Catalog, Notice, parse_catalog

D = dt.date
TODAY = D(2026, 11, 23)
SRC = ["https://www.irs.gov/example"]


def make_notice(rule: str, *, days: int | None = None, fallback: int | None = None,
                rights: list[dict[str, Any]] | None = None) -> Notice:
    """A minimal valid notice with the given deadline rule."""
    deadline: dict[str, Any] = {"rule": rule, "text": "t", "sources": SRC}
    if days is not None:
        deadline["days"] = days
    if fallback is not None:
        deadline["fallback_days"] = fallback
    entry = {
        "code": "CP999",
        "title": "Test notice",
        "audience": "individual",
        "stage": "final_intent_to_levy",
        "meaning": {"text": "m", "sources": SRC},
        "deadline": deadline,
        "if_ignored": {"text": "i", "sources": SRC},
        "routes": {"pay": {"next_steps": ["pay"], "sources": SRC}},
        "rights": rights or [],
    }
    return parse_catalog([entry], []).notice("CP999")


THIRTY = make_notice("days_from_notice", days=30)


@pytest.mark.parametrize(
    ("notice_date", "expected", "moved"),
    [
        (D(2026, 11, 2), D(2026, 12, 2), False),  # plain weekday
        (D(2026, 10, 23), D(2026, 11, 23), True),  # Sunday 22 Nov -> Monday
        (D(2026, 10, 27), D(2026, 11, 27), True),  # Thanksgiving -> Friday
        (D(2026, 11, 25), D(2026, 12, 28), True),  # Christmas (Fri) + weekend -> Monday
        (D(2026, 3, 17), D(2026, 4, 17), True),  # DC Emancipation Day (Thu) -> Friday
        (D(2027, 3, 17), D(2027, 4, 19), True),  # Emancipation Day on a Friday -> Monday
        (D(2026, 6, 3), D(2026, 7, 6), True),  # Independence Day observed (Fri 3 July)
        (D(2027, 12, 1), D(2028, 1, 3), True),  # New Year's Day observed on 31 Dec 2027
        (D(2026, 1, 31), D(2026, 3, 2), False),  # month end, February is short
        (D(2026, 12, 31), D(2027, 2, 1), True),  # year end, lands on Saturday 30 Jan
        (D(2028, 1, 30), D(2028, 2, 29), False),  # leap day is a business day
        (D(2027, 1, 30), D(2027, 3, 1), False),  # no leap day in 2027
        (D(2028, 2, 29), D(2028, 3, 30), False),  # counting from a leap day
    ],
)
def test_counted_deadline_moves_past_weekends_and_dc_holidays(
    notice_date: dt.date, expected: dt.date, moved: bool
) -> None:
    result = compute_deadline(THIRTY, today=notice_date, notice_date=notice_date)
    assert result.response_deadline == expected
    assert result.basis == BASIS_COUNTED
    assert (result.moved_from is not None) is moved
    if moved:
        assert result.moved_from == notice_date + dt.timedelta(days=30)
        assert result.moved_reason


@pytest.mark.parametrize(
    ("day", "reason_part"),
    [
        (D(2026, 11, 21), "Saturday"),
        (D(2026, 11, 22), "Sunday"),
        (D(2026, 11, 26), "Thanksgiving"),
        (D(2026, 4, 16), "Emancipation"),
        (D(2029, 1, 19), None),  # Friday before Inauguration Day: a business day
    ],
)
def test_next_business_day_names_the_reason(day: dt.date, reason_part: str | None) -> None:
    moved = next_business_day(day)
    if reason_part is None:
        assert moved.day == day and moved.reason is None
    else:
        assert moved.day > day
        assert moved.reason is not None and reason_part in moved.reason


@pytest.mark.parametrize(
    ("days_left", "urgency"),
    [(-30, "overdue"), (-1, "overdue"), (0, "urgent"), (7, "urgent"), (8, "soon"),
     (14, "soon"), (15, "normal"), (200, "normal"), (None, "unknown")],
)
def test_urgency_levels_follow_spec(days_left: int | None, urgency: str) -> None:
    assert urgency_for(days_left) == urgency


def test_printed_date_wins_over_counted_and_is_not_moved() -> None:
    printed = D(2026, 11, 28)  # a Saturday: printed dates are taken as printed
    result = compute_deadline(THIRTY, today=TODAY, notice_date=D(2026, 11, 2),
                              printed_deadline=printed)
    assert result.response_deadline == printed
    assert result.basis == BASIS_PRINTED
    assert result.moved_from is None
    assert result.days_left == 5 and result.urgency == "urgent"


def test_overdue_deadline_has_negative_days_left() -> None:
    result = compute_deadline(THIRTY, today=TODAY, notice_date=D(2026, 9, 1))
    assert result.response_deadline == D(2026, 10, 1)
    assert result.days_left == -53
    assert result.urgency == "overdue"


def test_deadline_today_is_urgent_with_zero_days_left() -> None:
    result = compute_deadline(THIRTY, today=D(2026, 12, 2), notice_date=D(2026, 11, 2))
    assert result.days_left == 0 and result.urgency == "urgent"


def test_printed_only_rule_without_printed_date_asks_for_it() -> None:
    result = compute_deadline(make_notice("printed"), today=TODAY, notice_date=D(2026, 11, 2))
    assert result.response_deadline is None
    assert result.basis == BASIS_NEEDS_PRINTED_DATE
    assert result.urgency == "unknown" and result.days_left is None


def test_fallback_days_give_an_estimate_not_a_count() -> None:
    result = compute_deadline(make_notice("printed", fallback=21), today=TODAY,
                              notice_date=D(2026, 11, 2))
    assert result.response_deadline == D(2026, 11, 23)
    assert result.basis == BASIS_ESTIMATED


def test_counted_rule_without_notice_date_needs_it() -> None:
    result = compute_deadline(THIRTY, today=TODAY)
    assert result.basis == BASIS_NEEDS_NOTICE_DATE and result.response_deadline is None


def test_notice_without_deadline_says_so_even_with_a_date() -> None:
    result = compute_deadline(make_notice("none"), today=TODAY, notice_date=D(2026, 11, 2))
    assert result.basis == BASIS_NO_DEADLINE and result.urgency == "unknown"


@pytest.mark.parametrize(
    ("notice_date", "printed"),
    [(D(2026, 11, 20), D(2026, 11, 10)), (D(2027, 6, 1), None)],
)
def test_impossible_dates_are_refused(notice_date: dt.date, printed: dt.date | None) -> None:
    with pytest.raises(DeadlineInputError):
        compute_deadline(THIRTY, today=TODAY, notice_date=notice_date, printed_deadline=printed)


CDP_RIGHTS = [
    {"id": "cdp_hearing", "label": "CDP hearing", "form": "12153", "days_from_notice": 30,
     "follows_response_deadline": True, "lost": "Tax Court review", "sources": SRC},
    {"id": "equivalent_hearing", "label": "Equivalent hearing", "form": "12153",
     "years_from_notice": 1, "lost": "any hearing", "sources": SRC},
]


@pytest.mark.parametrize(
    ("notice_date", "printed", "cdp", "equivalent"),
    [
        (D(2026, 11, 2), None, D(2026, 12, 2), D(2027, 11, 2)),
        (D(2026, 11, 2), D(2026, 12, 4), D(2026, 12, 4), D(2027, 11, 2)),
        (D(2028, 2, 29), None, D(2028, 3, 30), D(2029, 2, 28)),  # leap day + 1 year
        (D(2026, 11, 6), None, D(2026, 12, 7), D(2027, 11, 8)),  # both land on weekends
        (None, D(2026, 12, 4), D(2026, 12, 4), None),  # no notice date: no 1-year date
    ],
)
def test_cdp_and_equivalent_hearing_windows(
    notice_date: dt.date | None, printed: dt.date | None, cdp: dt.date,
    equivalent: dt.date | None,
) -> None:
    notice = make_notice("days_from_notice", days=30, rights=CDP_RIGHTS)
    today = notice_date or TODAY
    result = compute_deadline(notice, today=today, notice_date=notice_date,
                              printed_deadline=printed)
    rights = {r.id: r for r in result.rights}
    assert rights["cdp_hearing"].last_day == cdp
    assert rights["cdp_hearing"].form == "12153"
    assert rights["equivalent_hearing"].last_day == equivalent


def test_most_urgent_prefers_the_earliest_known_deadline() -> None:
    later = compute_deadline(THIRTY, today=TODAY, notice_date=D(2026, 11, 20))
    sooner = compute_deadline(THIRTY, today=TODAY, notice_date=D(2026, 11, 2))
    unknown = compute_deadline(make_notice("printed"), today=TODAY)
    assert most_urgent([later, unknown, sooner]) is sooner
    assert most_urgent([]) is None


# --- every notice of the real catalog -------------------------------------------------------

NOTICE_DATE = D(2026, 11, 2)  # a Monday; 30 days later is Wednesday 2 December
COUNTED_30 = ["CP523", "LT11", "LTR1058", "CP90", "CP297", "CP297A", "CP91", "CP298",
              "CP504B", "CP508C", "CP2000", "LTR525", "LTR950"]
PRINTED_ONLY = ["CP501", "CP503", "CP504", "CP521", "CP22A", "CP161", "LTR3172", "LTR6152",
                "CP11", "CP23", "CP22E", "CP49", "CP60", "CP14I", "CP134B", "CP128", "CP90C",
                "CP297C", "CP92", "CP242", "LT38", "LT39", "CP59", "CP515", "CP2501"]
NO_DEADLINE = ["CP71", "CP40", "CP12", "CP24", "CP71A", "CP71C", "CP71D", "CP71S", "CP171",
               "CP508R", "LT40", "LTR5071C", "LTR4883C", "LTR5747C"]
ESTIMATED = [("CP14", D(2026, 11, 23)), ("LT16", D(2026, 11, 12))]
# Other day counts from the notice date, moved past weekends and DC holidays (IRC 7503):
# 7 days: Monday 9 November; 10: Thursday 12 November; 60 days: Friday 1 January 2027 (New
# Year's Day) -> Monday 4 January; 90 days: Sunday 31 January 2027 -> Monday 1 February.
COUNTED_OTHER = [("LT24", D(2026, 11, 9)), ("LT26", D(2026, 11, 12)),
                 ("LTR1153", D(2027, 1, 4)), ("CP3219A", D(2027, 2, 1)),
                 ("CP3219N", D(2027, 2, 1)), ("LTR3219", D(2027, 2, 1))]


@pytest.mark.parametrize("code", COUNTED_30)
def test_catalog_thirty_day_notices(catalog: Catalog, code: str) -> None:
    result = compute_deadline(catalog.notice(code), today=TODAY, notice_date=NOTICE_DATE)
    assert (result.response_deadline, result.days_left, result.urgency, result.basis) == (
        D(2026, 12, 2), 9, "soon", BASIS_COUNTED)


@pytest.mark.parametrize("code", PRINTED_ONLY)
def test_catalog_printed_only_notices(catalog: Catalog, code: str) -> None:
    notice = catalog.notice(code)
    without = compute_deadline(notice, today=TODAY, notice_date=NOTICE_DATE)
    assert without.basis == BASIS_NEEDS_PRINTED_DATE and without.response_deadline is None
    printed = compute_deadline(notice, today=TODAY, notice_date=NOTICE_DATE,
                               printed_deadline=D(2026, 11, 30))
    assert (printed.response_deadline, printed.days_left, printed.urgency) == (
        D(2026, 11, 30), 7, "urgent")


@pytest.mark.parametrize("code", NO_DEADLINE)
def test_catalog_notices_without_deadline(catalog: Catalog, code: str) -> None:
    result = compute_deadline(catalog.notice(code), today=TODAY, notice_date=NOTICE_DATE)
    assert result.basis == BASIS_NO_DEADLINE and result.days_left is None


@pytest.mark.parametrize(("code", "expected"), ESTIMATED)
def test_catalog_estimated_deadlines(catalog: Catalog, code: str, expected: dt.date) -> None:
    result = compute_deadline(catalog.notice(code), today=TODAY, notice_date=NOTICE_DATE)
    assert result.response_deadline == expected and result.basis == BASIS_ESTIMATED


@pytest.mark.parametrize(("code", "expected"), COUNTED_OTHER)
def test_catalog_other_day_counts(catalog: Catalog, code: str, expected: dt.date) -> None:
    result = compute_deadline(catalog.notice(code), today=TODAY, notice_date=NOTICE_DATE)
    assert result.response_deadline == expected and result.basis == BASIS_COUNTED
    assert result.days_left == (expected - TODAY).days


def test_every_catalog_notice_has_a_tested_rule(catalog: Catalog) -> None:
    tested = {*COUNTED_30, *PRINTED_ONLY, *NO_DEADLINE, *(c for c, _ in ESTIMATED),
              *(c for c, _ in COUNTED_OTHER)}
    assert set(catalog.notices) == tested


@pytest.mark.parametrize("code", ["LT11", "LTR1058", "CP90", "CP297"])
def test_catalog_final_notices_carry_cdp_then_equivalent_hearing(
    catalog: Catalog, code: str
) -> None:
    result = compute_deadline(catalog.notice(code), today=TODAY, notice_date=NOTICE_DATE)
    rights = {r.id: r.last_day for r in result.rights}
    assert rights["cdp_hearing"] == D(2026, 12, 2)
    assert rights["equivalent_hearing"] == D(2027, 11, 2)


def test_catalog_cp523_carries_the_cap_appeal(catalog: Catalog) -> None:
    result = compute_deadline(catalog.notice("CP523"), today=TODAY, notice_date=NOTICE_DATE)
    rights = {r.id: r for r in result.rights}
    assert rights["cap_appeal"].last_day == D(2026, 12, 2)
    assert rights["cap_appeal"].form == "9423"
