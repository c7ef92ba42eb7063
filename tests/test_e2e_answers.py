"""End to end: the questions of issue 13, asked as a new user would (a fresh conversation, one
question, through the REST channel, read by the trained NLU), get the short answer they need, and
the safe thing comes first.

Needs a trained model; `make test` trains first.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from e2e_scenarios.simulator import APOLOGY, NOT_UNDERSTOOD
from e2e_servers import say

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def base(channel_stack) -> str:  # type: ignore[no-untyped-def]
    """The session's stack (scripts/run.sh on free ports): its Rasa URL."""
    stack, _ = channel_stack
    return str(stack.base)


def ask(base: str, *messages: str) -> list[str]:
    """The texts of the replies to the last message of a new conversation."""
    sender = f"e2e-answers-{uuid.uuid4().hex[:10]}"
    replies: list[dict[str, Any]] = []
    for message in messages:
        replies = say(base, sender, message)
    return [r["text"] for r in replies if r.get("text")]


@pytest.mark.parametrize(
    ("question", "needed", "never"),
    [
        ("which irs form do i need to ask for a cdp hearing", ["12153"], []),
        ("i owe 30k, can i get a payment plan without filling out a financial statement",
         ["Simple Payment Plan", "$50,000"], ["72 months"]),
        ("how many days do i have to pay after a cp14 if i owe over 100k",
         ["10 business days"], []),
        ("how much is the fee for a payment plan if i set it up online with direct debit",
         ["$22", "2024"], ["$31"]),
        ("how much is the offer in compromise fee", ["$205"], ["$150", "$186"]),
        ("what interest rate does the irs charge right now", ["6%", "2026"], ["8%"]),
        ("at what amount can the irs take my passport", ["$66,000", "2026"], ["$62,000"]),
        ("can the irs take my house", ["court"], ["without a court order"]),
        ("how do i prove i already paid", ["bank statement", "online account"], []),
        ("can we get a payment plan for our business payroll taxes",
         ["$25,000", "trust fund recovery penalty"], []),
    ],
)
def test_a_question_gets_the_facts_it_needs(
    base: str, question: str, needed: list[str], never: list[str]
) -> None:
    said = " ".join(ask(base, question))
    for fact in needed:
        assert fact in said, (question, said)
    for wrong in never:
        assert wrong not in said, (question, said)
    assert NOT_UNDERSTOOD not in said and APOLOGY not in said


def test_a_scam_text_is_called_a_scam_first_with_how_to_report_it(base: str) -> None:
    said = ask(base, "got a text saying i owe the irs and i'll be arrested unless i buy gift "
                     "cards, it has a link irs-pay-now.com to pay")
    assert said[0].startswith("This looks like a scam") or said[0].startswith("This is a scam")
    joined = " ".join(said)
    assert "phishing@irs.gov" in joined or "TIGTA" in joined
    assert "Don't click" in joined or "don't pay" in joined.lower()


def test_an_ssn_typed_to_look_up_a_balance_gets_the_cannot_see_answer_first(base: str) -> None:
    said = ask(base, "my ssn is 123-45-6789 can you look up my balance")
    joined = " ".join(said)
    assert "123-45-6789" not in joined
    assert "can't see IRS accounts" in joined
    assert "online account" in joined
    assert "first-time abatement" not in joined.lower()


def test_a_question_in_the_middle_of_a_notice_conversation_counts_its_days(base: str) -> None:
    import datetime as dt

    from noticebot.clock import firm_today

    dated = firm_today() - dt.timedelta(days=10)
    said = " ".join(ask(base, f"got an lt11 dated {dated:%B} {dated.day} {dated.year}",
                        "how many days do i have left to ask for a hearing"))
    assert "12153" in said and "days from today" in said
