"""The conversation: the facts kept so far, one message's facts merged in, and what to say next.

``respond`` is the one domain function the Rasa action adapts (``actions/conversation.py``);
``route_for`` gives the route the facts lead to (the intake case draft uses it).
"""

from noticebot.conversation.engine import Answers, Turn, TurnResult, respond, route_for
from noticebot.conversation.state import INTAKE, LISTEN, SLOTS, ConversationState, Memory

__all__ = [
    "INTAKE",
    "LISTEN",
    "SLOTS",
    "Answers",
    "ConversationState",
    "Memory",
    "Turn",
    "TurnResult",
    "respond",
    "route_for",
]
