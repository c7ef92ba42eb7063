"""Cases as plain values: checking a draft, case ids, the ten-second summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from noticebot.deadlines import URGENT, urgency_for
from noticebot.intake.cases import (
    CROCKFORD_ALPHABET,
    URGENT_MAX_DAYS_LEFT,
    Case,
    CaseDraft,
    NoticeRef,
    current_urgency,
    format_amount,
    is_case_id,
    new_case_id,
    normalize_case_id,
    notice_from_dict,
    notice_to_dict,
    summarize,
)

TODAY = dt.date(2026, 11, 19)
NOW = dt.datetime(2026, 11, 19, 15, 0, tzinfo=dt.timezone.utc)
MakeDraft = Callable[..., CaseDraft]


def test_summary_of_a_complete_case_reads_in_ten_seconds(make_draft: MakeDraft) -> None:
    assert summarize(make_draft(), today=TODAY) == (
        "CP504 (notice 2026-11-02), respond by 2026-11-22: urgent, 3 days left. "
        "Owes $12,400; agrees with the amount; cannot pay in full; no red flags. "
        "Route: negotiate (agrees with the amount; cannot pay in full). "
        "Contact: Jane Doe, jane@example.com, +12025550143, prefers weekday mornings."
    )


def test_summary_says_what_is_unknown_and_leaves_out_what_was_not_asked(
    make_draft: MakeDraft,
) -> None:
    draft = make_draft(
        notices=(NoticeRef("LT11", None, None),), response_deadline=None, urgency="unknown",
        amount=None, agrees_with_amount=None, can_pay_in_full=None, has_red_flags=None,
        route=None, reasons=(), contact_email=None, contact_time=None,
    )
    assert summarize(draft, today=TODAY) == (
        "LT11, no deadline known. Amount not given. Route not decided. "
        "Contact: Jane Doe, +12025550143."
    )


def test_summary_lists_several_notices_and_no_notice_at_all(make_draft: MakeDraft) -> None:
    several = make_draft(notices=(
        NoticeRef("CP504", dt.date(2026, 11, 2), dt.date(2026, 11, 22)),
        NoticeRef("CP14", dt.date(2026, 10, 1), None),
        NoticeRef("LT11", None, None),
    ))
    assert summarize(several, today=TODAY).startswith(
        "CP504 (notice 2026-11-02), CP14 (notice 2026-10-01) and LT11, respond by 2026-11-22"
    )
    none = make_draft(notices=(), response_deadline=None, urgency="unknown")
    assert summarize(none, today=TODAY).startswith("Notice not identified, no deadline known.")


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (dt.date(2026, 11, 19), "respond by 2026-11-19: urgent, due today."),
        (dt.date(2026, 11, 20), "respond by 2026-11-20: urgent, 1 day left."),
        (dt.date(2026, 12, 19), "respond by 2026-12-19: normal, 30 days left."),
        (dt.date(2026, 11, 18), "respond by 2026-11-18: overdue by 1 day."),
        (dt.date(2026, 11, 9), "respond by 2026-11-09: overdue by 10 days."),
    ],
)
def test_summary_counts_days_from_today(
    make_draft: MakeDraft, deadline: dt.date, expected: str
) -> None:
    assert expected in summarize(make_draft(response_deadline=deadline), today=TODAY)


def test_summary_answers_and_amounts(make_draft: MakeDraft) -> None:
    draft = make_draft(amount=Decimal("1250.5"), agrees_with_amount=False, can_pay_in_full=True,
                       has_red_flags=True, route="get_help",
                       reasons=("a levy is already in place",))
    text = summarize(draft, today=TODAY)
    assert "Owes $1,250.50; disagrees with the amount; can pay in full; has red flags." in text
    assert "Route: get_help (a levy is already in place)." in text
    assert "Route: pay." in summarize(make_draft(route="pay", reasons=()), today=TODAY)
    assert format_amount(Decimal("0")) == "$0"
    assert format_amount(Decimal("9999999999.99")) == "$9,999,999,999.99"


def test_summary_is_one_line_whatever_the_person_typed(make_draft: MakeDraft) -> None:
    draft = make_draft(contact_name="  Jane\nDoe ", contact_time="after 5pm\r\n\tweekdays")
    text = summarize(draft, today=TODAY)
    assert "\n" not in text and "\r" not in text and "\t" not in text
    assert text.endswith("Contact: Jane Doe, jane@example.com, +12025550143, "
                         "prefers after 5pm weekdays.")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact_name": "  "}, "contact_name is empty"),
        ({"contact_email": None, "contact_phone": None}, "contact_email or a contact_phone"),
        ({"contact_email": "", "contact_phone": " "}, "contact_email or a contact_phone"),
        ({"urgency": "asap"}, "unknown urgency 'asap'; valid: overdue, urgent, soon, normal"),
        ({"consent_at": dt.datetime(2026, 11, 19, 15, 0)}, "consent_at must be a timezone-aware"),
        ({"route": "ignore"}, "unknown route 'ignore'"),
        ({"amount": Decimal("-1")}, "amount must be between 0 and"),
        ({"amount": Decimal("1e10")}, "amount must be between 0 and"),
        ({"amount": Decimal("NaN")}, "amount must be between 0 and"),
        ({"conversation_id": ""}, "conversation_id is empty"),
        ({"contact_name": "J" * 201}, "contact_name is longer than 200 characters"),
        ({"notices": (NoticeRef(" ", None, None),)}, "a notice has an empty code"),
    ],
)
def test_a_draft_that_cannot_be_kept_is_refused(
    make_draft: MakeDraft, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        make_draft(**changes)


def test_a_draft_needs_only_one_way_to_reach_the_person(make_draft: MakeDraft) -> None:
    assert make_draft(contact_email=None).contact_phone
    assert make_draft(contact_phone=None).contact_email


def test_a_case_is_the_draft_plus_what_the_store_adds(make_draft: MakeDraft) -> None:
    draft = make_draft()
    case = Case.from_draft(draft, id="C0123456789", created_at=NOW, updated_at=NOW,
                           status="new", summary="s", notified_at=None)
    assert case.contact_email == draft.contact_email
    assert case.draft == draft
    draft_fields = {f.name: f.type for f in dataclasses.fields(CaseDraft)}
    case_fields = {f.name: f.type for f in dataclasses.fields(Case)}
    assert draft_fields.items() <= case_fields.items()
    with pytest.raises(ValueError, match="unknown status 'open'; valid: new, contacted, closed"):
        dataclasses.replace(case, status="open")
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.status = "closed"  # type: ignore[misc]


def test_case_ids_are_random_crockford_base32() -> None:
    ids = {new_case_id() for _ in range(2000)}
    assert len(ids) == 2000
    for case_id in ids:
        assert len(case_id) == 11 and case_id[0] == "C"
        assert set(case_id[1:]) <= set(CROCKFORD_ALPHABET)
        assert is_case_id(case_id)


def test_case_ids_as_people_type_them() -> None:
    assert normalize_case_id(" c0ab1-2xyz9q ") == "C0AB12XYZ9Q"
    assert normalize_case_id("CO1IL") == "C0111"  # O reads as 0, I and L as 1
    assert not is_case_id("C0AB1")
    assert not is_case_id("CUUUUUUUUUU")  # U is not in the alphabet


def test_urgency_as_of_today(make_draft: MakeDraft) -> None:
    assert urgency_for(URGENT_MAX_DAYS_LEFT) == URGENT != urgency_for(URGENT_MAX_DAYS_LEFT + 1)
    draft = make_draft(response_deadline=dt.date(2026, 12, 31), urgency="normal")
    assert current_urgency(draft, today=dt.date(2026, 12, 30)) == "urgent"
    assert current_urgency(draft, today=dt.date(2027, 1, 1)) == "overdue"
    unknown = make_draft(response_deadline=None, urgency="unknown")
    assert current_urgency(unknown, today=TODAY) == "unknown"


def test_notices_round_trip_as_iso_strings() -> None:
    notice = NoticeRef("CP504", dt.date(2026, 11, 2), None)
    assert notice_to_dict(notice) == {"code": "CP504", "notice_date": "2026-11-02",
                                      "response_deadline": None}
    assert notice_from_dict(notice_to_dict(notice)) == notice
