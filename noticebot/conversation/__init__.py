"""The conversation: the facts kept so far, one message's facts merged in, and what to say next.

``respond`` is the one domain function the Rasa action adapts (``actions/conversation.py``);
``route_for`` gives the route the facts lead to (the intake case draft uses it).
"""

from noticebot.conversation.engine import (
    SAFETY_RESPONSE,
    Answers,
    Turn,
    TurnResult,
    respond,
    route_for,
)
from noticebot.conversation.state import INTAKE, LISTEN, SLOTS, ConversationState, Memory

__all__ = [
    "INTAKE",
    "LISTEN",
    "SAFETY_RESPONSE",
    "SLOTS",
    "Answers",
    "ConversationState",
    "Memory",
    "Turn",
    "TurnResult",
    "respond",
    "route_for",
]
