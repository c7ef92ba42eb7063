"""The intake conversation's rules: stop words, names, contacts, times, the draft, the replies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from noticebot.deadlines import DeadlineResult
from noticebot.intake.cases import Case
from noticebot.intake.flow import (
    NO_PREFERENCE,
    build_draft,
    confirm_question,
    consent_question,
    created_replies,
    failed_replies,
    is_stop,
    read_contact,
    read_name,
    read_time,
    short_answer,
)
from noticebot.settings import FirmProfile

CONSENT_AT = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("text", ["never mind", "Nevermind.", "STOP", "cancel", "forget it",
                                  "no thanks", "I changed my mind", "nvm"])
def test_stop_phrases_stop(text: str) -> None:
    assert is_stop(text)


@pytest.mark.parametrize("text", ["", None, "Jane Doe", "no", "stop the levy please",
                                  "can you cancel my penalty?", "mornings"])
def test_other_answers_do_not_stop(text: str | None) -> None:
    assert not is_stop(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [("jane doe", "Jane Doe"), ("my name is carlos rivera", "Carlos Rivera"),
     ("I'm Mei Lin", "Mei Lin"), ("it's Pat", "Pat"), ("call me Sam.", "Sam"),
     ("Siobhán O'Neill-McDonald", "Siobhán O'Neill-McDonald"), ("José", "José")],
)
def test_names_are_read(text: str, name: str) -> None:
    assert read_name(text) == name


@pytest.mark.parametrize("text", ["", "123-45-6789", "what is a CDP hearing?", "cp504",
                                  "jane@example.com", "never mind", "x" * 90])
def test_non_names_are_refused(text: str) -> None:
    assert read_name(text) is None


@pytest.mark.parametrize(
    ("text", "email", "phone"),
    [("jane.doe@example.com", "jane.doe@example.com", None),
     ("my email is Jane@Example.COM", "Jane@example.com", None),
     ("(202) 555-0143", None, "+12025550143"),
     ("my number is 202.555.0143", None, "+12025550143"),
     ("+1 202 555 0143", None, "+12025550143")],
)
def test_contacts_are_validated_and_normalized(text: str, email: str | None,
                                               phone: str | None) -> None:
    contact = read_contact(text)
    assert contact is not None
    assert (contact.email, contact.phone) == (email, phone)


@pytest.mark.parametrize("text", ["jane@", "not an address", "555-0143", "12345", ""])
def test_invalid_contacts_are_refused(text: str) -> None:
    assert read_contact(text) is None


@pytest.mark.parametrize(
    ("text", "time"),
    [("weekday mornings", "weekday mornings"), ("  after 5pm. ", "after 5pm"),
     ("skip", NO_PREFERENCE), ("No preference", NO_PREFERENCE), ("no", NO_PREFERENCE),
     ("any time", NO_PREFERENCE)],
)
def test_times_are_read(text: str, time: str) -> None:
    assert read_time(text) == time


def test_an_essay_is_not_a_time() -> None:
    assert read_time("x " * 100) is None


def _deadline(code: str, urgency: str, deadline: dt.date | None) -> DeadlineResult:
    return DeadlineResult(
        notice_code=code, notice_date=dt.date(2026, 11, 2), response_deadline=deadline,
        days_left=None, urgency=urgency, basis="printed", moved_from=None, moved_reason=None,
        rights=(),
    )


def test_the_draft_carries_the_lead_notice_and_the_answers() -> None:
    lead = _deadline("LT11", "urgent", dt.date(2026, 12, 2))
    other = _deadline("CP14", "normal", None)
    draft = build_draft(
        channel="rest", conversation_id="abc", deadlines=[other, lead], lead=lead,
        amount=12400.0, agrees_with_amount=True, can_pay_in_full=False, has_red_flags=False,
        route="negotiate", reasons=["agrees with the amount"], contact_name="Jane Doe",
        contact_email="jane@example.com", contact_phone=None, contact_time=NO_PREFERENCE,
        consent_at=CONSENT_AT,
    )
    assert [n.code for n in draft.notices] == ["CP14", "LT11"]
    assert (draft.response_deadline, draft.urgency) == (dt.date(2026, 12, 2), "urgent")
    assert draft.amount == Decimal("12400.00")
    assert draft.contact_time is None  # "no preference" is stored as no time
    assert draft.reasons == ("agrees with the amount",)


def test_a_draft_without_notices_is_unknown_urgency() -> None:
    draft = build_draft(
        channel="", conversation_id="abc", deadlines=[], lead=None, amount="oops",
        agrees_with_amount=None, can_pay_in_full=None, has_red_flags=None, route=None,
        reasons=[], contact_name="Jane", contact_email=None, contact_phone="+12025550143",
        contact_time="evenings", consent_at=CONSENT_AT,
    )
    assert (draft.urgency, draft.amount, draft.channel) == ("unknown", None, "unknown")


def test_consent_question_names_the_firm_or_a_neutral_team() -> None:
    assert consent_question(FirmProfile(name="Example Tax Help")).values["firm_name"] == (
        "Example Tax Help")
    assert "team" in consent_question(FirmProfile()).values["firm_name"]


def test_confirmation_reads_back_every_detail() -> None:
    reply = confirm_question("Jane", "jane@example.com", "+12025550143", NO_PREFERENCE)
    assert reply.values == {"contact_name": "Jane",
                            "contact": "jane@example.com and +12025550143",
                            "contact_time": "any time"}


def _case() -> Case:
    draft = build_draft(
        channel="rest", conversation_id="abc", deadlines=[], lead=None, amount=None,
        agrees_with_amount=None, can_pay_in_full=None, has_red_flags=None, route=None,
        reasons=[], contact_name="Jane", contact_email="jane@example.com", contact_phone=None,
        contact_time=None, consent_at=CONSENT_AT,
    )
    return Case.from_draft(draft, id="C0123456789", created_at=CONSENT_AT,
                           updated_at=CONSENT_AT, status="new", summary="s",
                           notified_at=None)


def test_created_case_sends_the_payload_then_the_firms_booking_and_phone() -> None:
    firm = FirmProfile(name="Example Tax Help", booking_url="https://example.org/book",
                       phone="+1 555 0100")
    replies = created_replies(_case(), created=True, firm=firm)
    assert [r.response for r in replies] == [
        "utter_case_created", "utter_case_booking_link", "utter_case_firm_phone"]
    assert replies[0].payload == {"type": "case_created", "case_id": "C0123456789"}
    assert replies[0].values["contact"] == "jane@example.com"


def test_a_repeated_submit_says_updated_with_the_same_payload() -> None:
    replies = created_replies(_case(), created=False, firm=FirmProfile())
    assert [r.response for r in replies] == ["utter_case_updated"]
    assert replies[0].payload == {"type": "case_created", "case_id": "C0123456789"}


def test_failure_apologizes_then_offers_a_person() -> None:
    replies = failed_replies(FirmProfile())
    assert [r.response for r in replies] == ["utter_intake_failed", "utter_offer_human_neutral"]


@pytest.mark.parametrize("answer", ["skip", "Yes", "no", "ok.", "thanks", "Hello!"])
def test_conversation_words_are_not_taken_for_a_name(answer: str) -> None:
    assert read_name(answer) is None


@pytest.mark.parametrize("answer", ["yes", "OK", "sure!"])
def test_a_bare_yes_is_not_a_time(answer: str) -> None:
    assert read_time(answer) is None


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("contact_name", "will s", "will s"),
        ("contact_name", "r. alvarez", "r. alvarez"),
        ("contact_name", "what happens if i ignore it", None),
        ("contact_name", "how long", None),
        ("contact_name", "is this a scam?", None),
        ("contact_time", "saturday mornings before 10", "saturday mornings before 10"),
        ("contact_email", "jane@example.com", None),  # the e-mail has its own extraction
    ],
)
def test_a_short_answer_answers_the_forms_question(
    slot: str, text: str, expected: str | None
) -> None:
    assert short_answer(slot, text, asks_something=False) == expected


def test_a_short_message_that_asks_something_is_no_answer() -> None:
    assert short_answer("contact_name", "payment plan", asks_something=True) is None
