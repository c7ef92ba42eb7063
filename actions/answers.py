"""Answer a question at any point (payment plans, scams, "how long do I have"...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesCatalog, notice_entries, opening, send
from actions.services import default_catalog, default_knowledge_base
from noticebot.answers import KnowledgeAnswer, answer_intent, answer_question
from noticebot.clock import firm_today
from noticebot.knowledge.catalog import Catalog
from noticebot.knowledge.retrieval import KnowledgeBase
from noticebot.notices import deadline_replies, explain_entries, lead_explanation


class ActionAnswerQuestion(UsesCatalog, Action):
    """Answer from the catalog (question intents) or by retrieval (free questions)."""

    def __init__(
        self,
        catalog: Callable[[], Catalog] = default_catalog,
        knowledge_base: Callable[[], KnowledgeBase] = default_knowledge_base,
        today: Callable[[], dt.date] = firm_today,
    ) -> None:
        """Inject the catalog, the knowledge base and the clock (tests pass fakes)."""
        super().__init__(catalog, today)
        self._knowledge_base = knowledge_base

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer the latest message; the conversation then goes on where it was."""
        events = opening(dispatcher, tracker)
        intent = tracker.latest_message.get("intent", {}).get("name")
        if intent == "ask_deadline":
            self._deadline(dispatcher, tracker)
            return events
        answer = answer_intent(
            str(intent), catalog=self._catalog(), notice_code=tracker.get_slot("notice_code")
        )
        kind = "catalog"
        if answer is None:
            question = tracker.latest_message.get("text") or ""
            found = answer_question(question, knowledge_base=self._knowledge_base())
            if found is not None:
                answer, kind = found
        self._say(dispatcher, answer, kind=kind)
        return events

    @staticmethod
    def _say(
        dispatcher: CollectingDispatcher, answer: KnowledgeAnswer | None, *, kind: str
    ) -> None:
        if answer is None:
            dispatcher.utter_message(response="utter_no_answer")
            return
        response = "utter_answer_article" if kind == "article" else "utter_answer"
        dispatcher.utter_message(response=response, answer=answer.text, source=answer.sources[0])

    def _deadline(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        catalog, today = self._catalog(), self._today()
        explanations = explain_entries(catalog, notice_entries(tracker), today=today)
        lead = lead_explanation(explanations)
        if lead is None:
            dispatcher.utter_message(response="utter_ask_which_notice_deadline")
            return
        send(dispatcher, deadline_replies(lead))
