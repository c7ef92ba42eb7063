"""Composed answers (issue 13): the public question set's gate, the figures of each year, the
cards' rules, and how the conversation says a short answer.

The gate asks each of the 267 questions of ``questions.yml`` in a fresh conversation, read by the
real reader, and fails under 90% fully answered or on any wrong (outdated or misleading) figure.
``python -m tests.answers.scoring --misses`` prints the same figures with every miss.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from noticebot.answers import CatalogAnswers
from noticebot.composer import (
    CardError,
    Context,
    asked_quarter,
    asked_year,
    compose,
    load_cards,
    missing_references,
    parse_cards,
    question_amount,
)
from noticebot.conversation import ConversationState, Turn, respond
from noticebot.knowledge.catalog import Catalog
from noticebot.knowledge.retrieval import build_knowledge_base
from noticebot.notices import NoticeEntry, explain_entries, lead_explanation
from noticebot.reading import Reader
from noticebot.settings import FirmProfile
from tests.answers.scoring import KNOWLEDGE, answers_for, score

TODAY = dt.date(2026, 12, 4)
GATE = 0.90


@pytest.fixture(scope="module")
def cards() -> tuple[Any, ...]:
    return load_cards(KNOWLEDGE)


def ask(catalog: Catalog, question: str, **context: Any) -> str:
    composed = compose(
        question, cards=load_cards(KNOWLEDGE), catalog=catalog,
        context=Context(today=TODAY, amount=question_amount(question), **context),
    )
    assert composed is not None, question
    return composed.text


# ------------------------------------------------------------------------------------ the gate
def test_the_question_set_is_answered(catalog: Catalog, recognizer: Any) -> None:
    result = score(catalog, Reader(recognizer=recognizer), TODAY)
    assert result.questions >= 200
    assert result.wrong == 0, "\n".join(m for m in result.misses if "wrong [[" in m)
    assert result.fully_answered >= GATE, (
        f"{result.fully_answered:.3f} fully answered\n" + "\n".join(result.misses)
    )


# ------------------------------------------------------------------------ figures by the year
@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("how much is the offer in compromise fee", "$205", ("$150", "$186")),
        ("what was the offer in compromise fee back in 2010", "$150", ("$205",)),
        ("oic application fee in 2014?", "$186", ("$205",)),
        ("fee for a payment plan online with direct debit", "$22", ("$31", "$52")),
        ("what was the payment plan fee in 2017 online with direct debit", "$31", ("$22",)),
        ("what was the installment agreement fee with direct debit in 2012", "$52", ("$22",)),
        ("how much was the regular payment plan fee before 2017 without direct debit", "$120",
         ("$178", "$225")),
        ("online plan without direct debit fee back in 2022", "$130", ("$69",)),
        ("what was the reinstatement fee in 2004", "$24", ("$89",)),
        ("at what amount can the irs take my passport", "$66,000", ("$62,000",)),
        ("what was the passport debt limit for 2024", "$62,000", ("$66,000",)),
        ("passport threshold in 2018?", "$51,000", ("$66,000",)),
        ("what interest rate does the irs charge right now", "6%", ("8%",)),
        ("what was the irs interest rate in the first quarter of 2026", "7%", ("6%",)),
        ("what was the interest rate the irs charged in 2024", "8%", ("7%",)),
        ("what interest did the irs charge back in 2017", "4%", ("8%",)),
        ("irs interest rate oct 2023", "8%", ("7%",)),
        ("what was the lien filing threshold before the fresh start changes", "$5,000",
         ("$10,000",)),
        ("how much do you have to owe before they file a tax lien", "$10,000", ("$5,000",)),
    ],
)
def test_figures_are_the_newest_unless_a_year_is_asked(
    catalog: Catalog, question: str, expected: str, absent: tuple[str, ...]
) -> None:
    said = ask(catalog, question)
    assert expected in said
    assert not any(figure in said for figure in absent), said


def test_a_year_with_two_rates_says_both_with_their_months(catalog: Catalog) -> None:
    said = ask(catalog, "what was the irs interest rate in 2019")
    assert "6% from January 2019" in said and "5% from July 2019" in said


def test_an_unconfirmed_figure_says_so(catalog: Catalog) -> None:
    said = ask(catalog, "at what amount can the irs take my passport")
    assert "not yet on an IRS page" in said and "2026" in said


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("if i offer 10,000 as a lump sum how much do i send with the offer", "$2,000"),
        ("i owe 10k in tax, how much is the late payment penalty a month", "$50"),
        ("whats the most the late payment penalty can be on 8000 of unpaid tax", "$2,000"),
        ("on a payment plan, filed on time, owe 20k: whats the penalty per month", "$50"),
    ],
)
def test_amounts_are_computed_from_the_question(
    catalog: Catalog, question: str, expected: str
) -> None:
    assert expected in ask(catalog, question)


def test_the_balance_decides_between_the_simple_plan_and_a_financial_statement(
    catalog: Catalog,
) -> None:
    within = ask(catalog, "i owe 30k, can i get a payment plan without a financial statement")
    over = ask(catalog, "owe 75k can i still just do a payment plan online")
    assert "within the Simple Payment Plan's $50,000 limit" in within
    assert "over the Simple Payment Plan's $50,000 limit" in over and "433-F" in over
    assert "72" not in within + over


def test_what_a_question_names() -> None:
    assert asked_year("fee back in 2010?") == 2010
    assert asked_year("the fee before 2017") == 2016
    assert asked_year("limit before the fresh start changes") == 2010
    assert asked_year("what is the fee") is None
    assert asked_quarter("rate for april 2026") == 2
    assert asked_quarter("first quarter of 2026") == 1
    assert question_amount("i owe 30k") == 30000
    assert question_amount("owe $8,000.50 total") == 8000.5
    assert question_amount("mail form 9465 in 2024") is None
    assert question_amount("cp504 for 12 days") is None


# ------------------------------------------------------------------ the conversation's dates
def _context(catalog: Catalog, code: str, days_ago: int) -> dict[str, Any]:
    entry = NoticeEntry(code, notice_date=TODAY - dt.timedelta(days=days_ago), date_asked=True)
    lead = lead_explanation(explain_entries(catalog, (entry,), today=TODAY))
    assert lead is not None
    return {"notice_code": code, "deadline": lead.deadline}


def test_a_hearing_question_counts_the_days_left_of_this_notice(catalog: Catalog) -> None:
    said = ask(catalog, "how many days do i have left to ask for a hearing",
               **_context(catalog, "LT11", 10))
    assert said.startswith("For your LT11 dated November 24, 2026")
    assert "20 days from today" in said and "12153" in said


def test_a_closed_window_is_said_closed_first(catalog: Catalog) -> None:
    said = ask(catalog, "lien letter was over a year ago, can i still get any kind of hearing",
               **_context(catalog, "LTR3172", 420))
    first = said.split(". ")[0]
    assert "closed" in first
    assert "last day for the" not in said  # no right still offered


def test_without_a_notice_the_right_is_left_out_not_guessed(catalog: Catalog) -> None:
    said = ask(catalog, "which irs form do i need to ask for a cdp hearing")
    assert said.startswith("Use Form 12153") and "For your" not in said


# ------------------------------------------------------------------------------ the cards' rules
def test_every_card_names_figures_and_topics_the_catalog_has(
    cards: tuple[Any, ...], catalog: Catalog
) -> None:
    assert len(cards) >= 100
    assert missing_references(cards, catalog) == ()


def test_every_kind_of_question_names_topics_the_catalog_has(catalog: Catalog) -> None:
    from noticebot.answers import missing_references as kinds_missing

    assert kinds_missing(catalog) == ()


# The only phone numbers an answer may give: the IRS (individuals, businesses), TIGTA's
# impersonation line and the Taxpayer Advocate Service; a firm's number never.
OFFICIAL_NUMBERS = {"800-829-1040", "800-829-4933", "800-366-4484", "877-777-4778"}


def test_the_only_phone_numbers_in_the_answers_are_official_ones() -> None:
    text = (KNOWLEDGE / "answers.yml").read_text(encoding="utf-8")
    found = {re.sub(r"\D", "", number) for number in re.findall(r"\d{3}\W{0,2}\d{3}\W\d{4}", text)}
    official = {re.sub(r"\D", "", number) for number in OFFICIAL_NUMBERS}
    assert found and found <= official, found - official


def test_cards_are_short(cards: tuple[Any, ...]) -> None:
    long = [card.id for card in cards if len(card.say.split()) > 95]
    assert not long


def test_no_card_offers_the_old_streamlined_term(cards: tuple[Any, ...]) -> None:
    for card in cards:
        if card.id != "streamlined_history":
            assert not re.search(r"72.months|72-month", card.say), card.id


def _card(**changes: Any) -> dict[str, Any]:
    card: dict[str, Any] = {
        "id": "x", "kind": "fee", "ask": ["fee"], "say": "It is free.",
        "sources": ["https://www.irs.gov/payments"],
    }
    card.update(changes)
    return {"cards": [card]}


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"sources": []}, "needs 'sources'"),
        ({"sources": ["https://www.optimataxrelief.com/x"]}, "blocklisted"),
        ({"sources": ["https://www.irs.gov/zh-hans/payments"]}, "translated"),
        ({"sources": ["https://www.irs.gov/payments?utm_source=x"]}, "tracking"),
        ({"sources": ["https://news.example.com/x", "https://www.irs.gov/payments"]},
         "first source"),
        ({"sources": ["https://www.irs.gov/payments", "https://news.example.com/x"]},
         "secondary: true"),
        ({"kind": "wisdom"}, "kind is one of"),
        ({"amount": "lots"}, "amount is"),
        ({"ask": ["(unclosed"]}, r"missing \)"),
        ({"say": ""}, "needs 'ask' and 'say'"),
    ],
)
def test_the_loader_refuses_a_bad_card(changes: dict[str, Any], complaint: str) -> None:
    with pytest.raises(CardError, match=complaint):
        parse_cards(_card(**changes))


def test_the_loader_refuses_a_repeated_id() -> None:
    raw = _card()
    raw["cards"].append(dict(raw["cards"][0]))
    with pytest.raises(CardError, match="unique id"):
        parse_cards(raw)


def test_the_most_specific_card_wins_and_otherwise_fills_in(catalog: Catalog) -> None:
    raw = yaml.safe_load(
        """
        cards:
          - {id: general, kind: fee, ask: [fee], say: "general", sources: [https://www.irs.gov/payments]}
          - id: online
            kind: fee
            ask: [fee, online]
            say: "{fig:no_such_figure}"
            otherwise: "online"
            sources: [https://www.irs.gov/payments]
          - {id: never, kind: fee, ask: [fee], unless: [online], say: "never",
             sources: [https://www.irs.gov/payments]}
        """
    )
    cards = parse_cards(raw)
    context = Context(today=TODAY)
    assert compose("the online fee", cards=cards, catalog=catalog, context=context).text == "online"  # type: ignore[union-attr]
    assert compose("the fee", cards=cards, catalog=catalog, context=context).text == "general"  # type: ignore[union-attr]
    assert compose("a penalty", cards=cards, catalog=catalog, context=context) is None


# ------------------------------------------------------------------------- in the conversation
class Chat:
    def __init__(self, catalog: Catalog, reader: Reader) -> None:
        self.catalog, self.reader = catalog, reader
        self.state = ConversationState()

    def say(self, text: str, intent: str = "ask_tax_question") -> list[tuple[str, dict[str, Any]]]:
        result = respond(
            self.state,
            Turn(intent=intent, confidence=0.9, facts=self.reader.read(text, today=TODAY),
                 text=text),
            catalog=self.catalog, today=TODAY, firm=FirmProfile(),
            answers=answers_for(self.catalog),
        )
        self.state = result.state
        return [(reply.response, reply.values) for reply in result.replies]


@pytest.fixture()
def chat(catalog: Catalog, recognizer: Any) -> Chat:
    return Chat(catalog, Reader(recognizer=recognizer))


def test_a_short_answer_offers_more_and_more_gives_the_topic(chat: Chat) -> None:
    said = chat.say("how much is the offer in compromise fee")
    assert [name for name, _ in said][:2] == ["utter_answer_composed", "utter_offer_more"]
    assert "$205" in said[0][1]["answer"]
    more = chat.say("tell me more", intent="affirm")
    assert more[0][0] == "utter_answer"
    assert "Offer" in more[0][1]["answer"] or "offer" in more[0][1]["answer"]
    again = chat.say("more", intent="affirm")
    assert "utter_answer" not in [name for name, _ in again]  # offered once, said once


def test_a_scam_text_is_answered_before_the_notice_card(chat: Chat) -> None:
    said = chat.say("i got a cp14 for 3000 and also a text saying pay now with this link or "
                    "police come, is it real?", intent="check_scam")
    assert said[0][0] == "utter_answer_safety"
    assert said[0][1]["answer"].startswith("This looks like a scam")
    assert any(name == "utter_notice_summary" for name, _ in said[1:])


def test_two_questions_in_one_message_get_two_answers(chat: Chat) -> None:
    said = chat.say("how much is the offer in compromise fee? and can they take my house")
    answers = [values["answer"] for name, values in said if name.startswith("utter_answer")]
    assert len(answers) == 2
    assert "$205" in answers[0] and "court" in answers[1]


def test_a_question_no_card_answers_is_said_as_unsure(catalog: Catalog, recognizer: Any) -> None:
    knowledge_base = build_knowledge_base(catalog, recognizer=recognizer)
    answers = CatalogAnswers(catalog, lambda: knowledge_base, cards=load_cards(KNOWLEDGE))
    for text in ("what is a levy?", "tell me about the collection statute expiration"):
        result = respond(
            ConversationState(),
            Turn(intent="ask_tax_question", text=text),
            catalog=catalog, today=TODAY, firm=FirmProfile(), answers=answers,
        )
        first = result.replies[0]
        assert first.response in ("utter_answer_composed", "utter_answer_unsure"), text
        assert first.values["answer"]


def test_the_knowledge_directory_is_the_one_the_settings_use() -> None:
    from noticebot.settings import get_settings

    assert Path(get_settings().knowledge_dir).resolve() == KNOWLEDGE.resolve()
