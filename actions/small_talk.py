"""Small talk: goodbye, thanks, "are you a bot?", out of scope. One response each."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import privacy_warning

RESPONSE_OF_INTENT = {
    "goodbye": "utter_goodbye",
    "thank": "utter_you_are_welcome",
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "utter_out_of_scope",
}


class ActionSmallTalk(Action):
    """Answer small talk with its response (after the privacy warning when one is due)."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_small_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the response that fits the latest intent."""
        events = privacy_warning(dispatcher, tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(response=RESPONSE_OF_INTENT.get(str(intent), "utter_out_of_scope"))
        return events
