"""action_answer_question: question intents from the catalog, free questions by retrieval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from trackers import make_tracker, responses, run_action

from actions.answers import ActionAnswerQuestion
from noticebot.knowledge.catalog import Catalog
from noticebot.knowledge.passages import Passage
from noticebot.knowledge.retrieval import KnowledgeBase, build_knowledge_base

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def kb(catalog: Catalog, recognizer: Any) -> KnowledgeBase:
    """Catalog plus one firm article."""
    article = Passage(id="firm#0", text="Zebrafish reminders arrive monthly.", title="Firm",
                      source="articles/firm.md", kind="article", entry="firm.md")
    return build_knowledge_base(catalog, recognizer=recognizer, documents=[article])


@pytest.fixture
def action(catalog: Catalog, kb: KnowledgeBase) -> ActionAnswerQuestion:
    """The action over the real catalog."""
    return ActionAnswerQuestion(catalog=lambda: catalog, knowledge_base=lambda: kb,
                                today=lambda: TODAY)


@pytest.mark.parametrize(
    ("intent", "words"),
    [("ask_payment_plan", "payment plan"), ("ask_settlement", "offer in compromise"),
     ("report_hardship", "can't pay any"), ("check_scam", "mail"),
     ("missed_payment", "plan"), ("ask_how_to_pay", "Direct Pay")],
)
def test_question_intents_are_answered_with_a_source(
    action: ActionAnswerQuestion, intent: str, words: str
) -> None:
    dispatcher, events = run_action(action, make_tracker(intent=intent))
    assert responses(dispatcher) == ["utter_answer"]
    message = dispatcher.messages[0]
    assert words.lower() in message["answer"].lower()
    assert message["source"].startswith("http")
    assert events == []


def test_consequences_of_the_notice_at_hand(action: ActionAnswerQuestion,
                                            catalog: Catalog) -> None:
    dispatcher, _ = run_action(action, make_tracker(intent="ask_consequences",
                                                    slots={"notice_code": "CP504"}))
    assert dispatcher.messages[0]["answer"] == catalog.notice("CP504").if_ignored.text


def test_free_question_goes_to_retrieval(action: ActionAnswerQuestion) -> None:
    dispatcher, _ = run_action(action, make_tracker(
        intent="ask_tax_question", text="what is a collection due process hearing"))
    assert responses(dispatcher) == ["utter_answer"]
    assert "hearing" in dispatcher.messages[0]["answer"].lower()


def test_article_answers_are_labelled_unverified(action: ActionAnswerQuestion) -> None:
    dispatcher, _ = run_action(action, make_tracker(intent="ask_tax_question",
                                                    text="zebrafish reminders"))
    assert responses(dispatcher) == ["utter_answer_article"]


def test_nothing_found_says_so(action: ActionAnswerQuestion) -> None:
    dispatcher, _ = run_action(action, make_tracker(intent="ask_tax_question",
                                                    text="qwxz blorft"))
    assert responses(dispatcher) == ["utter_no_answer"]


def test_deadline_question_without_a_notice_asks_for_it(action: ActionAnswerQuestion) -> None:
    dispatcher, _ = run_action(action, make_tracker(intent="ask_deadline"))
    assert responses(dispatcher) == ["utter_ask_which_notice_deadline"]


def test_deadline_question_answers_for_the_most_urgent_notice(
    action: ActionAnswerQuestion,
) -> None:
    notices = [{"code": "CP504", "notice_date": None, "printed_deadline": "2026-12-20"},
               {"code": "LT11", "notice_date": "2026-11-02", "printed_deadline": None}]
    dispatcher, _ = run_action(action, make_tracker(intent="ask_deadline",
                                                    slots={"notices": notices}))
    assert responses(dispatcher)[0] == "utter_deadline_counted"
    assert dispatcher.messages[0]["notice_code"] == "LT11"
