"""A small tracker builder and runner for action tests (no Rasa server involved)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

SRC = ["https://www.irs.gov/example"]


def entity(name: str, value: Any, role: str | None = None) -> dict[str, Any]:
    """An entity as the NLU pipeline sends it."""
    found = {"entity": name, "value": value}
    if role:
        found["role"] = role
    return found


def make_tracker(
    *,
    intent: str = "report_notice",
    text: str = "",
    entities: Sequence[dict[str, Any]] = (),
    slots: dict[str, Any] | None = None,
    past_intents: Sequence[str] = (),
    active_loop: str | None = None,
    metadata: dict[str, Any] | None = None,
    input_channel: str = "rest",
    sender_id: str = "test",
    filled: dict[str, Any] | None = None,
    facts: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest user message has ``intent`` and ``entities``.

    The conversation is already under way (the disclaimer was shown) unless ``slots`` says
    ``disclaimer_shown: False``.
    """
    latest: dict[str, Any] = {
        "text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)
    }
    if facts is not None:
        latest["facts"] = facts  # what the NLU pipeline's reader puts in the parse data
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "", "parse_data": {"intent": {"name": name}, "entities": []},
         "input_channel": input_channel, "message_id": f"m{number}", "metadata": {}}
        for number, name in enumerate((*past_intents, intent))
    ]
    events[-1]["text"] = text
    events[-1]["metadata"] = dict(metadata or {})
    # Slots the latest message filled (what Rasa's slot extraction adds before a form runs).
    events += [{"event": "slot", "name": k, "value": v} for k, v in (filled or {}).items()]
    return Tracker(
        sender_id=sender_id,
        slots={"disclaimer_shown": True, **(slots or {}), **(filled or {})},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run_action(action: Action, tracker: Tracker) -> tuple[CollectingDispatcher, list[Any]]:
    """Run ``action`` on ``tracker``; return what it said and the events it returned."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher, events


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The response names the action sent, in order."""
    return [m["response"] for m in dispatcher.messages]


def slot_events(events: list[Any]) -> dict[str, Any]:
    """The slots the action set, by name."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
