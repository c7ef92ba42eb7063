"""Explain a notice the person reported, with its deadline and the ``notice_summary`` card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import default_catalog
from noticebot.deadlines import DeadlineInputError
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import explain_notice, explanation_replies


def _iso_or_none(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


class ActionExplainNotice(Action):
    """Explain the notice named in the message (or remembered in the slot) and its deadline."""

    def __init__(
        self,
        catalog: Callable[[], Catalog] = default_catalog,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        """Inject the catalog provider and the clock (tests pass fakes)."""
        self._catalog = catalog
        self._today = today

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_explain_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply with the explanation, the summary card and the deadline."""
        code = next(tracker.get_latest_entity_values("notice_code"), None) or tracker.get_slot(
            "notice_code"
        )
        if not code:
            dispatcher.utter_message(response="utter_ask_notice_code")
            return []
        date_value = next(tracker.get_latest_entity_values("date"), None) or tracker.get_slot(
            "notice_date"
        )
        notice_date = _iso_or_none(date_value)
        try:
            explanation = explain_notice(
                self._catalog(), code, today=self._today(), notice_date=notice_date
            )
        except DeadlineInputError:
            dispatcher.utter_message(response="utter_notice_date_invalid")
            return [SlotSet("notice_date", None)]
        if explanation is None:
            dispatcher.utter_message(response="utter_notice_unknown", notice_code=code)
            return [SlotSet("notice_code", None)]
        for reply in explanation_replies(explanation):
            dispatcher.utter_message(
                response=reply.response, json_message=reply.payload, **reply.values
            )
        return [
            SlotSet("notice_code", explanation.notice.code),
            SlotSet("notice_date", notice_date.isoformat() if notice_date else None),
        ]
